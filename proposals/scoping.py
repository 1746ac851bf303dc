"""Who belongs where: the one place that turns a user into the agencies and bodies they act for.

Every `visible_to(user)` queryset method (proposals, responses, commitments) is built on these.
"""

from django.contrib.auth.models import AnonymousUser, User

# Per-request caches kept on the user instance (and in the cached API user, accounts/services.py).
_AGENCY_IDS = "_luoshi_agency_ids"
_BODY_IDS = "_luoshi_body_ids"
_PROPOSER_IDS = "_luoshi_proposer_ids"


def _memberships_load(user: User) -> None:
    """Agencies, bodies and proposers of the user in ONE query (a UNION ALL), cached on the user object."""
    from django.db.models import CharField, Value

    from .models import Agency, Body, Proposer

    def tagged(queryset, tag: str, column: str):
        return (
            # No ORDER BY inside a UNION (SQLite refuses it; Proposer has a default ordering).
            queryset.order_by()
            .filter(user_id=user.pk)
            .annotate(tag=Value(tag, output_field=CharField()))
            .values_list("tag", column)
        )

    rows = tagged(Agency.clerks.through.objects.all(), "a", "agency_id").union(
        tagged(Body.supervisors.through.objects.all(), "b", "body_id"),
        tagged(Proposer.objects.all(), "p", "pk"),
        all=True,
    )
    found: dict[str, list[int]] = {"a": [], "b": [], "p": []}
    for tag, pk in rows:
        found[tag].append(pk)
    setattr(user, _AGENCY_IDS, found["a"])
    setattr(user, _BODY_IDS, found["b"])
    setattr(user, _PROPOSER_IDS, found["p"])


def sees_everything(user: User | AnonymousUser) -> bool:
    """Superusers, and staff holding the global view permission, see every item."""
    return bool(user.is_authenticated and (user.is_superuser or user.has_perm("proposals.view_all_items")))


def agency_ids(user: User | AnonymousUser) -> list[int]:
    """Agencies the user is a clerk of (cached on the user object for the request)."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, _AGENCY_IDS):
        _memberships_load(user)
    return getattr(user, _AGENCY_IDS)


def body_ids(user: User | AnonymousUser) -> list[int]:
    """Bodies (congress or CPPCC offices) the user supervises for (cached on the user object)."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, _BODY_IDS):
        _memberships_load(user)
    return getattr(user, _BODY_IDS)


def cache_clear(user) -> None:
    """Forget the cached memberships after changing them within the request."""
    for name in (_AGENCY_IDS, _BODY_IDS, _PROPOSER_IDS):
        if hasattr(user, name):
            delattr(user, name)


def proposer_ids(user: User | AnonymousUser) -> list[int]:
    """Proposers (a deputy, a member, an organisation) the user's account speaks for (cached on the user)."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, _PROPOSER_IDS):
        _memberships_load(user)
    return getattr(user, _PROPOSER_IDS)


def is_proposer(user: User | AnonymousUser) -> bool:
    """The account speaks for at least one proposer: it sees that proposer's own items, read-only."""
    return bool(proposer_ids(user))


def is_supervisor(user: User | AnonymousUser) -> bool:
    return sees_everything(user) or bool(body_ids(user))


def is_clerk(user: User | AnonymousUser) -> bool:
    return bool(agency_ids(user))


def may_act_for_agency(user: User | AnonymousUser, agency_id: int) -> bool:
    """Who may log a reply or an upload as this agency: its clerks, supervisors and those who see everything."""
    return sees_everything(user) or agency_id in agency_ids(user) or bool(body_ids(user))


def supervised_agencies(bodies: list[int]):
    """Agencies the bodies assign items to (a subquery of ids): their supervisors see what is not linked yet."""
    from django.apps import apps  # scoping is imported by the models module it would read
    from django.db.models import Exists, OuterRef

    agency, assignment = apps.get_model("proposals", "Agency"), apps.get_model("proposals", "Assignment")
    # One EXISTS per agency (a few hundred rows, each stopped at its first assignment in the bodies), not every
    # assignment of the bodies: at 5M the latter was a 125,000-row join hashed for each search or list (174 ms).
    assigned = assignment.objects.filter(agency=OuterRef("pk"), proposal__session__body_id__in=bodies)
    return agency.objects.filter(Exists(assigned)).values("pk")


def uploaders_in_scope(user: User | AnonymousUser):
    """Users whose unconfirmed uploads `user` may see besides their own (a subquery of user ids): clerks of the
    user's agencies and of the agencies the user's bodies assign items to."""
    from django.apps import apps
    from django.db.models import Q

    agency = apps.get_model("proposals", "Agency")
    scope = Q(pk__in=agency_ids(user))
    if body_ids(user):
        scope |= Q(pk__in=supervised_agencies(body_ids(user)))
    return agency.objects.filter(scope).exclude(clerks=None).values("clerks")
