"""The clerk's home and the supervisor's dashboard, export and per-agency statistics."""

import logging
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from proposals import panels, scoping
from proposals.dates import date_in_range
from proposals.models import Agency, Body, Session
from proposals.pagination import BoundedPaginator
from proposals.selectors import assignments_awaiting_reply
from proposals.spreadsheets import csv_response, xlsx_response, xlsx_row
from responses.choices import DocumentKind
from responses.models import Document

from .. import charts
from ..choices import CommitmentStatus, Precision, Strength
from ..filtersets import CommitmentFilterSet, today_shanghai
from ..formatting import amount
from ..models import Commitment
from ..selectors import (
    INBOX_BOUND,
    PAGE_COUNT_BOUND,
    UndatedLast,
    agency_performance,
    commitment_export_rows,
    commitment_list,
    dashboard_counts,
    deadlines_by_month,
    inbox_querysets,
    list_count,
    replies_to_link,
    undated_last,
)
from .common import local_today

log = logging.getLogger(__name__)

# ------------------------------------------------------------------------------------------------ home


@login_required
def home(request):
    """Clerk home (reply clocks, my commitments, uploads awaiting confirmation) and the supervisor's summary.

    An account that only speaks for proposers (a deputy, a member) has no staff home: it lands on its own page."""
    user, today = request.user, local_today()
    if scoping.is_proposer(user) and not (scoping.is_clerk(user) or scoping.is_supervisor(user)):
        return redirect("followup:mine")
    awaiting = list(assignments_awaiting_reply(user=user, today=today)[:50])
    for assignment in awaiting:
        assignment.days_left = (assignment.due_on - today).days if assignment.due_on else None
    # Dated first on every database (PostgreSQL already sorts NULLs last; SQLite, the `make run` default, first).
    # Its size from the tallies where they hold the user's scope (no COUNT through the clerk's semi-join).
    mine = BoundedPaginator(
        commitment_list(user=user)
        .open()
        .select_related("owner")
        .defer("search_text", "search_vector")
        .order_by(F("deadline").asc(nulls_last=True), "pk"),
        settings.UI_PAGE_SIZE,
        known_count=list_count(user=user, today=today, cleaned={"status": [CommitmentStatus.OPEN]}),
    ).get_page(request.GET.get("page"))
    pending = Document.objects.filter(uploaded_by=user, kind=DocumentKind.REPLY, response__isnull=True).order_by(
        "-created_at"
    )[:20]
    # The supervisor's inbox: each list capped, with its full count beside it.
    # Counted up to INBOX_BOUND + 1 (shown as "999+"): the closures to verify may be millions at province scale.
    inbox = {
        key: (list(q[:INBOX_ROWS]), _bounded_label(q.order_by()[: INBOX_BOUND + 1].count()))
        for key, q in inbox_querysets(user=user).items()
    }
    return render(
        request,
        "home.html",
        {
            "nav": "home",
            "awaiting": awaiting,
            "mine": mine,
            "pending": pending,
            "to_link": replies_to_link(user=user),
            "today": today,
            "counts": dashboard_counts(user=user, today=today),
            "inbox": inbox,
            # Sections later apps add (followup: the 回头看 rounds the user's agencies must report), proposals/panels.py.
            "panels": panels.render(request, None, page="home"),
        },
    )


INBOX_ROWS = 20


def _bounded_label(n: int) -> int | str:
    return f"{INBOX_BOUND}+" if n > INBOX_BOUND else n


# ------------------------------------------------------------------------------------------------ dashboard

TABS = {
    "overdue": {"overdue": "true"},
    "due30": {"due_within": "30"},
    "due90": {"due_within": "90"},
    "open": {"status": "open"},
    "all": {},
}
TAB_LABELS = [
    ("overdue", gettext_lazy("已逾期")),
    ("due30", gettext_lazy("30 天内到期")),
    ("due90", gettext_lazy("90 天内到期")),
    ("open", gettext_lazy("全部进行中")),
    ("all", gettext_lazy("全部")),
]


def _dashboard_filterset(request, tab: str | None = None) -> tuple[CommitmentFilterSet, str]:
    tab = tab or request.GET.get("tab", "overdue")
    if tab not in TABS:
        tab = "overdue"
    data = request.GET.copy()
    for key, value in TABS[tab].items():
        data.setlist(key, [value])
    # The search columns (a row's n-grams are several times its text) are never shown in a list.
    queryset = (
        commitment_list(user=request.user)
        .select_related("proposal__session__body")
        .defer("search_text", "search_vector")
    )
    return CommitmentFilterSet(data, queryset=queryset), tab


CARD_TABS = ("overdue", "due30", "due90", "open")
_TAB_FILTERS = {"ordering", "status", "overdue", "due_within"}


