"""The 回头看 board as a spreadsheet: its rounds and its findings per agency and per session (session 20).

The same reads as the board page (`selectors.round_list`, `selectors.round_findings`, scoped by
`ReviewRound.visible_to`), written through `proposals.spreadsheets` (text never stored as a formula). The .xlsx holds
three sheets; the CSV one table, chosen by `?table=rounds|agency|session`.
"""

import datetime as dt
from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import selectors
from .choices import RoundOrigin, RoundState

ROUND_COLUMNS = [
    gettext_lazy("编号"),
    gettext_lazy("名称"),
    gettext_lazy("来源"),
    gettext_lazy("状态"),
    gettext_lazy("承办单位"),
    gettext_lazy("会议"),
    gettext_lazy("开启日期"),
    gettext_lazy("填报期限"),
    gettext_lazy("已逾期"),
    gettext_lazy("条目"),
    gettext_lazy("已填报"),
    gettext_lazy("核实通过"),
    gettext_lazy("核实已完成"),
    gettext_lazy("链接"),
]
FINDING_COLUMNS = [
    gettext_lazy("回头看承诺"),
    gettext_lazy("已填报"),
    gettext_lazy("自报已完成"),
    gettext_lazy("核实已完成"),
    gettext_lazy("推进中"),
    gettext_lazy("部分完成"),
    gettext_lazy("滞后/未启动"),
    gettext_lazy("核实完成率（%）"),
]
TABLES = ("rounds", "agency", "session")


def header(table: str) -> list[str]:
    if table == "rounds":
        return [str(c) for c in ROUND_COLUMNS]
    first = _("单位") if table == "agency" else _("会议")
    return [first, *(str(c) for c in FINDING_COLUMNS)]


def round_rows(*, user, today: dt.date, link: str) -> Iterator[list]:
    """One row per round the user may see, soonest due first; `link` + id + "/" is the round's page."""
    states = {value: str(label) for value, label in RoundState.choices}
    origins = {value: str(label) for value, label in RoundOrigin.choices}
    late = _("是")
    for r in selectors.round_list(user=user):
        yield [
            r.pk,
            r.title,
            origins.get(r.origin, r.origin),
            states.get(r.state, r.state),
            r.agency.name if r.agency else "",
            r.session.name if r.session else "",
            r.opened_on,
            r.due_on,
            late if r.state == RoundState.OPEN and r.due_on < today else "",
            # round_list's annotations
            r.n_items,  # type: ignore[attr-defined]
            r.n_reported,  # type: ignore[attr-defined]
            r.n_accepted,  # type: ignore[attr-defined]
            r.n_done,  # type: ignore[attr-defined]
            f"{link}{r.pk}/",
        ]


def finding_rows(*, user, by: str) -> Iterator[list]:
    """The board's findings table per agency or per session, as rows (the rate in per cent, one decimal)."""
    for r in selectors.round_findings(user=user, by=by):
        rate = round(r["done_rate"] * 100, 1) if r["done_rate"] is not None else ""
        yield [
            r["name"],
            r["promised"],
            r["reported"],
            r["claimed_done"],
            r["done"],
            r["in_progress"],
            r["partly"],
            r["delayed"],
            rate,
        ]


def rows(table: str, *, user, today: dt.date, link: str) -> Iterator[list]:
    if table == "rounds":
        return round_rows(user=user, today=today, link=link)
    return finding_rows(user=user, by=table)
