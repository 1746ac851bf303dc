"""Pages that show a record with its commitments, and the satisfaction form (不满意 notifies the supervisors): an item (its replies and commitments) and a reply letter (its
commitments highlighted). They live here, above `proposals` and `responses`, because they read all three apps;
their routes keep the `proposals:detail` and `responses:detail` names (config/ui_urls.py).
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from proposals import panels, scoping
from proposals.errors import Conflict
from proposals.models import Assignment, Proposal, ProposalProposer
from responses.forms import SatisfactionForm
from responses.highlight import Mark, find_inner, highlight
from responses.models import Response

from .. import reply_logging
from ..models import Commitment, Target
from ..services import can_record_reply_rating, reply_rate


@login_required
def proposal_detail(request, pk: int):
    """One item: proposers, assignments, replies with their satisfaction, and its commitments."""
    proposal = get_object_or_404(
        Proposal.objects.visible_to(request.user)
        .select_related("session__body")
        .prefetch_related(
            Prefetch("proposer_links", queryset=ProposalProposer.objects.select_related("proposer")),
            Prefetch("assignments", queryset=Assignment.objects.select_related("agency")),
        ),
        pk=pk,
    )
    replies = list(
        Response.objects.visible_to(request.user)
        .filter(proposal=proposal)
        .select_related("agency", "satisfaction_recorded_by", "document")
    )
    commitments = proposal.commitments.all().select_related("agency").order_by("deadline", "pk")
    for reply in replies:
        reply.proposal = proposal  # its assignments are prefetched above: can_record_satisfaction reads them
        reply.can_rate = can_record_reply_rating(request.user, reply)
    can_rate = any(r.can_rate for r in replies)
    # Replies saved as 不对应建议提案 whose letter names this item (registered later): one button links each.
    to_link = reply_logging.replies_naming_item(proposal, user=request.user)
    return render(
        request,
        "proposals/proposal_detail.html",
        {
            "proposal": proposal,
            "replies": replies,
            "commitments": commitments,
            "nav": "proposals",
            "satisfaction_form": SatisfactionForm() if can_rate else None,
            "replies_to_link": to_link,
            "today": dt.date.today(),
            # Sections later apps add (evidence: earlier items on the same subject), see proposals/panels.py.
            "panels": panels.render(request, proposal),
        },
    )


@login_required
def reply_detail(request, pk: int):
    """The letter with every stored commitment highlighted; ?c=<id> focuses one clause."""
    response = get_object_or_404(
        Response.objects.visible_to(request.user)
        .select_related("agency", "proposal__session", "document", "created_by")
        .prefetch_related(
            Prefetch(
                "commitments",
                queryset=Commitment.objects.select_related("agency")
                .prefetch_related(Prefetch("targets", queryset=Target.objects.order_by("pk")))
                .order_by("start", "pk"),
            )
        ),
        pk=pk,
    )
    focus = request.GET.get("c", "")
    text = response.document.text
    commitments = list(response.commitments.all())
    marks = []
    for number, c in enumerate(commitments, start=1):
        if c.start is None or c.end is None:
            continue
        inner = find_inner(text, c.start, c.end, [c.deadline_text], "dl")
        inner += find_inner(text, c.start, c.end, [t.text for t in c.targets.all()], "tg")
        marks.append(Mark(c.start, c.end, str(number), anchor=f"c-{c.pk}", focus=str(c.pk) == focus, inner=inner))
    may_edit = scoping.may_act_for_agency(request.user, response.agency_id)
    return render(
        request,
        "responses/reply_detail.html",
        {
            "response": response,
            "commitments": commitments,
            "letter": highlight(text, marks),
            "nav": "replies",
            "edit_label": _("修改答复") if may_edit else "",
            # Saved as 不对应建议提案 and the item its letter names is registered now: offered as one button.
            "letter_item": reply_logging.letter_item(response, user=request.user) if may_edit else None,
            "panels": panels.render(request, response, page="reply"),
        },
    )


@login_required
@require_POST
def reply_satisfaction(request, pk: int):
    """Record the proposer's satisfaction with a reply (clerks and supervisors in scope)."""
    response = get_object_or_404(Response.objects.visible_to(request.user).select_related("proposal__session"), pk=pk)
    if not can_record_reply_rating(request.user, response):
        if not (scoping.is_clerk(request.user) or scoping.is_supervisor(request.user)):
            raise PermissionDenied(_("提出人请在“我的建议提案”页面评价"))
        raise PermissionDenied(_("只有主办单位的办理人员或督办人员可以登记满意度。"))
    form = SatisfactionForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "form_error.html",
            {"errors": form.errors, "back": request.META.get("HTTP_REFERER", "")},
            status=400,
        )
    try:
        reply_rate(
            response=response,
            satisfaction=form.cleaned_data["satisfaction"],
            channel=form.cleaned_data["channel"],
            user=request.user,
        )
    except Conflict as exc:
        # Someone else recorded a different rating meanwhile (responses.services.satisfaction_record).
        messages.warning(request, exc.messages[0])
    else:
        if form.cleaned_data["satisfaction"] == "unsatisfied":
            messages.warning(request, _("已登记“不满意”，该件已转为重新办理。"))
        else:
            messages.success(request, _("满意度已登记。"))
    if response.proposal_id:
        return redirect("proposals:detail", response.proposal_id)
    return redirect("responses:detail", response.pk)
