"""The commitment page and its actions (progress, close, change requests, decisions, actual values)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from proposals import scoping
from proposals.errors import Conflict
from responses.files import attachment_response

from .. import services
from ..choices import ChangeState, CommitmentStatus
from ..forms import (
    ChangeRequestForm,
    CloseForm,
    DecideForm,
    ProgressForm,
    TargetActualForm,
    upload_too_large,
)
from ..models import ChangeRequest, Commitment, Target
from ..selectors import (
    commitment_detail_queryset,
    commitment_timeline,
    evidence_with_file,
)
from .common import error_messages, local_today

# ------------------------------------------------------------------------------------------------ commitment page


def _commitment_or_404(request, pk: int) -> Commitment:
    return get_object_or_404(
        commitment_detail_queryset(user=request.user).select_related(
            "proposal__session__body", "response", "document", "owner"
        ),
        pk=pk,
    )


def _detail(request, commitment: Commitment, *, status: int = 200, extra: dict | None = None, **forms):
    pending = next((r for r in commitment.change_requests.all() if r.state == ChangeState.PENDING), None)
    today = local_today()
    context = {
        "nav": "dashboard" if scoping.is_supervisor(request.user) else "home",
        "c": commitment,
        "timeline": commitment_timeline(commitment=commitment),
        # The action forms only for those who may act (a proposer reads his items' commitments; session 16).
        "can_edit": services.can_edit(request.user, commitment),
        "can_decide": services.can_decide(request.user, commitment),
        "pending": pending,
        "is_open": commitment.status == CommitmentStatus.OPEN,
        "overdue": commitment.status == CommitmentStatus.OPEN and commitment.deadline and commitment.deadline < today,
        "targets": list(commitment.targets.all()),
        "progress_form": forms.get("progress_form") or ProgressForm(),
        "close_form": forms.get("close_form") or CloseForm(),
        "request_form": forms.get("request_form") or ChangeRequestForm(),
        "decide_form": forms.get("decide_form") or DecideForm(),
        "target_errors": forms.get("target_errors", {}),
    }
    if commitment.document_id and commitment.start is not None and commitment.end is not None:
        text = commitment.document.text
        context["context_before"] = text[max(0, commitment.start - 120) : commitment.start]
        context["context_after"] = text[commitment.end : commitment.end + 120]
    context.update(extra or {})
    return render(request, "commitments/commitment_detail.html", context, status=status)


def commitment_page(request, pk: int, *, status: int = 200, extra: dict | None = None):
    """The commitment page as another app's refused form answers (`extra`: its bound form, read by its tag)."""
    return _detail(request, _commitment_or_404(request, pk), status=status, extra=extra)


@login_required
def commitment_detail(request, pk: int):
    """One commitment: the clause in context, its timeline, and the actions the user may take."""
    return _detail(request, _commitment_or_404(request, pk))


@login_required
def evidence_file(request, pk: int):
    """A progress update's evidence file, as a download, to a user who may see its commitment."""
    update = evidence_with_file(user=request.user, pk=pk)
    return attachment_response(update.evidence_file)


def _evidence_ok(form, field: str = "evidence_file") -> bool:
    upload = form.cleaned_data.get(field)
    if upload and upload_too_large(upload):
        form.add_error(field, _("文件过大"))
        return False
    return True


def _to_top(commitment):
    """The commitment page at its top, on the message: each form posts to an address naming its own section
    (`#close`, `#progress`…), so a refused one's page lands on its reasons (session 17's walk-through: “已兑现须提供佐证材料”
    was 1,200 px below a page shown at its top); without `#top` a redirect would keep that section's name."""
    return redirect(reverse("commitments:detail", args=[commitment.pk]) + "#top")


