"""Writes and lookups for API and calendar tokens: keys are shown once and stored only as SHA-256 hashes.

The keys are 256-bit random strings, so a fast hash is enough: there is nothing to brute-force.

An authenticated token (with its user, the user's agencies, bodies and permissions) is cached under the key's
hash for at most API_AUTH_CACHE_SECONDS, so a request needs no query to know who is calling and what they
see. Revoking a token, and any change to a user, their memberships or their permissions, deletes the
entries at once (accounts/signals.py); the cache must be shared between processes (Redis in production),
as the throttle's counters already require.
"""

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from proposals import scoping

from .models import ApiToken, CalendarToken

API_KEY_PREFIX = "lsk_"
CALENDAR_KEY_PREFIX = "lsc_"
# Writing last_used_at on every request would turn each read into a write; once a minute is enough.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
AUTH_CACHE_PREFIX = "luoshi:apiauth:"


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
    """Revoke a token at once; requests carrying it are refused from now on (its cached entry is dropped)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    cache.delete(AUTH_CACHE_PREFIX + token.key_hash)
    return token


def api_token_authenticate(key: str) -> ApiToken | None:
    """The live token with this key (its user and the user's scope loaded), or None; records when it was used.

    Served from the cache when possible. An entry lives until `last_used_at` is due for its next update (and
    never longer than API_AUTH_CACHE_SECONDS), so the cached path never writes and the database path keeps
    `last_used_at` to the minute.
    """
    if not key or not key.startswith(API_KEY_PREFIX) or len(key) > 100:
        return None
    digest = key_hash(key)
    token = cache.get(AUTH_CACHE_PREFIX + digest)
    if token is not None:
        return token
    token = ApiToken.objects.select_related("user").filter(key_hash=digest, revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    _touch(token)
    user = token.user
    # Filled now so that they travel with the cached user: scoping and ModelBackend keep them on the instance.
    scoping.agency_ids(user)
    scoping.body_ids(user)
    scoping.proposer_ids(user)
    user.has_perm("proposals.view_all_items")
    assert token.last_used_at is not None  # _touch() has just set it
    until_touch = LAST_USED_RESOLUTION - (timezone.now() - token.last_used_at)
    timeout = min(settings.API_AUTH_CACHE_SECONDS, int(until_touch.total_seconds()))
    if timeout > 0:
        cache.set(AUTH_CACHE_PREFIX + digest, token, timeout)
    return token


def api_auth_forget(*, user_ids: Iterable[int]) -> None:
    """Drop the cached authentication of every token of these users (their scope or permissions changed)."""
    ids = [pk for pk in user_ids if pk is not None]
    if not ids:
        return
    hashes = ApiToken.objects.filter(user_id__in=ids).values_list("key_hash", flat=True)
    cache.delete_many([AUTH_CACHE_PREFIX + h for h in hashes])


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
    token = CalendarToken.objects.select_related("user").filter(key_hash=key_hash(key), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    _touch(token)
    return token


def _touch(token: ApiToken | CalendarToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        type(token).objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