def _card_counts(request, filterset: CommitmentFilterSet) -> tuple[dict, bool]:
    """The four cards above the tabs, and whether they are the filtered list's. Unfiltered: the user's whole scope
    (`dashboard_counts`). Filtered (a body, a session, an agency…): each card counts what its tab lists with those
    filters (session 15: the cards kept the whole scope's figures beside a filtered list, so 已逾期 read 14 over a
    list of 4) — from the tallies where they hold the filters (`list_count`), else counted up to PAGE_COUNT_BOUND."""
    cleaned = filterset.form.cleaned_data if filterset.is_valid() else {}
    if not any(v not in (None, "", []) for k, v in cleaned.items() if k not in _TAB_FILTERS):
        return dashboard_counts(user=request.user, today=local_today()), False
    counts: dict[str, int | str] = {}
    for tab in CARD_TABS:
        card, _tab = _dashboard_filterset(request, tab)
        card.is_valid()
        n = list_count(user=request.user, today=today_shanghai(), cleaned=card.form.cleaned_data)
        if n is None:
            n = card.qs.order_by()[: PAGE_COUNT_BOUND + 1].count()
        counts[tab] = f"{PAGE_COUNT_BOUND}+" if n > PAGE_COUNT_BOUND else n
    return counts, True


def _filter_choices(user) -> dict:
    bodies = Body.objects.all() if scoping.sees_everything(user) else Body.objects.filter(pk__in=scoping.body_ids(user))
    sessions = (
        Session.objects.filter(body__in=bodies).select_related("body")
        if not scoping.sees_everything(user)
        else Session.objects.select_related("body")
    )
    return {
        "bodies": list(bodies),
        "sessions": list(sessions),
        "agencies": list(Agency.objects.only("pk", "name")),
        "strengths": Strength.choices,
        "precisions": Precision.choices,
    }


def _ordered(filterset: CommitmentFilterSet):
    """The filtered list in the chosen order, commitments without a deadline last in both deadline orders."""
    qs = filterset.qs
    return UndatedLast(qs) if undated_last(qs) else qs


@login_required
def dashboard(request):
    """Overdue and upcoming commitments with filters and sorting (CommitmentFilterSet), one page at a time."""
    filterset, tab = _dashboard_filterset(request)
    status = 200
    if filterset.is_valid():
        # The tab's size from the tallies when they hold its filters: no COUNT over the list.
        # Plans of the list at 5M otherwise (docs/deployment.md, session 5 (later)): filters on the item (重点, kind) with the
        # commitment's status/strength/precision start from the items (Bitmap Index Scan of proposal_key_idx for
        # 重点), check those columns in commitment_proposal_filter_idx (Index Only Scan for the bounded count), and
        # sort the few matches (top-N): 30-40 ms each. A deep page of 全部 (?ordering=-deadline&page=40) is an Index
        # Scan Backward of commitment_deadline_idx past its OFFSET (4,090 rows read for the body's 2,000): ~70 ms.
        known = list_count(user=request.user, today=today_shanghai(), cleaned=filterset.form.cleaned_data)
        page = BoundedPaginator(_ordered(filterset), settings.UI_PAGE_SIZE, known_count=known).get_page(
            request.GET.get("page")
        )
    else:
        page, status = Paginator(Commitment.objects.none(), 1).get_page(1), 400
    today = local_today()
    for c in page:
        c.days_left = (c.deadline - today).days if c.deadline else None
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("tab", None)
    counts, counts_filtered = _card_counts(request, filterset)
    return render(
        request,
        "commitments/dashboard.html",
        {
            "nav": "dashboard",
            "page": page,
            "filterset": filterset,
            "tab": tab,
            "tabs": TAB_LABELS,
            "counts": counts,
            "counts_filtered": counts_filtered,
            "query": query.urlencode(),
            "export_query": request.GET.urlencode(),
            "g": request.GET,
            **_filter_choices(request.user),
        },
        status=status,
    )


EXPORT_COLUMNS = [
    gettext_lazy("编号"),
    gettext_lazy("承诺原文"),
    gettext_lazy("期限"),
    gettext_lazy("期限原文"),
    gettext_lazy("期限精度"),
    gettext_lazy("承诺强度"),
    gettext_lazy("状态"),
    gettext_lazy("逾期天数"),
    gettext_lazy("主责单位"),
    gettext_lazy("责任单位"),
    gettext_lazy("建议/提案编号"),
    gettext_lazy("建议/提案标题"),
    gettext_lazy("提出人"),
    gettext_lazy("会议"),
    gettext_lazy("重点"),
    gettext_lazy("量化目标"),
    gettext_lazy("链接"),
]


