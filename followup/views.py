"""Web pages for follow-through: the 回头看 board and a round's page (report, submit, verify), periods of a
recurring duty, the proposer's own page with ratings, and the per-agency table with both satisfaction rates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commitments.forms import upload_too_large
from commitments.models import Commitment
from commitments.views.common import error_messages, local_today
from commitments.views.dashboard import agency_stats_context
from commitments.views.detail import commitment_page
from proposals import scoping
from proposals.errors import Conflict
from proposals.models import Agency, Session
from proposals.spreadsheets import csv_response, xlsx_response, xlsx_row
from responses.files import attachment_response
from responses.models import Response

from . import exports, selectors, services
from .choices import RoundState, Verdict
from .forms import ItemReportForm, ItemVerifyForm, PeriodMetForm, RatingForm, RoundOpenForm, StaffRatingForm
from .models import CommitmentPeriod, ReviewItem, ReviewRound


def _bad(request, errors, status: int = 400):
    return render(
        request, "form_error.html", {"errors": errors, "back": request.META.get("HTTP_REFERER", "")}, status=status
    )


def _apply(request, form, call) -> int | None:
    """Validate the form and run the service: None when it ran; else the status to answer with the form's own
    page: 400 with the reasons on the bound form, 409 (the message flashed) when someone else acted first."""
    if not form.is_valid():
        return 400
    upload = form.cleaned_data.get("evidence_file")
    if upload and upload_too_large(upload):
        form.add_error("evidence_file", _("文件过大"))
        return 400
    try:
        call(form.cleaned_data)
    except Conflict as exc:
        for message in error_messages(exc):
            messages.warning(request, message)
        return 409
    except ValidationError as exc:
        for message in error_messages(exc):
            form.add_error(None, message)
        return 400
    return None


def _open_form(user, data=None) -> RoundOpenForm:
    if scoping.sees_everything(user):
        sessions = Session.objects.select_related("body")
    else:
        sessions = Session.objects.filter(body_id__in=scoping.body_ids(user)).select_related("body")
    return RoundOpenForm(data, sessions=sessions, agencies=Agency.objects.only("pk", "name"))


def _board(request, open_form: RoundOpenForm, status: int = 200):
    return render(
        request,
        "followup/board.html",
        {
            "nav": "followup",
            "columns": selectors.round_board(user=request.user),
            "by_agency": selectors.round_findings(user=request.user, by="agency"),
            "by_session": selectors.round_findings(user=request.user, by="session"),
            "open_form": open_form,
            "today": local_today(),
        },
        status=status,
    )


@login_required
def board(request):
    """The supervisor's 回头看 board: rounds due, submitted and verified, and the findings per agency and session."""
    if not scoping.is_supervisor(request.user):
        raise PermissionDenied
    return _board(request, _open_form(request.user))


def _board_export_table(request, name: str):
    """The rows of one table of the board's export, supervisors only (as the board)."""
    if not scoping.is_supervisor(request.user):
        raise PermissionDenied
    return exports.rows(
        name,
        user=request.user,
        today=local_today(),
        link=request.build_absolute_uri(reverse("followup:round", args=[0]))[:-2],  # ".../rounds/"
    )


