"""Who belongs where: the one place that turns a user into the agencies and bodies they act for.

Every `visible_to(user)` queryset method (proposals, responses, commitments) is built on these.
"""

from django.contrib.auth.models import AnonymousUser, User

# Per-request caches kept on the user instance (and in the cached API user, accounts/services.py).
_AGENCY_IDS = "_luoshi_agency_ids"
_BODY_IDS = "_luoshi_body_ids"
_PROPOSER_IDS = "_luoshi_proposer_ids"


def sees_everything(user: User | AnonymousUser) -> bool:
    """Superusers, and staff holding the global view permission, see every item."""
    return bool(user.is_authenticated and (user.is_superuser or user.has_perm("proposals.view_all_items")))


def agency_ids(user: User | AnonymousUser) -> list[int]:
    """Agencies the user is a clerk of (cached on the user object for the request)."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, _AGENCY_IDS):
        setattr(user, _AGENCY_IDS, list(user.clerk_agencies.values_list("pk", flat=True)))
    return getattr(user, _AGENCY_IDS)


def body_ids(user: User | AnonymousUser) -> list[int]:
    """Bodies (congress or CPPCC offices) the user supervises for (cached on the user object)."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, _BODY_IDS):
        setattr(user, _BODY_IDS, list(user.supervised_bodies.values_list("pk", flat=True)))
    return getattr(user, _BODY_IDS)


def proposer_ids(user: User | AnonymousUser) -> list[int]:
    """Proposers (a deputy, a member, an organisation) the user's account speaks for (cached on the user)."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, _PROPOSER_IDS):
        setattr(user, _PROPOSER_IDS, list(user.proposer_accounts.values_list("pk", flat=True)))
    return getattr(user, _PROPOSER_IDS)


def is_proposer(user: User | AnonymousUser) -> bool:
    """The account speaks for at least one proposer: it sees that proposer's own items, read-only."""
    return bool(proposer_ids(user))


def is_supervisor(user: User | AnonymousUser) -> bool:
    return sees_everything(user) or bool(body_ids(user))


def is_clerk(user: User | AnonymousUser) -> bool:
    return bool(agency_ids(user))
