"""Due-date rules with the clock moved: offsets, weekends, Chinese holidays, year boundaries, precision."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from commitments.reminders import schedule
from commitments.reminders.scan import scan_date

D = dt.date
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: dt.date, hour: int = 9):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False)


def today() -> dt.date:
    return scan_date(timezone.now())


def test_day_starts_at_eight_local_time():
    with at(D(2025, 12, 1), hour=7):
        assert today() == D(2025, 11, 30)
    with at(D(2025, 12, 1), hour=8):
        assert today() == D(2025, 12, 1)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (D(2025, 9, 29), None),  # before the first (90-day) reminder
        (D(2025, 9, 30), D(2025, 9, 30)),  # 90 days before is 10-02 (国庆) → the working day before
        (D(2025, 10, 15), D(2025, 9, 30)),
        (D(2025, 12, 1), D(2025, 12, 1)),  # 30 days before, a Monday
        (D(2025, 12, 24), D(2025, 12, 24)),  # 7 days before
        (D(2025, 12, 30), D(2025, 12, 30)),  # 1 day before
    ],
)
def test_each_offset_of_a_year_precision_deadline(now, expected):
    with at(now):
        due = schedule.commitment_due(deadline=D(2025, 12, 31), precision="year", today=today())
    assert (due.on if due else None) == expected
    if due:
        assert due.kind == schedule.DEADLINE_DUE


def test_ninety_days_only_for_year_precision():
    with at(D(2025, 10, 15)):
        assert schedule.commitment_due(deadline=D(2025, 12, 31), precision="month", today=today()) is None
        assert schedule.commitment_due(deadline=D(2025, 12, 31), precision="day", today=today()) is None
        assert schedule.commitment_due(deadline=D(2025, 12, 31), precision="year", today=today()) is not None


def test_weekend_moves_to_the_friday_before():
    # 2025-06-09 is a Monday: one day before is a Sunday.
    assert schedule.before_deadline(D(2025, 6, 9), [1]) == [D(2025, 6, 6)]
    with at(D(2025, 6, 7)):
        assert schedule.commitment_due(deadline=D(2025, 6, 9), days=[1], today=today()).on == D(2025, 6, 6)


def test_national_day_holiday_moves_to_the_last_working_day_before():
    for day in (D(2025, 10, 1) + dt.timedelta(days=i) for i in range(8)):
        assert not schedule.is_working_day(day), day
    assert schedule.before_deadline(D(2025, 10, 8), [7]) == [D(2025, 9, 30)]
    assert schedule.before_deadline(D(2025, 10, 6), [1]) == [D(2025, 9, 30)]


def test_adjusted_working_saturday_and_sunday_keep_their_reminders():
    assert schedule.is_working_day(D(2025, 10, 11))  # Saturday worked after 国庆
    assert schedule.is_working_day(D(2025, 9, 28))  # Sunday worked before it
    assert schedule.before_deadline(D(2025, 10, 12), [1]) == [D(2025, 10, 11)]
    assert schedule.before_deadline(D(2025, 9, 29), [1]) == [D(2025, 9, 28)]


def test_year_boundary_new_year_holiday():
    # 2026-01-01 is a holiday: its reminder goes out on the last working day of 2025.
    assert schedule.before_deadline(D(2026, 1, 2), [1]) == [D(2025, 12, 31)]
    with at(D(2026, 1, 2)):
        assert schedule.commitment_due(deadline=D(2026, 1, 2), days=[1], today=today()).on == D(2025, 12, 31)
    # 2026-01-04 is a Sunday worked after the holiday.
    assert schedule.before_deadline(D(2026, 1, 5), [1, 7]) == [D(2025, 12, 29), D(2026, 1, 4)]


def test_year_the_calendar_does_not_know_falls_back_to_weekends():
    with pytest.raises(NotImplementedError):
        from chinese_calendar import is_workday

        is_workday(D(2099, 1, 5))
    assert schedule.is_working_day(D(2099, 1, 5))  # a Monday
    assert not schedule.is_working_day(D(2099, 1, 4))  # a Sunday
    with at(D(2099, 3, 6)):
        due = schedule.commitment_due(deadline=D(2099, 3, 9), days=[1], today=today())
    assert due.on == D(2099, 3, 6)  # Sunday 03-08 → Friday 03-06


def test_weekly_once_overdue():
    with at(D(2025, 11, 12)):
        due = schedule.commitment_due(deadline=D(2025, 11, 3), today=today())
    assert due == schedule.Due(D(2025, 11, 10), schedule.DEADLINE_OVERDUE)
    with at(D(2025, 11, 17)):
        assert schedule.commitment_due(deadline=D(2025, 11, 3), today=today()).on == D(2025, 11, 17)


def test_weekly_overdue_never_moves_onto_the_deadline():
    # A week after 09-30 is 10-07 (国庆); back would be 09-30 itself, so it moves forward to 10-09.
    assert schedule.weekly_overdue(D(2025, 9, 30), 1) == D(2025, 10, 9)
    with at(D(2025, 10, 8)):
        assert schedule.commitment_due(deadline=D(2025, 9, 30), today=today()).kind == schedule.DEADLINE_DUE
    with at(D(2025, 10, 9)):
        assert schedule.commitment_due(deadline=D(2025, 9, 30), today=today()).kind == schedule.DEADLINE_OVERDUE


def test_reply_clock_before_and_every_working_day_after():
    assert schedule.before_deadline(D(2025, 6, 30), schedule.DEFAULT_REPLY_DAYS) == [
        D(2025, 5, 30),
        D(2025, 6, 16),
        D(2025, 6, 23),
        D(2025, 6, 27),
    ]
    with at(D(2025, 7, 1)):
        assert schedule.reply_due(deadline=D(2025, 6, 30), today=today()) == schedule.Due(
            D(2025, 7, 1), schedule.REPLY_OVERDUE
        )
    with at(D(2025, 7, 5)):  # Saturday: the latest is Friday's
        assert schedule.reply_due(deadline=D(2025, 6, 30), today=today()).on == D(2025, 7, 4)


def test_most_recent_only_after_an_outage():
    with at(D(2025, 12, 26)):
        due = schedule.commitment_due(deadline=D(2025, 12, 31), precision="year", today=today(), since=D(2025, 11, 1))
        assert due.on == D(2025, 12, 24)  # not 09-30 nor 12-01
        assert schedule.commitment_due(deadline=D(2025, 12, 31), today=today(), since=D(2025, 12, 25)) is None


def test_escalation_weekly_once_overdue_more_than_n_days():
    deadline = D(2025, 11, 3)
    with at(D(2025, 11, 10)):
        assert schedule.escalation_due(deadline=deadline, today=today()) is None  # exactly 7 days
    with at(D(2025, 11, 12)):
        assert schedule.escalation_due(deadline=deadline, today=today()) is None  # this week's started at 7 days
    with at(D(2025, 11, 17)):
        assert schedule.escalation_due(deadline=deadline, today=today()).on == D(2025, 11, 17)
    with at(D(2025, 11, 12)):
        assert schedule.escalation_due(deadline=deadline, today=today(), after_days=3).on == D(2025, 11, 10)


def test_escalation_in_a_holiday_week_goes_out_on_its_first_working_day():
    assert schedule.week_start(D(2025, 10, 6)) == D(2025, 10, 9)
    with at(D(2025, 10, 7)):
        assert schedule.escalation_due(deadline=D(2025, 9, 1), today=today()).on == D(2025, 9, 29)
    with at(D(2025, 10, 9)):
        assert schedule.escalation_due(deadline=D(2025, 9, 1), today=today()).on == D(2025, 10, 9)


def test_change_request_reminded_every_working_day_after_it_was_made():
    with at(D(2025, 11, 3)):
        assert schedule.change_pending_due(requested_on=D(2025, 11, 3), today=today()) is None
    with at(D(2025, 11, 8)):  # Saturday → Friday's
        assert schedule.change_pending_due(requested_on=D(2025, 11, 3), today=today()).on == D(2025, 11, 7)


def test_offsets_configuration_falls_back_to_defaults():
    assert schedule.offsets([], schedule.DEFAULT_REPLY_DAYS) == (30, 14, 7, 1)
    assert schedule.offsets(None, schedule.DEFAULT_COMMITMENT_DAYS) == (90, 30, 7, 1)
    assert schedule.offsets(["x", 0, -3, 5, "5", 40], (1,)) == (40, 5)
    with at(D(2025, 12, 26)):
        assert schedule.commitment_due(deadline=D(2025, 12, 31), days=(5,), today=today()).on == D(2025, 12, 26)
