"""Settings for the Celery worker and beat subprocesses of the integration tests: the test settings, with the
e-mail backend taken from the environment (a file or a local SMTP server) instead of the in-memory one."""

import os

from config.settings_test import *  # noqa: F403

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", "/tmp/luoshi-rem-mail")
