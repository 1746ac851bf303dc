"""Template filters shared by every page: readable amounts, days left, notification lines, file names."""

from pathlib import PurePath

from django import template
from django.utils import timezone

from .. import formatting
from ..reminders.messages import notification_lines as _notification_lines

register = template.Library()


@register.filter
def amount(value, unit: str = "") -> str:
    """`{{ t.value|amount:t.unit }}` → "20 亿元" (commitments.formatting.amount)."""
    return formatting.amount(value, unit)


@register.filter
def basename(name: str) -> str:
    """`{{ update.evidence_file.name|basename }}`: the uploaded file's own name, without the storage folders."""
    return PurePath(name or "").name


@register.filter
def days_left(deadline):
    """`{{ c.deadline|days_left }}`: days from today (Asia/Shanghai) to the deadline; negative when overdue."""
    return formatting.days_left(deadline, timezone.localdate())


@register.filter
def notification_lines(body: str) -> list[tuple[str, str]]:
    """A notification body as (text, link) pairs, for a list with a link per item."""
    return _notification_lines(body or "")
