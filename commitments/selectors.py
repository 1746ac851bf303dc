"""Reads for commitments: scoped, optimised querysets for lists and details (UI, API, exports, feeds)."""

from django.db.models import Prefetch, QuerySet

from proposals.models import Agency

from .models import ChangeRequest, Commitment, ProgressUpdate


def commitment_list(*, user) -> QuerySet[Commitment]:
    """Commitments the user may see, with what a list row shows loaded in a fixed number of queries."""
    return (
        Commitment.objects.visible_to(user)
        .select_related("agency", "proposal__session")
        .prefetch_related(Prefetch("agencies", queryset=Agency.objects.only("id", "name", "short_name")), "targets")
    )


def commitment_detail_queryset(*, user) -> QuerySet[Commitment]:
    """Commitments the user may see, with targets, progress and change requests for a detail page."""
    return commitment_list(user=user).prefetch_related(
        Prefetch("progress_updates", queryset=ProgressUpdate.objects.select_related("author")),
        Prefetch("change_requests", queryset=ChangeRequest.objects.select_related("requested_by", "decided_by")),
    )


def change_request_list(*, user) -> QuerySet[ChangeRequest]:
    """Change requests on commitments the user may see, newest first."""
    return (
        ChangeRequest.objects.filter(commitment__in=Commitment.objects.visible_to(user))
        .select_related("commitment", "requested_by", "decided_by")
        .order_by("-requested_at", "-pk")
    )
