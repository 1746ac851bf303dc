"""Sign-in attempt limits (django-axes): per account and address, per address, per account, each with its own limit.

django-axes counts failures per (username, address, user agent) row and locks a request when any configured
combination of parameters reaches one limit. One limit for all would either let a single address lock an
account for everyone (a low per-account limit) or let one office behind a shared address be locked by a
single colleague (a low per-address limit). This handler gives each combination in AXES_LOCKOUT_PARAMETERS
its own limit (LOGIN_LOCKOUT_LIMITS, in the same order), by scaling every count to axes' one limit: a count
of `n` for a combination whose limit is `m` reads as `n * AXES_FAILURE_LIMIT // m`, which reaches
AXES_FAILURE_LIMIT exactly when `n` reaches `m`. Everything else (the cool-off, the lockout response, the
admin pages, the `axes_reset*` commands) is axes' own. See docs/ui.md "Sign-in protection".
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import render


class LoginAttemptHandler(AxesDatabaseHandler):
    """axes' database handler with one failure limit per lockout parameter combination."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        base = settings.AXES_FAILURE_LIMIT
        limits = settings.LOGIN_LOCKOUT_LIMITS
        scaled = 0
        for attempts, limit in zip(self.get_user_attempts(request, credentials), limits, strict=True):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            scaled = max(scaled, failures * base // max(1, limit))
        return scaled

    def user_logged_in(self, sender, request, user, **kwargs):
        super().user_logged_in(sender, request, user, **kwargs)
        # A success forgets this account's failures from this address only: signing in to one's own account
        # must not wipe the count of an address that tries many accounts.
        if request is not None and getattr(request, "axes_ip_address", None):
            AccessAttempt.objects.filter(username=user.get_username(), ip_address=request.axes_ip_address).delete()


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """The lockout page (429), Chinese first, saying how long the pause lasts."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds()) // 60)
    return render(request, "registration/lockout.html", {"minutes": minutes}, status=429)
