"""When reminders fall due: pure date arithmetic over deadlines, offsets and the Chinese working-day calendar.

No ORM here. Every function answers "which reminder for this item is the most recent one due on or before
`today` (and not before `since`)", so that a scan after an outage sends only the latest reminder per item.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from chinese_calendar import is_workday

DEFAULT_REPLY_DAYS = (30, 14, 7, 1)
DEFAULT_COMMITMENT_DAYS = (90, 30, 7, 1)
DEFAULT_ESCALATION_DAYS = 7
# Offsets this long only make sense when the deadline itself is vague to the year ("2026年底前").
YEAR_ONLY_FROM_DAYS = 90
YEAR_PRECISION = "year"

# Reminder kinds (values of commitments.choices.ReminderKind; repeated here to keep this module ORM-free).
REPLY_DUE = "reply_due"
REPLY_OVERDUE = "reply_overdue"
DEADLINE_DUE = "deadline_due"
DEADLINE_OVERDUE = "deadline_overdue"
ESCALATION = "escalation"
CHANGE_PENDING = "change_pending"

ONE_DAY = dt.timedelta(days=1)
ONE_WEEK = dt.timedelta(days=7)


@dataclass(frozen=True, order=True)
class Due:
    """One reminder occurrence: its date and kind."""

    on: dt.date
    kind: str


@lru_cache(maxsize=16384)
def is_working_day(day: dt.date) -> bool:
    """Chinese working day (holidays and adjusted working weekends); weekdays only for years the calendar lacks."""
    try:
        return is_workday(day)
    except NotImplementedError:
        # chinese_calendar ships one year ahead at most; beyond that, assume Monday to Friday.
        return day.weekday() < 5


@lru_cache(maxsize=16384)
def previous_working_day(day: dt.date) -> dt.date:
    """`day` itself if it is a working day, else the working day before it."""
    while not is_working_day(day):
        day -= ONE_DAY
    return day


@lru_cache(maxsize=16384)
def next_working_day(day: dt.date) -> dt.date:
    """`day` itself if it is a working day, else the working day after it."""
    while not is_working_day(day):
        day += ONE_DAY
    return day


def last_day_shifting_to(day: dt.date) -> dt.date:
    """The last calendar day whose reminder moves back onto `day` (the non-working days that follow it)."""
    return next_working_day(day + ONE_DAY) - ONE_DAY


@lru_cache(maxsize=4096)
def week_start(day: dt.date) -> dt.date | None:
    """The first working day of the ISO week containing `day` (None when the whole week is off)."""
    monday = day - dt.timedelta(days=day.weekday())
    first = next_working_day(monday)
    return first if first - monday < ONE_WEEK else None


def offsets(configured: Iterable | None, default: tuple[int, ...]) -> tuple[int, ...]:
    """Positive whole-day offsets, largest first; an empty or invalid configuration means the defaults."""
    values = set()
    for value in configured or ():
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if 0 < number <= 3660:
            values.add(number)
    return tuple(sorted(values, reverse=True)) or default


def before_deadline(deadline: dt.date, days: Iterable[int], precision: str | None = None) -> list[dt.date]:
    """Reminder dates before a deadline: each offset, moved back to a working day."""
    dates = set()
    for k in days:
        if k >= YEAR_ONLY_FROM_DAYS and precision is not None and precision != YEAR_PRECISION:
            continue
        dates.add(previous_working_day(deadline - dt.timedelta(days=k)))
    return sorted(dates)


def weekly_overdue(deadline: dt.date, week: int) -> dt.date:
    """The `week`-th weekly reminder after a missed deadline (week ≥ 1).

    It moves back to a working day like every reminder, but never onto or before the deadline itself (a week
    of holidays such as 国庆): then it moves forward to the first working day instead.
    """
    nominal = deadline + week * ONE_WEEK
    day = previous_working_day(nominal)
    if day <= deadline + (week - 1) * ONE_WEEK:
        day = next_working_day(nominal)
    return day


def _latest(candidates: Iterable[Due], today: dt.date, since: dt.date | None) -> Due | None:
    best = max((c for c in candidates if c.on <= today), default=None)
    if best is None or (since is not None and best.on < since):
        return None
    return best


def reply_due(
    *, deadline: dt.date, today: dt.date, days: Iterable[int] = DEFAULT_REPLY_DAYS, since: dt.date | None = None
) -> Due | None:
    """The latest reply-clock reminder in [since, today]: before the reply deadline, then every working day."""
    candidates = [Due(d, REPLY_DUE) for d in before_deadline(deadline, days)]
    if today > deadline:
        day = previous_working_day(today)
        if day > deadline:
            candidates.append(Due(day, REPLY_OVERDUE))
    return _latest(candidates, today, since)


def commitment_due(
    *,
    deadline: dt.date,
    today: dt.date,
    precision: str | None = None,
    days: Iterable[int] = DEFAULT_COMMITMENT_DAYS,
    since: dt.date | None = None,
) -> Due | None:
    """The latest commitment reminder in [since, today]: before the deadline, then weekly while overdue."""
    candidates = [Due(d, DEADLINE_DUE) for d in before_deadline(deadline, days, precision)]
    if today > deadline:
        # The latest weekly reminder on or before today: at most two steps back from the arithmetic guess.
        week = (today - deadline).days // 7 + 1
        while week >= 1:
            day = weekly_overdue(deadline, week)
            if day <= today:
                candidates.append(Due(day, DEADLINE_OVERDUE))
                break
            week -= 1
    return _latest(candidates, today, since)


def escalation_due(
    *,
    deadline: dt.date,
    today: dt.date,
    after_days: int = DEFAULT_ESCALATION_DAYS,
    since: dt.date | None = None,
) -> Due | None:
    """The weekly escalation to supervisors: on the first working day of each week, once overdue > after_days."""
    if (today - deadline).days <= after_days:
        return None
    day = today
    for _ in range(3):
        start = week_start(day)
        if start is not None and start <= today:
            if (start - deadline).days > after_days:
                return _latest([Due(start, ESCALATION)], today, since)
            return None
        day = day - dt.timedelta(days=day.weekday() + 1)
    return None


def change_pending_due(*, requested_on: dt.date, today: dt.date, since: dt.date | None = None) -> Due | None:
    """A change request still waiting for a decision: every working day after the day it was made."""
    if today <= requested_on:
        return None
    day = previous_working_day(today)
    if day <= requested_on:
        return None
    return _latest([Due(day, CHANGE_PENDING)], today, since)


def as_of(local_now: dt.datetime, day_starts_at: int = 8) -> dt.date:
    """The reminder date of a local moment: before `day_starts_at` o'clock it is still the previous day's run."""
    day = local_now.date()
    return day - ONE_DAY if local_now.hour < day_starts_at else day
