"""Calendar arithmetic for reply clocks."""

import calendar
import datetime as dt

from django.utils.functional import lazy
from django.utils.translation import gettext


def add_months(day: dt.date, months: int) -> dt.date:
    """Return the same day `months` later, clamped to the month's end (31 May + 3 = 31 Aug; 30 Nov + 3 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# The one range of dates a person or a file may enter (forms, API, .xlsx import, extracted deadlines). Dates far
# outside it are typing slips or hostile input, and arithmetic on them overflows (0001-01-01 minus a reminder
# offset, 9999-12-31 plus one day in a calendar feed).
DATE_MIN = dt.date(2000, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)


def _date_range_message() -> str:
    return gettext("日期须在 %(min)s 至 %(max)s 之间") % {"min": f"{DATE_MIN:%Y-%m-%d}", "max": f"{DATE_MAX:%Y-%m-%d}"}


# Lazy: translated where it is shown (a form, an API answer), in that request's language.
DATE_RANGE_MESSAGE = lazy(_date_range_message, str)()


def date_in_range(day: dt.date | None) -> bool:
    """True for None or a date within [DATE_MIN, DATE_MAX]."""
    return day is None or DATE_MIN <= day <= DATE_MAX


def date_validate(day: dt.date | None) -> None:
    """Validator for every date field a person fills in: raises ValidationError outside [DATE_MIN, DATE_MAX]."""
    from django.core.exceptions import ValidationError

    if not date_in_range(day):
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_out_of_range")


def date_or_none(day: dt.date | None) -> dt.date | None:
    """An extracted date kept only when it is within range (the words stay in deadline_text)."""
    return day if date_in_range(day) else None
