"""Reads for proposals and agencies."""

import datetime as dt

from django.db.models import Q, QuerySet

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
    """Assignments of the user's scope not yet answered, soonest due first."""
    visible = Proposal.objects.visible_to(user)
    return (
        Assignment.objects.filter(proposal__in=visible, answered_on__isnull=True)
        .select_related("proposal__session__body", "agency")
        .order_by("due_on", "pk")
    )
