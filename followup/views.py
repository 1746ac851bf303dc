"""Web pages for follow-through: the 回头看 board and a round's page (report, submit, verify), periods of a
recurring duty, the proposer's own page with ratings, and the per-agency table with both satisfaction rates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commitments.forms import upload_too_large
from commitments.models import Commitment
from commitments.views.common import error_messages, local_today
from commitments.views.dashboard import agency_stats_context
from proposals import scoping
from proposals.errors import Conflict
from proposals.models import Agency, Session
from responses.files import attachment_response
from responses.models import Response

from . import selectors, services
from .choices import RoundState
from .forms import ItemReportForm, ItemVerifyForm, PeriodMetForm, RatingForm, RoundOpenForm, StaffRatingForm
from .models import CommitmentPeriod, ReviewItem, ReviewRound


def _bad(request, errors, status: int = 400):
    return render(
        request, "form_error.html", {"errors": errors, "back": request.META.get("HTTP_REFERER", "")}, status=status
    )


def _run(request, form, call, success: str, redirect_to):
    """Validate the form, run the service; bad input is a 400 page with the reasons, never a 500."""
    if not form.is_valid():
        return _bad(request, form.errors)
    upload = form.cleaned_data.get("evidence_file")
    if upload and upload_too_large(upload):
        return _bad(request, {"evidence_file": [_("文件过大 / The file is too large.")]})
    try:
        call(form.cleaned_data)
    except ValidationError as exc:
        # A Conflict (someone else changed it first) is a ValidationError answered 409, like the other pages.
        return _bad(request, {"": error_messages(exc)}, status=409 if isinstance(exc, Conflict) else 400)
    messages.success(request, success)
    return redirect_to


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
    return redirect("followup:round", round_.pk)


@login_required
def round_detail(request, pk: int):
    """One round: each commitment with the agency's report and the supervisor's verdict, and the forms for both."""
    round_ = get_object_or_404(selectors.round_detail_queryset(user=request.user), pk=pk)
    items = list(round_.items.all())
    can_verify = round_.state == RoundState.SUBMITTED and any(
        services.commitment_services.can_decide(request.user, i.commitment) for i in items
    )
    can_report = round_.state == RoundState.OPEN and any(services.can_report(request.user, i) for i in items)
    if can_report:
        for i in items:
            i.report_form = ItemReportForm(targets=i.commitment.targets.all(), auto_id=f"id_{i.pk}_%s")  # type: ignore[attr-defined]
    return render(
        request,
        "followup/round_detail.html",
        {
            "nav": "followup",
            "round": round_,
            "items": items,
            "can_report": can_report,
            "can_verify": can_verify,
            "verify_form": ItemVerifyForm(),
            "staff_rating_form": StaffRatingForm() if round_.response_id else None,
        },
    )


def _item_or_404(request, pk: int) -> ReviewItem:
    rounds = ReviewRound.objects.visible_to(request.user)
    return get_object_or_404(ReviewItem.objects.select_related("round", "commitment"), pk=pk, round__in=rounds)


@login_required
@require_POST
def item_report(request, pk: int):
    """The agency reports one item of a round."""
    item = _item_or_404(request, pk)
    form = ItemReportForm(request.POST, request.FILES, targets=item.commitment.targets.order_by("pk"))

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

    return _run(request, form, call, _("已填报。"), redirect("followup:round", item.round_id))


@login_required
@require_POST
def round_submit(request, pk: int):
    """The agency submits a fully reported round for verification."""
    round_ = get_object_or_404(ReviewRound.objects.visible_to(request.user), pk=pk)
    try:
        services.review_round_submit(round_=round_, user=request.user)
    except ValidationError as exc:
        return _bad(request, {"": error_messages(exc)}, status=409 if isinstance(exc, Conflict) else 400)
    messages.success(request, _("已提交，等待督办人员核实。"))
    return redirect("followup:round", round_.pk)


@login_required
@require_POST
def item_verify(request, pk: int):
    """A supervisor accepts or returns one reported item."""
    item = _item_or_404(request, pk)
    form = ItemVerifyForm(request.POST)

    def call(d):
        services.review_item_verify(item=item, user=request.user, accept=d["accept"], note=d["note"])

    return _run(request, form, call, _("已核实。"), redirect("followup:round", item.round_id))


@login_required
@require_POST
def period_met(request, pk: int):
    """Report one period of a recurring duty as met."""
    visible = Commitment.objects.visible_to(request.user)
    period = get_object_or_404(CommitmentPeriod.objects.select_related("commitment"), pk=pk, commitment__in=visible)
    form = PeriodMetForm(request.POST, request.FILES)

    def call(d):
        services.period_mark_met(
            period=period,
            user=request.user,
            note=d["note"],
            evidence_file=d["evidence_file"],
            evidence_url=d["evidence_url"] or "",
        )

    return _run(request, form, call, _("本期已登记完成。"), redirect("commitments:detail", period.commitment_id))


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


@login_required
def mine(request):
    """The proposer's own page (works on a phone): items, replies, commitments with progress and evidence, ratings."""
    if not scoping.is_proposer(request.user):
        raise PermissionDenied
    items = list(selectors.proposer_items(user=request.user))
    replies = [reply for item in items for reply in item.responses.all()]
    rounds = selectors.rating_rounds(response_ids=[r.pk for r in replies])
    for item in items:
        for reply in item.responses.all():
            reply.next_round = rounds.get(reply.pk)
            reply.rated_this_round = any(
                r.round_id == getattr(reply.next_round, "pk", None) for r in reply.ratings.all()
            )
    return render(
        request,
        "followup/mine.html",
        {"nav": "mine", "items": items, "rating_form": RatingForm(), "today": local_today()},
    )


@login_required
@require_POST
def rate(request, pk: int):
    """The proposer rates a reply to his own item (attitude and result apart); staff enter one marked as theirs."""
    response = get_object_or_404(Response.objects.visible_to(request.user).select_related("proposal__session"), pk=pk)
    staff = "collected_by" in request.POST
    form = StaffRatingForm(request.POST) if staff else RatingForm(request.POST)

    def call(d):
        services.rating_record(
            response=response,
            user=request.user,
            attitude=d["attitude"],
            result=d["result"],
            comment=d["comment"],
            collected_by=d["collected_by"] if staff else "proposer",
        )

    if not staff:
        target = redirect("followup:mine")
    elif _safe(request):
        target = redirect(request.POST["next"])
    else:
        target = redirect("responses:detail", response.pk)
    result = _run(request, form, call, _("评价已提交。"), target)
    if result is target and form.cleaned_data["result"] == "unsatisfied":
        messages.warning(request, _("办理结果不满意，该件已转为重新办理。"))
    return result


def _safe(request) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    return url_has_allowed_host_and_scheme(request.POST.get("next", ""), allowed_hosts={request.get_host()})


@login_required
def agency_stats(request):
    """The per-agency table with two 满意率 columns: the proposers' own ratings and those entered by staff."""
    # Counted once (ReplyRatingTally at scale) for both the 满意率 column and the two sides.
    rates = selectors.rating_rates_by_agency(user=request.user)
    context = agency_stats_context(request, rated=rates)
    if "errors" in context:
        return render(request, "form_error.html", context, status=400)
    for row in context["rows"]:
        row["ratings"] = rates.get(row["agency_id"])
    context["rating_sides"] = True
    return render(request, "commitments/agency_stats.html", context)
