"""Reads that find what escapes supervision (issue 11): items, replies and commitments no supervisor or no agency
can see, and commitments no one will be reminded of. Used by `manage.py check_scope` and the admin page
`/admin/check-scope/` (linked from the admin index).
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from proposals.models import Agency, Assignment, Body, Proposal
from responses.models import Response

from .choices import CommitmentStatus
from .models import Commitment


@dataclass(frozen=True)
class Gap:
    """One kind of escape: a label (in the active language), the model's admin route and the offending rows."""

    key: str
    label: str
    admin: str
    rows: QuerySet


def _supervised_bodies() -> QuerySet:
    return Body.objects.filter(supervisors__is_active=True).values("pk")


def _supervised_agencies() -> QuerySet:
    return Assignment.objects.filter(proposal__session__body__in=_supervised_bodies()).values("agency_id")


def _agencies_with_clerks() -> QuerySet:
    return Agency.objects.filter(clerks__is_active=True).values("pk")


def scope_gaps() -> list[Gap]:
    """Every kind of escape with its rows (querysets, evaluated by the caller), in a fixed order."""
    supervised = _supervised_bodies()
    with_clerks = _agencies_with_clerks()
    users = get_user_model().objects.filter(is_active=True)
    any_supervisor = Body.objects.filter(supervisors__is_active=True).exists()
    commitments = Commitment.objects.select_related("agency", "proposal")
    if any_supervisor:
        # Commitments from news or reports (no item) are open to every supervisor (Commitment.objects.visible_to).
        unsupervised_commitments = commitments.filter(proposal__isnull=False).exclude(
            proposal__session__body__in=supervised
        )
    else:
        unsupervised_commitments = commitments.all()
    clerk_of_responsible = users.filter(
        Q(clerk_agencies=OuterRef("agency_id")) | Q(clerk_agencies__commitments=OuterRef("pk"))
    )
    active_owner = users.filter(pk=OuterRef("owner_id"))
    return [
        Gap(
            "items_no_supervisor",
            _("无督办人员可见的建议提案"),
            "proposals_proposal",
            Proposal.objects.exclude(session__body__in=supervised).select_related("session__body"),
        ),
        Gap(
            "items_no_agency",
            _("未交办任何单位的建议提案"),
            "proposals_proposal",
            Proposal.objects.filter(assignments__isnull=True).select_related("session__body"),
        ),
        Gap(
            "replies_no_supervisor",
            _("无督办人员可见的答复"),
            "responses_response",
            Response.objects.filter(
                Q(proposal__isnull=False) & ~Q(proposal__session__body__in=supervised)
                | Q(proposal__isnull=True) & ~Q(agency_id__in=_supervised_agencies())
            ).select_related("agency"),
        ),
        Gap(
            "replies_no_agency",
            _("答复单位无办理人员的答复"),
            "responses_response",
            Response.objects.exclude(agency_id__in=with_clerks).select_related("agency"),
        ),
        Gap(
            "commitments_no_supervisor",
            _("无督办人员可见的承诺"),
            "commitments_commitment",
            unsupervised_commitments,
        ),
        Gap(
            "commitments_no_agency",
            _("无责任单位的承诺"),
            "commitments_commitment",
            commitments.filter(agency__isnull=True, agencies__isnull=True),
        ),
        Gap(
            # The clerk scope (Commitment.objects.visible_to) reads the M2M alone: a lead agency missing from it
            # would hide the commitment from that agency's clerks.
            "commitments_lead_not_linked",
            _("主责单位不在责任单位中的承诺（该单位办理人员看不到）"),
            "commitments_commitment",
            commitments.filter(agency__isnull=False).exclude(
                Exists(
                    Commitment.agencies.through.objects.filter(
                        commitment_id=OuterRef("pk"), agency_id=OuterRef("agency_id")
                    )
                )
            ),
        ),
        Gap(
            "commitments_no_reminder",
            _("无人会收到提醒的承诺（责任单位无办理人员且无责任人）"),
            "commitments_commitment",
            commitments.filter(status=CommitmentStatus.OPEN, deadline__isnull=False)
            .exclude(Exists(clerk_of_responsible))
            .exclude(Exists(active_owner)),
        ),
    ]
