"""What a digest says: its items, title and rendering for e-mail, in-app notification and group robot.

Both `digest` (which builds and delivers digests) and `channels` (which sends them) import this module; it
imports neither, so there is no import circle between them. Every user-facing string is a Chinese gettext
source (locale/en has the English); the active language decides (settings.LANGUAGE_CODE in the worker).
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.site import absolute_url

from ..choices import ReminderKind

# Most urgent first.
KIND_ORDER = [
    ReminderKind.REPLY_OVERDUE,
    ReminderKind.DEADLINE_OVERDUE,
    ReminderKind.ROUND_OVERDUE,
    ReminderKind.ESCALATION,
    ReminderKind.REPLY_DUE,
    ReminderKind.DEADLINE_DUE,
    ReminderKind.ROUND_DUE,
    ReminderKind.CHANGE_PENDING,
]


@dataclass(frozen=True)
class DigestItem:
    """One line of a digest: what it is about, its deadline and a link to it."""

    kind: str
    kind_label: str
    subject_type: str
    subject_id: int
    title: str
    agency: str
    deadline: dt.date | None
    due_on: dt.date
    url: str
    today: dt.date | None = None
    # A per-agency escalation line stands for this many overdue commitments (None: one item).
    count: int | None = None

    @property
    def days_text(self) -> str:
        """Days left or overdue as of the scan that sent it (a catch-up digest counts from the day it goes out)."""
        if self.deadline is None:
            return ""
        days = ((self.today or self.due_on) - self.deadline).days
        if days > 0:
            return ngettext("已逾期 %(days)d 天", "已逾期 %(days)d 天", days) % {"days": days}
        if days == 0:
            return _("今日到期")
        return ngettext("距期限 %(days)d 天", "距期限 %(days)d 天", -days) % {"days": -days}

    @property
    def overdue(self) -> bool:
        return self.deadline is not None and (self.today or self.due_on) > self.deadline


@dataclass(frozen=True)
class Digest:
    """All items one recipient is reminded of in one scan (or one agency's group-robot post)."""

    key: str
    title: str
    items: tuple[DigestItem, ...]
    as_of: dt.date
    escalation: bool = False

    @property
    def sections(self) -> list[tuple[str | Promise, list[DigestItem]]]:
        by_kind: dict[str, list[DigestItem]] = {}
        for item in self.items:
            by_kind.setdefault(item.kind, []).append(item)
        return [(ReminderKind(k).label, by_kind[k]) for k in KIND_ORDER if k in by_kind]


def site_url(name: str, pk: int, admin: str) -> str:
    """An absolute link to an item's page on SITE_URL (the admin page when the web UI does not route it)."""
    try:
        path = reverse(name, args=[pk])
    except NoReverseMatch:
        path = reverse(f"admin:{admin}_change", args=[pk])
    return absolute_url(path)


def digest_title(items: list[DigestItem], *, escalation: bool, as_of: dt.date, who: str = "") -> str:
    """The e-mail subject / notification title of a digest."""
    values: dict[str, str | int] = {"n": len(items), "date": f"{as_of:%Y-%m-%d}", "who": who}
    if escalation:
        # Counted in commitments, not lines: a per-agency line stands for its count.
        overdue = sum(item.count or 1 for item in items)
        values["n"] = overdue
        return (
            ngettext(
                "【落实】逾期督办周报：%(n)d 项逾期（%(date)s）",
                "【落实】逾期督办周报：%(n)d 项逾期（%(date)s）",
                overdue,
            )
            % values
        )
    if who:
        return (
            ngettext(
                "【落实】%(who)s %(n)d 项待办提醒（%(date)s）",
                "【落实】%(who)s %(n)d 项待办提醒（%(date)s）",
                len(items),
            )
            % values
        )
    return ngettext("【落实】%(n)d 项待办提醒（%(date)s）", "【落实】%(n)d 项待办提醒（%(date)s）", len(items)) % values


def render_email(digest: Digest, recipient) -> tuple[str, str, str]:
    """Subject, plain text and HTML of a digest e-mail: a table (HTML) or lines (text), a link per item."""
    context = {
        "digest": digest,
        "recipient": recipient,
        "name": recipient.get_full_name() or recipient.username,
        "home_url": absolute_url("/"),
    }
    text = render_to_string("commitments/reminders/digest.txt", context)
    html = render_to_string("commitments/reminders/digest.html", context)
    return digest.title, text, html


# A notification body line ends with the item's link: "<label>：<title>（<days>） <url>".
NOTIFICATION_LINK = re.compile(r"^(?P<text>.*?)\s+(?P<url>https?://\S+)$")


def notification_body(digest: Digest) -> str:
    """The in-app notification's text: one line per item, each ending with the link to its page."""
    lines = []
    for item in digest.items:
        when = item.days_text or f"{item.due_on:%Y-%m-%d}"
        lines.append(
            _("%(kind)s：%(title)s（%(when)s）") % {"kind": item.kind_label, "title": item.title, "when": when}
            + f" {item.url}"
        )
    return "\n".join(lines)


def notification_lines(body: str) -> list[tuple[str, str]]:
    """A notification body as (text, link) pairs; link is "" on a line without one."""
    pairs = []
    for line in body.splitlines():
        match = NOTIFICATION_LINK.match(line)
        pairs.append((match["text"], match["url"]) if match else (line, ""))
    return pairs


def render_markdown(digest: Digest, limit: int = 20) -> str:
    """The digest as group-robot markdown, short enough for WeCom's 4096-byte limit."""
    lines = [f"### {digest.title}"]
    shown = 0
    for label, items in digest.sections:
        lines.append(f"**{label}**")
        for item in items:
            if shown >= limit:
                break
            shown += 1
            extra = f"（{item.days_text}）" if item.days_text else ""
            lines.append(f"> [{item.title}]({item.url}) {item.agency}{extra}")
    if len(digest.items) > shown:
        rest = len(digest.items) - shown
        lines.append(ngettext("…另有 %(n)d 项，请登录系统查看", "…另有 %(n)d 项，请登录系统查看", rest) % {"n": rest})
    text = "\n".join(lines)
    while len(text.encode()) > 4000 and len(lines) > 2:
        lines.pop(-2)
        text = "\n".join(lines)
    return text
