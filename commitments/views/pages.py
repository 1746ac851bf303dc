"""Pages that show a record with its commitments: an item (its replies and commitments) and a reply letter (its
commitments highlighted). They live here, above `proposals` and `responses`, because they read all three apps;
their routes keep the `proposals:detail` and `responses:detail` names (config/ui_urls.py).
"""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from proposals import panels, scoping
from proposals.models import Assignment, Proposal, ProposalProposer
from responses.forms import SatisfactionForm
from responses.highlight import Mark, find_inner, highlight
from responses.models import Response

from ..models import Commitment, Target


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
    replies = (
        Response.objects.visible_to(request.user)
        .filter(proposal=proposal)
        .select_related("agency", "satisfaction_recorded_by", "document")
    )
    commitments = proposal.commitments.all().select_related("agency").order_by("deadline", "pk")
    can_rate = scoping.is_supervisor(request.user) or scoping.is_clerk(request.user)
    return render(
        request,
        "proposals/proposal_detail.html",
        {
            "proposal": proposal,
            "replies": replies,
            "commitments": commitments,
            "nav": "proposals",
            "satisfaction_form": SatisfactionForm() if can_rate else None,
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
    return render(
        request,
        "responses/reply_detail.html",
        {
            "response": response,
            "commitments": commitments,
            "letter": highlight(text, marks),
            "nav": "replies",
            "panels": panels.render(request, response, page="reply"),
        },
    )
