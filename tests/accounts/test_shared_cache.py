"""With the production cache (CACHE_URL on Redis) a token's revocation is seen by every process at once."""

import os
import uuid

import redis
from django.test import override_settings

from accounts.services import AUTH_CACHE_PREFIX, api_token_authenticate, api_token_create, api_token_revoke
from tests import factories

REDIS = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
PREFIX = f"luoshi-test-{uuid.uuid4().hex[:8]}"
SHARED = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS, "KEY_PREFIX": PREFIX}
}


@override_settings(CACHES=SHARED)
def test_revoked_token_entry_leaves_the_shared_cache(db):
    user = factories.UserFactory(username="cache_user")
    token, key = api_token_create(user=user, name="shared")
    raw = redis.Redis.from_url(REDIS)
    entry = f"{PREFIX}:1:{AUTH_CACHE_PREFIX}{token.key_hash}"
    try:
        assert api_token_authenticate(key) is not None
        # The entry lives in Redis, where every gunicorn worker and Celery process reads it...
        assert raw.exists(entry)
        api_token_revoke(token=token)
        # ...and revocation removes it there, so no process keeps accepting the token.
        assert not raw.exists(entry)
        assert api_token_authenticate(key) is None
    finally:
        raw.delete(entry)