def _apply(request, commitment, form, form_key: str, call, success: str):
    """Run a service call for a bound form; on bad input re-render the page with the errors and a 400."""
    valid = form.is_valid()
    if valid and "evidence_file" in form.fields:
        valid = _evidence_ok(form)
    if not valid:
        return _detail(request, commitment, status=400, **{form_key: form})
    try:
        call(form.cleaned_data)
    except Conflict as exc:
        # Someone else acted first: the page as it is now (the form may be gone), with the message, and a 409.
        for message in error_messages(exc):
            messages.warning(request, message)
        return _detail(request, _commitment_or_404(request, commitment.pk), status=409)
    except ValidationError as exc:
        for message in error_messages(exc):
            form.add_error(None, message)
        return _detail(request, commitment, status=400, **{form_key: form})
    messages.success(request, success)
    return _to_top(commitment)


@login_required
@require_POST
def commitment_progress(request, pk: int):
    """Record a progress note, percentage and evidence."""
    commitment = _commitment_or_404(request, pk)
    form = ProgressForm(request.POST, request.FILES)
    return _apply(
        request,
        commitment,
        form,
        "progress_form",
        lambda d: services.progress_record(
            commitment=commitment,
            user=request.user,
            note=d["note"],
            percent=d["percent"],
            evidence_file=d["evidence_file"],
            evidence_url=d["evidence_url"] or "",
        ),
        _("进展已记录。"),
    )


@login_required
@require_POST
def commitment_close(request, pk: int):
    """Close as fulfilled (evidence required), partly fulfilled, missed or withdrawn (reason required)."""
    commitment = _commitment_or_404(request, pk)
    form = CloseForm(request.POST, request.FILES, allow_open=request.POST.get("status") == CommitmentStatus.OPEN)
    return _apply(
        request,
        commitment,
        form,
        "close_form",
        lambda d: services.commitment_transition(
            commitment=commitment,
            status=d["status"],
            user=request.user,
            reason=d["reason"],
            evidence_file=d["evidence_file"],
            evidence_url=d["evidence_url"] or "",
        ),
        _("承诺状态已更新。"),
    )


@login_required
@require_POST
def commitment_request(request, pk: int):
    """A clerk asks to extend the deadline or withdraw; nothing moves until a supervisor approves."""
    commitment = _commitment_or_404(request, pk)
    form = ChangeRequestForm(request.POST)
    return _apply(
        request,
        commitment,
        form,
        "request_form",
        lambda d: services.change_request_create(
            commitment=commitment,
            user=request.user,
            kind=d["kind"],
            reason=d["reason"],
            requested_deadline=d["requested_deadline"],
        ),
        _("申请已提交，等待督办人员审批。"),
    )


@login_required
@require_POST
def change_request_decide(request, pk: int, request_pk: int):
    """A supervisor approves or refuses the pending request."""
    commitment = _commitment_or_404(request, pk)
    change_request = get_object_or_404(ChangeRequest, pk=request_pk, commitment=commitment)
    if not services.can_decide(request.user, commitment):
        raise PermissionDenied(_("只有督办人员可以审批"))
    form = DecideForm(request.POST)
    return _apply(
        request,
        commitment,
        form,
        "decide_form",
        lambda d: services.extension_decide(
            change_request=change_request, user=request.user, approve=d["decision"] == "approve", note=d["note"]
        ),
        _("已审批。"),
    )


@login_required
@require_POST
def closure_verify(request, pk: int):
    """A supervisor verifies a clerk's closure (from the inbox on the home page)."""
    commitment = _commitment_or_404(request, pk)
    try:
        services.closure_verify(commitment=commitment, user=request.user)
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
        return redirect("home")
    messages.success(request, _("已核实办结。"))
    return redirect("home")


@login_required
@require_POST
def target_actual(request, pk: int, target_pk: int):
    """Record the value actually reached for one quantitative target."""
    commitment = _commitment_or_404(request, pk)
    target = get_object_or_404(Target, pk=target_pk, commitment=commitment)
    form = TargetActualForm(request.POST)
    if not form.is_valid():
        errors = {target.pk: [e for errs in form.errors.values() for e in errs]}
        return _detail(request, commitment, status=400, target_errors=errors)
    services.target_record_actual(
        target=target, user=request.user, value=form.cleaned_data["value"], note=form.cleaned_data["note"]
    )
    messages.success(request, _("实际值已登记。"))
    return _to_top(commitment)