def _export_rows(request, filterset, today):
    """The export's rows (EXPORT_COLUMNS order), streamed from the database: one list per commitment."""
    link = request.build_absolute_uri(reverse("commitments:detail", args=[0]))[:-2]  # ".../commitments/"
    # Labels resolved once: get_FOO_display() per row re-translates lazily and dominated the export's time.
    precision, strength, status = (
        {value: str(label) for value, label in choices.choices} for choices in (Precision, Strength, CommitmentStatus)
    )
    key_mark = _("是")
    listed = _ordered(filterset)
    parts = listed.parts() if isinstance(listed, UndatedLast) else (listed,)
    for r in (row for part in parts for row in commitment_export_rows(part)):
        deadline = r["deadline"]
        if not date_in_range(deadline):
            # Written around the services: shown as its ISO text, so no spreadsheet date arithmetic can fail on it.
            log.warning("export: commitment %s has its deadline %s out of range", r["pk"], deadline)
            deadline = deadline.isoformat()
        overdue = (
            (today - r["deadline"]).days
            if r["status"] == CommitmentStatus.OPEN and r["deadline"] and r["deadline"] < today
            else None
        )
        yield [
            r["pk"],
            r["text"],
            deadline,
            r["deadline_text"],
            precision.get(r["precision"], r["precision"]),
            strength.get(r["strength"], r["strength"]),
            status.get(r["status"], r["status"]),
            overdue,
            r["agency__name"] or "",
            "、".join(r["agency_names"]),
            r["proposal__number"] or "",
            r["proposal__title"] or "",
            "、".join(r["proposers"]),
            r["proposal__session__name"] or "",
            key_mark if r["proposal__is_key"] else "",
            "；".join(f"{text}（{amount(value, unit)}）" for text, value, unit in r["targets"]),
            f"{link}{r['pk']}/",
        ]


@login_required
def dashboard_export(request):
    """Exactly the dashboard's filtered list as .xlsx (openpyxl write-only mode, rows streamed from the database)."""
    from openpyxl import Workbook

    filterset, tab = _dashboard_filterset(request)
    if not filterset.is_valid():
        return render(request, "form_error.html", {"errors": filterset.errors}, status=400)
    today = local_today()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("承诺"))
    sheet.append(xlsx_row(sheet, [str(column) for column in EXPORT_COLUMNS]))
    for row in _export_rows(request, filterset, today):
        sheet.append(xlsx_row(sheet, row))
    return xlsx_response(workbook, f"luoshi-commitments-{tab}-{today:%Y%m%d}.xlsx")


@login_required
def dashboard_export_csv(request):
    """The same rows as the .xlsx, as CSV: UTF-8 with a BOM (so Excel reads the Chinese), formula-like text quoted
    (proposals.spreadsheets.csv_cell)."""
    filterset, tab = _dashboard_filterset(request)
    if not filterset.is_valid():
        return render(request, "form_error.html", {"errors": filterset.errors}, status=400)
    today = local_today()
    rows = _export_rows(request, filterset, today)
    return csv_response(EXPORT_COLUMNS, rows, f"luoshi-commitments-{tab}-{today:%Y%m%d}.csv")


@login_required
def agency_stats(request):
    """Per-agency table (open, overdue, on time, late, 办成率 beside 满意率) with a bar chart and deadlines ahead."""
    context = agency_stats_context(request)
    if "errors" in context:
        return render(request, "form_error.html", context, status=400)
    return render(request, "commitments/agency_stats.html", context)


def agency_stats_context(request, rates: Callable[[dict], dict] | None = None) -> dict:
    """The per-agency page's context (or {"errors": …} for bad filters); a later app may add columns to its rows.

    `rates`: counts the replies' satisfaction per agency for the page's cleaned filters when the caller counts it
    (agency_performance's `rated`; in the context as `rated`)."""
    today = local_today()
    data = {k: v for k, v in request.GET.items() if k in ("body", "session", "kind", "is_key")}
    filterset = CommitmentFilterSet(data, queryset=Commitment.objects.visible_to(request.user))
    if not filterset.is_valid():
        return {"errors": filterset.errors}
    # The cleaned filters, not the filterset's queryset: the selectors count from the tally when it covers them.
    filters = {k: v for k, v in filterset.form.cleaned_data.items() if k in data and v is not None and v != ""}
    rated = rates(filters) if rates is not None else None
    rows = agency_performance(user=request.user, today=today, filters=filters, rated=rated)
    months = deadlines_by_month(user=request.user, today=today, filters=filters)
    bars = [
        (
            r["agency__name"],
            [
                (r["overdue"], "#b91c1c", _("逾期")),
                (r["open"] - r["overdue"], "#1d4ed8", _("进行中")),
                (r["on_time"], "#15803d", _("按期兑现")),
                (r["late"], "#f59f00", _("逾期兑现")),
            ],
        )
        for r in rows[:25]
    ]
    return {
        "nav": "stats",
        "rows": rows,
        "rated": rated,
        # The page's filters on each agency's links to the dashboard (same names in CommitmentFilterSet): filtered by
        # a session, 已逾期 3 led to a list of every session's 6 (session 20's walk-through).
        "filter_query": urlencode({k: v for k, v in data.items() if k in filters}),
        "g": request.GET,
        "agency_chart": charts.hbar_chart(bars, title=_("各单位承诺情况")),
        "month_chart": charts.month_chart(months, title=_("未来 12 个月到期承诺")),
        "months_due": sum(n for _, n in months),  # 0: the page says so instead of drawing twelve empty bars
        **_filter_choices(request.user),
    }
