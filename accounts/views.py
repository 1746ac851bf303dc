"""My account: the user's API tokens and calendar-feed URLs (create, shown once; revoke)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from proposals.models import Agency

from .http import AuthenticatedHttpRequest
from .models import ApiToken, CalendarToken
from .services import api_token_create, api_token_revoke, calendar_token_create, calendar_token_revoke


def _feed_urls(request: AuthenticatedHttpRequest, key: str) -> dict:
    """The user's feed and one per agency they belong to, as absolute URLs (the key is the credential)."""
    user_feed = request.build_absolute_uri(reverse("api:calendar-feed", args=[key]))
    agencies = Agency.objects.filter(clerks=request.user).order_by("name").only("pk", "name")
    return {
        "user_feed": user_feed,
        "agency_feeds": [
            (a.name, request.build_absolute_uri(reverse("api:calendar-agency-feed", args=[a.pk, key])))
            for a in agencies
        ],
    }


@login_required
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List the user's tokens and feeds; a secret just created is shown once, from the session."""
    fresh = request.session.pop("luoshi_fresh_secret", None)
    context = {
        "api_tokens": ApiToken.objects.filter(user=request.user),
        "calendar_tokens": CalendarToken.objects.filter(user=request.user),
        "fresh": fresh,
        "feeds": _feed_urls(request, fresh["key"]) if fresh and fresh["kind"] == "calendar" else None,
        "nav": "account",
    }
    return render(request, "accounts/account.html", context)


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """Create an API token (read-only unless asked otherwise); its key is shown once."""
    name = request.POST.get("name", "").strip()[:100]
    if not name:
        messages.error(request, _("请填写令牌名称"))
        return redirect("accounts:account")
    _token, key = api_token_create(user=request.user, name=name, read_only=request.POST.get("read_write") != "on")
    request.session["luoshi_fresh_secret"] = {"kind": "api", "key": key}
    return redirect("accounts:account")


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's API tokens (another user's gives 404)."""
    api_token_revoke(token=get_object_or_404(ApiToken, pk=pk, user=request.user))
    messages.success(request, _("令牌已吊销"))
    return redirect("accounts:account")


@login_required
@require_POST
def calendar_create(request: HttpRequest) -> HttpResponse:
    """Create a calendar-feed secret; its URLs are shown once."""
    _token, key = calendar_token_create(user=request.user)
    request.session["luoshi_fresh_secret"] = {"kind": "calendar", "key": key}
    return redirect("accounts:account")


@login_required
@require_POST
def calendar_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's calendar feeds (another user's gives 404)."""
    calendar_token_revoke(token=get_object_or_404(CalendarToken, pk=pk, user=request.user))
    messages.success(request, _("日历订阅已吊销"))
    return redirect("accounts:account")
