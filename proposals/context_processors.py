"""Template context: the signed-in user's roles, computed lazily (two small queries, cached on the user)."""

from django.utils.functional import SimpleLazyObject

from . import scoping


class _Roles:
    def __init__(self, user):
        self.is_supervisor = scoping.is_supervisor(user)
        self.is_clerk = scoping.is_clerk(user)
        self.is_proposer = scoping.is_proposer(user)
        # No staff home: `/` sends such an account to its own page (我的建议提案), so the nav links that once.
        self.proposer_only = self.is_proposer and not (self.is_clerk or self.is_supervisor)


def roles(request):
    """`roles.is_supervisor`, `roles.is_clerk` and `roles.is_proposer` for the navigation."""
    return {"roles": SimpleLazyObject(lambda: _Roles(request.user))}