@login_required
def board_export(request):
    """The board as .xlsx: the rounds, and the findings per agency and per session, one sheet each."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for table, title in zip(exports.TABLES, (_("回头看"), _("各单位"), _("各会议")), strict=True):
        sheet = workbook.create_sheet(title)
        sheet.append(xlsx_row(sheet, exports.header(table)))
        for row in _board_export_table(request, table):
            sheet.append(xlsx_row(sheet, row))
    return xlsx_response(workbook, f"luoshi-followup-{local_today():%Y%m%d}.xlsx")


@login_required
def board_export_csv(request):
    """One table of the board as CSV (`?table=rounds|agency|session`, default rounds): UTF-8 with a BOM, formula-like
    text quoted (proposals.spreadsheets.csv_cell)."""
    table = request.GET.get("table") or "rounds"
    if table not in exports.TABLES:
        return _bad(request, [_("未知表格：%(table)s") % {"table": table[:40]}])
    filename = f"luoshi-followup-{table}-{local_today():%Y%m%d}.csv"
    return csv_response(exports.header(table), _board_export_table(request, table), filename)


@login_required
@require_POST
def round_open(request):
    """A supervisor opens a round by hand for a session or an agency."""
    if not scoping.is_supervisor(request.user):
        raise PermissionDenied
    form = _open_form(request.user, request.POST)
    if not form.is_valid():
        # The board again with the form as typed and its errors (a separate error page lost what was typed).
        return _board(request, form, status=400)
    d = form.cleaned_data
    try:
        round_ = services.review_round_open(
            user=request.user,
            session=d["session"],
            agency=d["agency"],
            due_on=d["due_on"],
            title=d["title"],
            today=local_today(),
        )
    except ValidationError as exc:
        for message in error_messages(exc):
            form.add_error(None, message)
        return _board(request, form, status=409 if isinstance(exc, Conflict) else 400)
    messages.success(request, _("回头看已开启。"))
    asked = getattr(round_, "already_asked", 0)
    if asked:
        messages.info(request, _("范围内有 %(n)s 项承诺已在尚未核实的回头看中，未重复列入。") % {"n": asked})
    return redirect("followup:round", round_.pk)


def _round_page(request, pk: int, *, status: int = 200, item_pk: int | None = None, bound=None, staff_rating_form=None):
    """The round page; on a refused form, that form bound with what was typed and its errors (`bound`: the report
    or verify form of item `item_pk`; `staff_rating_form`), so nothing typed is lost."""
    round_ = get_object_or_404(selectors.round_detail_queryset(user=request.user), pk=pk)
    items = list(round_.items.all())  # the lines the user may see (selectors.round_lines)
    can_verify = round_.state == RoundState.SUBMITTED and any(
        services.commitment_services.can_decide(request.user, i.commitment) for i in items
    )
    # Who may report a line is who may act on its commitment (services.can_report): one query for every line.
    editable = selectors.editable_ids(request.user, items) if round_.state == RoundState.OPEN else set()
    reportable = {i.pk for i in items if i.commitment_id in editable}
    can_report = bool(reportable)
    # Lines of other agencies (not shown): how many, and how many of them are still to be reported.
    # (n_items, n_unreported: round_detail_queryset's annotations, over every agency's lines.)
    unreported = sum(1 for i in items if not i.reported_state or i.verdict == Verdict.RETURNED)
    others = round_.n_items - len(items)  # type: ignore[attr-defined]
    others_unreported = round_.n_unreported - unreported  # type: ignore[attr-defined]
    for i in items:
        mine = bound is not None and i.pk == item_pk
        i.bound = mine  # type: ignore[attr-defined]
        i.can_report = i.pk in reportable  # type: ignore[attr-defined]
        if i.can_report:  # type: ignore[attr-defined]
            i.report_form = (  # type: ignore[attr-defined]
                bound if mine else ItemReportForm(targets=i.commitment.targets.all(), auto_id=f"id_{i.pk}_%s")
            )
        if can_verify:
            i.verify_form = bound if mine else ItemVerifyForm(auto_id=f"id_v{i.pk}_%s")  # type: ignore[attr-defined]
    # A skipped round asked nothing, so no staff rating is entered from its page.
    rates = bool(round_.response_id) and round_.state != RoundState.SKIPPED
    if rates and staff_rating_form is None:
        staff_rating_form = StaffRatingForm()
    return render(
        request,
        "followup/round_detail.html",
        {
            "nav": "followup",
            "round": round_,
            "items": items,
            "can_report": can_report,
            "can_verify": can_verify,
            "others": others,
            "others_unreported": others_unreported,
            "staff_rating_form": staff_rating_form if rates else None,
        },
        status=status,
    )


@login_required
def round_detail(request, pk: int):
    """One round: each commitment with the agency's report and the supervisor's verdict, and the forms for both."""
    return _round_page(request, pk)


def _item_or_404(request, pk: int) -> ReviewItem:
    """A line the user is shown: of a round he may see, about a commitment he may see."""
    rounds = ReviewRound.objects.visible_to(request.user)
    lines = selectors.round_lines(user=request.user).select_related("round", "commitment")
    return get_object_or_404(lines, pk=pk, round__in=rounds)


def _to_line(item: ReviewItem):
    """Back to the round page on the line just reported or verified: a round of 21 lines reloaded at its top, the line
    8,500 px below (session 17's walk-through). A refused form's page lands there too: the forms' actions end with
    `#item-<id>`."""
    return redirect(reverse("followup:round", args=[item.round_id]) + f"#item-{item.pk}")


@login_required
@require_POST
def item_report(request, pk: int):
    """The agency reports one item of a round."""
    item = _item_or_404(request, pk)
    form = ItemReportForm(
        request.POST, request.FILES, targets=item.commitment.targets.order_by("pk"), auto_id=f"id_{item.pk}_%s"
    )

    def call(d):
        services.review_item_report(
            item=item,
            user=request.user,
            state=d["state"],
            note=d["note"],
            evidence_file=d["evidence_file"],
            evidence_url=d["evidence_url"] or "",
            actuals=form.actuals(),
        )

    status = _apply(request, form, call)
    if status is None:
        messages.success(request, _("已填报。"))
        return _to_line(item)
    return _round_page(request, item.round_id, status=status, item_pk=item.pk, bound=form if status == 400 else None)


@login_required
@require_POST
def round_submit(request, pk: int):
    """The agency submits a fully reported round for verification."""
    round_ = get_object_or_404(ReviewRound.objects.visible_to(request.user), pk=pk)
    try:
        services.review_round_submit(round_=round_, user=request.user)
    except ValidationError as exc:
        # The round page again with the reason (a separate error page lost the way back).
        for message in error_messages(exc):
            messages.error(request, message)
        return _round_page(request, round_.pk, status=409 if isinstance(exc, Conflict) else 400)
    messages.success(request, _("已提交，等待督办人员核实。"))
    return redirect("followup:round", round_.pk)


@login_required
@require_POST
def item_verify(request, pk: int):
    """A supervisor accepts or returns one reported item."""
    item = _item_or_404(request, pk)
    form = ItemVerifyForm(request.POST, auto_id=f"id_v{item.pk}_%s")

    def call(d):
        services.review_item_verify(item=item, user=request.user, accept=d["accept"], note=d["note"])

    status = _apply(request, form, call)
    if status is None:
        messages.success(request, _("已核实。"))
        return _to_line(item)
    return _round_page(request, item.round_id, status=status, item_pk=item.pk, bound=form if status == 400 else None)


@login_required
@require_POST
def period_met(request, pk: int):
    """Report one period of a recurring duty as met."""
    visible = Commitment.objects.visible_to(request.user)
    period = get_object_or_404(CommitmentPeriod.objects.select_related("commitment"), pk=pk, commitment__in=visible)
    form = PeriodMetForm(request.POST, request.FILES, auto_id=f"id_p{period.pk}_%s")

    def call(d):
        services.period_mark_met(
            period=period,
            user=request.user,
            note=d["note"],
            evidence_file=d["evidence_file"],
            evidence_url=d["evidence_url"] or "",
        )

    status = _apply(request, form, call)
    if status is None:
        messages.success(request, _("本期已登记完成。"))
        # Back on the period's row, now marked 已完成 (its form's action names the row, for a refused one too).
        return redirect(reverse("commitments:detail", args=[period.commitment_id]) + f"#period-{period.number}")
    # The commitment page again, this period's form bound (the periods tag reads it from the context).
    extra = {"period_form": form, "period_pk": period.pk} if status == 400 else {}
    return commitment_page(request, period.commitment_id, status=status, extra=extra)


@login_required
def period_evidence(request, pk: int):
    """A period's evidence file, as a download, to a user who may see its commitment (proposers included)."""
    visible = Commitment.objects.visible_to(request.user)
    period = get_object_or_404(CommitmentPeriod.objects.exclude(evidence_file=""), pk=pk, commitment__in=visible)
    return attachment_response(period.evidence_file)


@login_required
def item_evidence(request, pk: int):
    """A round item's evidence file, as a download, to a user who may see its commitment (proposers included)."""
    visible = Commitment.objects.visible_to(request.user)
    item = get_object_or_404(ReviewItem.objects.exclude(evidence_file=""), pk=pk, commitment__in=visible)
    return attachment_response(item.evidence_file)


def _mine_page(request, *, status: int = 200, reply_pk: int | None = None, rating_form=None):
    """The proposer's page; on a refused rating, that reply's form bound with what was chosen and its errors."""
    items = list(selectors.proposer_items(user=request.user))
    replies = [reply for item in items for reply in item.responses.all()]
    rounds = selectors.rating_rounds(response_ids=[r.pk for r in replies])
    # A submitted round's reports, not yet verified: the second rating it opens is informed by them (session 19).
    reports = selectors.reply_reports(replies=replies, rounds=rounds)
    for item in items:
        for reply in item.responses.all():
            for commitment in reply.commitments.all():
                commitment.reports_unverified = reports.get(commitment.pk, [])
            reply.next_round = rounds.get(reply.pk)
            reply.rated_this_round = any(
                r.round_id == getattr(reply.next_round, "pk", None) for r in reply.ratings.all()
            )
            mine = rating_form is not None and reply.pk == reply_pk
            reply.rating_form = rating_form if mine else RatingForm(auto_id=f"id_r{reply.pk}_%s")
    # Named at the page's top, each a link to its form: with a long reply the form is far down a phone's page.
    to_rate = [reply for item in items for reply in item.responses.all() if not reply.rated_this_round]
    return render(
        request,
        "followup/mine.html",
        {"nav": "mine", "items": items, "today": local_today(), "to_rate": to_rate},
        status=status,
    )


@login_required
def mine(request):
    """The proposer's own page (works on a phone): items, replies, commitments with progress and evidence, ratings."""
    if not scoping.is_proposer(request.user):
        raise PermissionDenied
    return _mine_page(request)


@login_required
@require_POST
def rate(request, pk: int):
    """The proposer rates a reply to his own item (attitude and result apart); staff enter one marked as theirs."""
    response = get_object_or_404(Response.objects.visible_to(request.user).select_related("proposal__session"), pk=pk)
    staff = "collected_by" in request.POST
    form = StaffRatingForm(request.POST) if staff else RatingForm(request.POST, auto_id=f"id_r{pk}_%s")

    def call(d):
        services.rating_record(
            response=response,
            user=request.user,
            attitude=d["attitude"],
            result=d["result"],
            comment=d["comment"],
            collected_by=d["collected_by"] if staff else "proposer",
        )

    status = _apply(request, form, call)
    if status is None:
        messages.success(request, _("评价已提交。"))
        if form.cleaned_data["result"] == "unsatisfied":
            messages.warning(request, _("办理结果不满意，该件已转为重新办理。"))
        if not staff:
            return redirect("followup:mine")
        if _safe(request):
            return redirect(request.POST["next"])
        return redirect("responses:detail", response.pk)
    bound = form if status == 400 else None
    if not staff:
        return _mine_page(request, status=status, reply_pk=pk, rating_form=bound)
    # The staff form is on the round page (its round travels in the form); without one, the reasons alone.
    round_pk = request.POST.get("round", "")
    if (
        round_pk.isdigit()
        and ReviewRound.objects.visible_to(request.user).filter(pk=round_pk, response=response).exists()
    ):
        return _round_page(request, int(round_pk), status=status, staff_rating_form=bound)
    return _bad(request, form.errors, status=status)  # a 409's message is flashed, shown above


def _safe(request) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    return url_has_allowed_host_and_scheme(request.POST.get("next", ""), allowed_hosts={request.get_host()})


@login_required
def agency_stats(request):
    """The per-agency table with two 满意率 columns: the proposers' own ratings and those entered by staff."""
    # Counted once (ReplyRatingTally at scale) for both the 满意率 column and the two sides, with the page's filters.
    context = agency_stats_context(
        request, rates=lambda filters: selectors.rating_rates_by_agency(user=request.user, filters=filters)
    )
    if "errors" in context:
        return render(request, "form_error.html", context, status=400)
    for row in context["rows"]:
        row["ratings"] = context["rated"].get(row["agency_id"])
    context["rating_sides"] = True
    return render(request, "commitments/agency_stats.html", context)
