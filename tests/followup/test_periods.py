"""Periods of recurring duties: calendar-aligned, month ends, quarters, leap years (pure arithmetic)."""

import datetime as dt

import pytest

from followup.periods import horizon, periods

D = dt.date


def test_monthly_periods_end_on_each_month_end_including_leap_february():
    got = periods("monthly", D(2024, 1, 31), D(2024, 4, 30))
    assert [p.due_on for p in got] == [D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 30)]
    assert got[0].starts_on == D(2024, 1, 31)  # the first period starts on the reply's date
    assert got[1].starts_on == D(2024, 2, 1)


def test_monthly_february_in_a_common_year():
    assert [p.due_on for p in periods("monthly", D(2025, 2, 10), D(2025, 3, 31))] == [D(2025, 2, 28), D(2025, 3, 31)]


def test_quarterly_periods_are_calendar_quarters_and_the_last_is_cut_at_the_end():
    got = periods("quarterly", D(2023, 5, 30), D(2024, 2, 29))
    assert [(p.number, p.starts_on, p.due_on) for p in got] == [
        (1, D(2023, 5, 30), D(2023, 6, 30)),
        (2, D(2023, 7, 1), D(2023, 9, 30)),
        (3, D(2023, 10, 1), D(2023, 12, 31)),
        (4, D(2024, 1, 1), D(2024, 2, 29)),
    ]


def test_half_yearly_and_yearly():
    assert [p.due_on for p in periods("half-yearly", D(2025, 3, 1), D(2026, 12, 31))] == [
        D(2025, 6, 30),
        D(2025, 12, 31),
        D(2026, 6, 30),
        D(2026, 12, 31),
    ]
    assert [p.due_on for p in periods("yearly", D(2024, 2, 29), D(2026, 12, 31))] == [
        D(2024, 12, 31),
        D(2025, 12, 31),
        D(2026, 12, 31),
    ]


def test_an_end_before_the_start_gives_no_period_and_an_unknown_recurrence_is_an_error():
    assert periods("monthly", D(2025, 5, 1), D(2025, 4, 30)) == []
    with pytest.raises(ValueError, match="未知周期"):
        periods("weekly", D(2025, 1, 1), D(2025, 12, 31))


def test_the_horizon_of_an_open_ended_duty_is_the_end_of_next_year():
    assert horizon(D(2025, 7, 1)) == D(2026, 12, 31)
