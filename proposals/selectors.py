"""Reads for proposals and agencies."""

import datetime as dt

from django.db.models import F, Q, QuerySet

from . import scoping
from .models import Agency, Assignment, Proposal


def _normalise_agency_name(name: str) -> str:
    return "".join(name.split())


def agency_find(name: str) -> Agency | None:
    """The agency whose full name, short name or an alias is `name` (whitespace ignored), or None."""
    name = _normalise_agency_name(name)
    if not name:
        return None
    agency = Agency.objects.filter(Q(name=name) | Q(short_name=name)).first()
    if agency is not None:
        return agency
    # Aliases are a JSON list; the table is small (hundreds of rows), so a scan is cheap and portable.
    for candidate in Agency.objects.exclude(aliases=[]).only("pk", "aliases", "name"):
        if name in {_normalise_agency_name(a) for a in candidate.aliases}:
            return candidate
    return None


def proposal_list(*, user) -> QuerySet[Proposal]:
    """Items the user may see, with session, body and proposers loaded."""
    return (
        Proposal.objects.visible_to(user)
        .select_related("session__body")
        .prefetch_related("proposer_links__proposer", "assignments__agency")
    )


def assignments_awaiting_reply(*, user, today: dt.date) -> QuerySet[Assignment]:
    """Unanswered assignments: a clerk's own agencies', every one of a supervisor's bodies; soonest due first."""
    pending = Assignment.objects.filter(answered_on__isnull=True)
    if not scoping.sees_everything(user):
        # A clerk answers for their own agencies only: co-handlers' clocks are not theirs to keep.
        pending = pending.filter(
            Q(agency_id__in=scoping.agency_ids(user)) | Q(proposal__session__body_id__in=scoping.body_ids(user))
        )
    return pending.select_related("proposal__session__body", "agency").order_by(F("due_on").asc(nulls_last=True), "pk")
