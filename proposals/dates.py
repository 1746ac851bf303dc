"""Calendar arithmetic for reply clocks."""

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """Return the same day `months` later, clamped to the month's end (31 May + 3 = 31 Aug; 30 Nov + 3 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
