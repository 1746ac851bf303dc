"""Writes and lookups for API and calendar tokens: keys are shown once and stored only as SHA-256 hashes.

The keys are 256-bit random strings, so a fast hash is enough: there is nothing to brute-force.
"""

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from .models import ApiToken, CalendarToken

API_KEY_PREFIX = "lsk_"
CALENDAR_KEY_PREFIX = "lsc_"
# Writing last_used_at on every request would turn each read into a write; once a minute is enough.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _new_key(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


@transaction.atomic
def api_token_create(*, user, name: str, read_only: bool = True) -> tuple[ApiToken, str]:
    """Create an API token for `user`; returns the token and its key, which is never retrievable again."""
    key = _new_key(API_KEY_PREFIX)
    token = ApiToken.objects.create(
        user=user, name=(name or "API")[:100], prefix=key[:12], key_hash=key_hash(key), read_only=read_only
    )
    return token, key


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token at once; requests carrying it are refused from now on."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(key: str) -> ApiToken | None:
    """The live token with this key (its user loaded), or None; records when it was last used."""
    if not key or not key.startswith(API_KEY_PREFIX) or len(key) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=key_hash(key), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    _touch(token)
    return token


@transaction.atomic
def calendar_token_create(*, user) -> tuple[CalendarToken, str]:
    """Create a calendar-feed token for `user`; returns the token and its key (the secret part of the URL)."""
    key = _new_key(CALENDAR_KEY_PREFIX)
    token = CalendarToken.objects.create(user=user, prefix=key[:12], key_hash=key_hash(key))
    return token, key


def calendar_token_revoke(*, token: CalendarToken) -> CalendarToken:
    """Revoke a calendar feed; its URL returns 404 from now on."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def calendar_token_resolve(key: str) -> CalendarToken | None:
    """The live calendar token with this key (its user loaded), or None."""
    if not key or not key.startswith(CALENDAR_KEY_PREFIX) or len(key) > 100:
        return None
    token = CalendarToken.objects.select_related("user").filter(
        key_hash=key_hash(key), revoked_at__isnull=True
    ).first()
    if token is None or not token.user.is_active:
        return None
    _touch(token)
    return token


def _touch(token: ApiToken | CalendarToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        type(token).objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
