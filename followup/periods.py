"""Periods of a recurring duty: pure calendar arithmetic, no ORM (tested with month ends, quarters, leap years).

A period is calendar-aligned (每季度 means the quarters of the year, not "every three months from the letter"),
because that is how agencies report (季报, 半年报, 年报). The first period is the one that contains the duty's
start (the reply's date); the last one is the one that contains its end, cut short at the end date.
"""

import calendar
import datetime as dt
from dataclasses import dataclass

# Months per period, by commitments.choices.Recurrence value (repeated here to keep this module ORM-free).
MONTHS = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12}
# More periods than this is a data error (a deadline decades away on a monthly duty), not a schedule.
MAX_PERIODS = 240


@dataclass(frozen=True)
class Period:
    """One period of a recurring duty: its number (1-based), first day and due date (its last day)."""

    number: int
    starts_on: dt.date
    due_on: dt.date


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month (29 February in a leap year)."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def horizon(today: dt.date) -> dt.date:
    """Where an open-ended duty's periods stop for now: the end of next year (moved on as time passes)."""
    return dt.date(today.year + 1, 12, 31)


def periods(recurrence: str, start: dt.date, end: dt.date) -> list[Period]:
    """The calendar periods of `recurrence` from the one containing `start` to the one containing `end`."""
    step = MONTHS.get(recurrence)
    if step is None:
        raise ValueError(f"未知周期 / Unknown recurrence: {recurrence!r}")
    if end < start:
        return []
    year, month = start.year, ((start.month - 1) // step) * step + 1
    out: list[Period] = []
    while len(out) < MAX_PERIODS:
        first = dt.date(year, month, 1)
        if first > end:
            break
        last_year, last_month = _add_months(year, month, step - 1)
        due = min(month_end(last_year, last_month), end)
        out.append(Period(len(out) + 1, max(first, start) if not out else first, due))
        year, month = _add_months(year, month, step)
    return out
