"""Test settings: the production settings on PostgreSQL, with a test secret and plain HTTP."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "luoshi-test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/luoshi")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# A per-process cache: never flush a shared Redis database that other test runs (or the broker) use.
os.environ.setdefault("CACHE_URL", "locmemcache://luoshi-test")
os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")

from .settings import *  # noqa: E402,F403
from .settings import DATABASES  # noqa: E402

# Tests always run on PostgreSQL: SQLite is only the zero-setup default of `make run`.
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise RuntimeError("The tests run on PostgreSQL only: set DATABASE_URL=postgres://…")

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="luoshi-media-")
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# No collectstatic in tests: whitenoise serves from the finders, and STATIC_ROOT exists but stays empty.
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="luoshi-static-"))
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
