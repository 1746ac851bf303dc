"""Luoshi settings: everything comes from the environment (see .env.example)."""

import datetime as dt
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# A development key only when DEBUG is on; production refuses to start without one.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "django-insecure-luoshi-development-only"
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off / 关闭 DEBUG 时必须设置 SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "proposals",
    "responses",
    "commitments",
    "followup",
    "evidence",
    "accounts",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A body declared over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413 before anything reads it (config/request_limits.py);
    # every middleware's request phase runs before CsrfViewMiddleware's process_view reads the form.
    "config.request_limits.RequestSizeLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes checks every sign-in (/login/, /admin/login/, anything that calls authenticate with a request)
# before the model backend; accounts/login_protection.py gives each lockout combination its own limit.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "proposals.context_processors.roles",
                "commitments.context_processors.notifications",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite is only the zero-setup default of `make run`; tests and production use PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'luoshi.sqlite3'}")}
# Persistent connections: a fresh PostgreSQL connection per request costs more than a whole API page query.
# Not under DEBUG: runserver serves each request on a new thread, and each thread would keep its own connection
# open until CONN_MAX_AGE passes, so a burst of requests exhausts PostgreSQL's max_connections.
DATABASES["default"]["CONN_MAX_AGE"] = 0 if DEBUG else env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side binding lets psycopg prepare a statement it has run 5 times on this (persistent) connection,
    # so the hot list queries skip parsing and planning. Turn off behind a transaction-mode pooler (pgbouncer).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=env.bool("DB_SERVER_SIDE_BINDING", default=True),
        prepare_threshold=env.int("DB_PREPARE_THRESHOLD", default=5),
    )
    server_options = []
    if not env.bool("DB_JIT", default=False):
        # PostgreSQL's JIT compiles any query the planner costs above jit_above_cost (100,000): at 5M commitments
        # that is every list whose count or filter cannot stop early, and the compile took 130–710 ms of CPU per
        # query (EXPLAIN ANALYZE: "JIT: Timing … Total"), more than running it (docs/deployment.md, session 5 (later)).
        server_options.append("-c jit=off")
    # A statement psycopg has prepared is planned for its parameters every time (custom plans), never with the
    # generic plan PostgreSQL may switch to after five runs: at 5,000,000 commitments the generic plans of the
    # supervisor pages' queries (counts bounded by LIMIT, the inbox, the tallies' sums) cost 100–200 ms of every
    # page (bench_ui, session 6: home 260 -> 69 ms, dashboard 167 -> 59 ms, per-agency table 151 -> 52 ms), while
    # a custom plan costs ~0.1–1 ms of planning; the API page measured the same either way. Parsing is still saved.
    plan_cache_mode = env.str("DB_PLAN_CACHE_MODE", default="force_custom_plan")
    if plan_cache_mode:
        server_options.append(f"-c plan_cache_mode={plan_cache_mode}")
    if server_options:
        DATABASES["default"]["OPTIONS"]["options"] = " ".join(server_options)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run` has the web server and the Celery worker writing one file: each transaction takes the write
    # lock when it begins (no lock upgrade that fails at once) and waits up to 20 s for it.
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)
# A streaming replica for reads (dashboard, lists, search, API GETs): off unless DATABASE_REPLICA_URL is set.
# config/db_router.py sends writes, and reads inside a transaction, to the primary (docs/deployment.md).
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {**DATABASES["default"], **env.db("DATABASE_REPLICA_URL")}
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# `manage.py collectstatic` writes here (at image build, or once per release); whitenoise serves it.
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
# Uploaded letters and evidence: a directory outside STATIC_ROOT that no web server serves; the files leave only
# through the scoped downloads (responses/files.py). MEDIA_URL is never routed.
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Uploads: one limit for every letter and evidence file, UI and API; the extraction pipeline refuses
# larger files with a clear message.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# Extraction budgets beyond the file size (responses/extraction/budgets.py; docs/extraction.md "Budgets"),
# e.g. EXTRACTION_BUDGETS='{"max_seconds": 5, "max_pdf_pages": 100}'. Unknown names fail at the first upload.
EXTRACTION_BUDGETS = env.json("EXTRACTION_BUDGETS", default={})
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The reply preview and edit forms post 15 fields per commitment, up to 2,000 commitments (CommitmentFormSet's max_num,
# the extraction's max_commitments; a whole 政府工作报告 gives 600–750): Django's default of 1,000 fields refused a
# letter with more than ~75 commitments with a bare 400 (tests/ui/test_reply_upload.py checks the bound against the
# forms).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 31_000

# E-mail: console in development, SMTP from the environment otherwise.
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="luoshi@localhost")
# The site's public address for links in e-mails, calendar events and the API (https://luoshi.example.gov.cn).
# Unset: the request's own host where there is a request, http://127.0.0.1:8000 where there is none (config/site.py).
SITE_URL = env.str("SITE_URL", default="")

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
# Cache: rate limits, throttles and authenticated API tokens. Production sets CACHE_URL to a shared Redis
# database (redis://127.0.0.1:6379/1, not the broker's: clearing a cache flushes its database) so that a revoked
# token stops working in every process at once; `check --deploy` warns without one (accounts/checks.py).
# Local memory (per process) is the development default.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://luoshi")}

# Celery: Redis as broker; JSON only. The zero-setup development default (DEBUG on, neither REDIS_URL nor
# CELERY_BROKER_URL set: what `make run` does) is kombu's filesystem transport, messages as files under
# var/celery/, so the worker and beat that `make run` starts need no server (docs/reminders.md).
CELERY_BROKER_FOLDER = Path(env.str("CELERY_BROKER_FOLDER", default=str(BASE_DIR / "var" / "celery")))
_BROKER_DEFAULT = "filesystem://localhost//" if DEBUG and "REDIS_URL" not in env.ENVIRON else REDIS_URL
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=_BROKER_DEFAULT)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# --- Reminders (owned by the reminders work: commitments/tasks.py, commitments/reminders/) ---
# Seconds between scans (what is due now) and sweeps (lost deliveries, retries now due). Each beat entry
# expires before its next run, so a backlog after an outage never piles up stale copies.
REMINDERS_SCAN_INTERVAL = env.float("REMINDERS_SCAN_INTERVAL", default=15 * 60)
REMINDERS_REDELIVER_INTERVAL = env.float("REMINDERS_REDELIVER_INTERVAL", default=60)
# Models retrained from clerks' corrections (responses/learning.py): versioned files and the promoted copy.
EXTRACTOR_MODEL_DIR = env.path("EXTRACTOR_MODEL_DIR", default=str(Path(str(MEDIA_ROOT)) / "extractor_models"))
EXTRACTOR_RETRAIN_INTERVAL = env.int("EXTRACTOR_RETRAIN_INTERVAL", default=7 * 24 * 3600)
CELERY_BEAT_SCHEDULE: dict = {
    "reminders-scan": {
        "task": "commitments.reminders_scan",
        "schedule": REMINDERS_SCAN_INTERVAL,
        "options": {"expires": REMINDERS_SCAN_INTERVAL * 0.8},
    },
    "reminders-redeliver": {
        "task": "commitments.reminders_redeliver",
        "schedule": REMINDERS_REDELIVER_INTERVAL,
        "options": {"expires": REMINDERS_REDELIVER_INTERVAL * 0.8},
    },
    # The dashboard counts' "overdue at the pivot" (commitments.models.CommitmentTally): a no-op but on a new day.
    "tally-pivot": {
        "task": "commitments.tally_pivot_advance",
        "schedule": 3600,
        "options": {"expires": 3600 * 0.8},
    },
    "extractor-retrain": {
        "task": "responses.extractor_retrain",
        "schedule": EXTRACTOR_RETRAIN_INTERVAL,
        # A missed week is skipped, not queued up behind the next one.
        "options": {"expires": EXTRACTOR_RETRAIN_INTERVAL * 0.5},
    },
}
# Side effects are acknowledged after they ran; a task lost with its worker is redelivered (and is idempotent).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS.update(
        data_folder_in=str(CELERY_BROKER_FOLDER / "queue"),
        data_folder_out=str(CELERY_BROKER_FOLDER / "queue"),
        control_folder=str(CELERY_BROKER_FOLDER / "control"),
        store_processed=False,
    )
    for _folder in ("queue", "control"):
        (CELERY_BROKER_FOLDER / _folder).mkdir(parents=True, exist_ok=True)
# Reminders of a day go out from this local hour on (a scan at 02:00 still works for the previous day).
REMINDERS_DAY_STARTS_AT = env.int("REMINDERS_DAY_STARTS_AT", default=8)
# A pending digest not delivered within this many seconds is enqueued again by the sweep.
REMINDERS_REDELIVER_AFTER = env.int("REMINDERS_REDELIVER_AFTER", default=600)
# Failed attempts before a reminder is marked failed; backoff doubles from REMINDERS_RETRY_BACKOFF seconds.
REMINDERS_MAX_ATTEMPTS = env.int("REMINDERS_MAX_ATTEMPTS", default=6)
REMINDERS_RETRY_BACKOFF = env.int("REMINDERS_RETRY_BACKOFF", default=60)
REMINDERS_RETRY_BACKOFF_MAX = env.int("REMINDERS_RETRY_BACKOFF_MAX", default=3600)
# Group-robot webhooks: https only unless DEBUG (or the agency allows an intranet address).
REMINDERS_WEBHOOK_REQUIRE_HTTPS = env.bool("REMINDERS_WEBHOOK_REQUIRE_HTTPS", default=not DEBUG)
REMINDERS_WEBHOOK_TIMEOUT = env.int("REMINDERS_WEBHOOK_TIMEOUT", default=10)
# Fault tests only: seconds a delivery holds its claimed rows before sending (a window to kill the worker).
REMINDERS_DELIVERY_PAUSE = env.float("REMINDERS_DELIVERY_PAUSE", default=0)
# --- end reminders ---
# --- Follow-through (followup/: 回头看 rounds, recurring periods, ratings; docs/followup.md) ---
# Days an agency has to report a round; reminder offsets before a round's or a period's due date.
FOLLOWUP_ROUND_DUE_DAYS = env.int("FOLLOWUP_ROUND_DUE_DAYS", default=30)
FOLLOWUP_REMINDER_DAYS = env.list("FOLLOWUP_REMINDER_DAYS", cast=int, default=[7, 1])
FOLLOWUP_INTERVAL = env.float("FOLLOWUP_INTERVAL", default=60 * 60)
CELERY_BEAT_SCHEDULE["followup-scan"] = {
    "task": "followup.scan",
    "schedule": FOLLOWUP_INTERVAL,
    "options": {"expires": FOLLOWUP_INTERVAL * 0.8},
}
# --- end follow-through ---

# The reply clock: months from assignment to the reply deadline, unless a body says otherwise.
REPLY_MONTHS_DEFAULT = env.int("REPLY_MONTHS_DEFAULT", default=3)

# --- REST API (owned by the API work: */api/, accounts/) ---
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=20)
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=100)
# How long an authenticated token (user, agencies, bodies, permissions) may be served from the cache; changes
# invalidate it at once (accounts/signals.py), this is only the safety net for writes that bypass signals.
API_AUTH_CACHE_SECONDS = env.int("API_AUTH_CACHE_SECONDS", default=60)
# The commitment list's page written as JSON by PostgreSQL where its scope and filters allow (commitments/page_sql.py;
# off: always the ORM path, which gives the same JSON).
API_LIST_SQL_JSON = env.bool("API_LIST_SQL_JSON", default=True)
REST_FRAMEWORK: dict = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "config.api.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["config.api.IsAuthenticatedWithTokenScope"],
    "DEFAULT_PAGINATION_CLASS": "config.api.Pagination",
    "PAGE_SIZE": API_PAGE_SIZE,
    "DEFAULT_FILTER_BACKENDS": ["config.api.FilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["config.api.TokenRateThrottle", "config.api.AnonymousRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": env.str("API_THROTTLE_RATE", default="1200/minute"),
        "anon": env.str("API_ANON_THROTTLE_RATE", default="120/minute"),
    },
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "config.api.ContentNegotiation",
    "DEFAULT_PARSER_CLASSES": [
        "config.api.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "config.api.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS: dict = {
    "TITLE": "落实 Luoshi API",
    "DESCRIPTION": "建议提案答复与承诺跟踪 REST API v1。See docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "BodyKindEnum": "proposals.choices.BodyKind",
        "ProposalKindEnum": "proposals.choices.ProposalKind",
        "ProposalStatusEnum": "proposals.choices.ProposalStatus",
        "ProposerKindEnum": "proposals.choices.ProposerKind",
        "DocumentKindEnum": "responses.choices.DocumentKind",
        "SatisfactionChannelEnum": "responses.choices.SatisfactionChannel",
        "CommitmentStatusEnum": "commitments.choices.CommitmentStatus",
        "ChangeKindEnum": "commitments.choices.ChangeKind",
        "ChangeStateEnum": "commitments.choices.ChangeState",
        "RoundStateEnum": "followup.choices.RoundState",
        "RoundOriginEnum": "followup.choices.RoundOrigin",
        "ReportedStateEnum": "followup.choices.ReportedState",
        "VerdictEnum": "followup.choices.Verdict",
        "RatingValueEnum": "followup.choices.RatingValue",
        "CollectedByEnum": "followup.choices.CollectedBy",
    },
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
}
# --- end REST API ---

# --- Web UI (owned by the UI work: templates, */views.py, */forms.py, */urls.py) ---
# Sign-in protection (django-axes, docs/ui.md "Sign-in protection"): failures count for LOGIN_FAILURE_WINDOW
# seconds (the cool-off). A client is refused after LOGIN_FAILURE_LIMIT failures on one account from its address,
# LOGIN_IP_FAILURE_LIMIT failures on any accounts from its address, or LOGIN_ACCOUNT_FAILURE_LIMIT failures on its
# account from all addresses together.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_IP_FAILURE_LIMIT = env.int("LOGIN_IP_FAILURE_LIMIT", default=30)
LOGIN_ACCOUNT_FAILURE_LIMIT = env.int("LOGIN_ACCOUNT_FAILURE_LIMIT", default=20)
LOGIN_FAILURE_WINDOW = env.int("LOGIN_FAILURE_WINDOW", default=900)
AXES_HANDLER = "accounts.login_protection.LoginAttemptHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
LOGIN_LOCKOUT_LIMITS = [LOGIN_FAILURE_LIMIT, LOGIN_IP_FAILURE_LIMIT, LOGIN_ACCOUNT_FAILURE_LIMIT]
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = dt.timedelta(seconds=LOGIN_FAILURE_WINDOW)
# Attempts refused during a lock are not counted: the pause ends LOGIN_FAILURE_WINDOW after the failures that
# caused it, however often the owner (or anyone else) tries meanwhile.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.login_protection.lockout_response"
AXES_VERBOSE = False
# The client's address: REMOTE_ADDR unless TRUSTED_PROXY_COUNT reverse proxies (nginx, a load balancer) stand in
# front of Django; then the address is taken from X-Forwarded-For, counting that many proxies from the right, so
# a client cannot choose its address by sending the header itself.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT or None
AXES_IPWARE_PROXY_ORDER = "right-most"
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if TRUSTED_PROXY_COUNT else ("REMOTE_ADDR",)
# Rows per page of the web lists (dashboard, proposals, replies).
UI_PAGE_SIZE = env.int("UI_PAGE_SIZE", default=50)
# --- end web UI ---

# --- Search (search/; docs/search.md) ---
# Candidates per kind that are ranked together; a kind with more matches is marked "capped" in the answer.
SEARCH_CANDIDATES_PER_KIND = env.int("SEARCH_CANDIDATES_PER_KIND", default=200)
# The search's transaction may not run longer than this (a 400 with a clear message, never a 500).
SEARCH_TIMEOUT_MS = env.int("SEARCH_TIMEOUT_MS", default=3000)
# GIN's soft cap on the rows one index scan returns (0 = none): a one-character query on 5M commitments builds
# a bitmap of a million rows without it (~1 s measured), ~0.2 s with 5,000 (docs/search.md).
SEARCH_GIN_FUZZY_LIMIT = env.int("SEARCH_GIN_FUZZY_LIMIT", default=5000)
# The same for a clerk's search, whose index scan ANDs the agency's entry with the text's: GIN thins every entry on
# its own when all are above the limit, so the AND of two thinned streams finds almost nothing (docs/search.md).
SEARCH_GIN_FUZZY_LIMIT_SCOPED = env.int("SEARCH_GIN_FUZZY_LIMIT_SCOPED", default=0)
# --- end search ---

# Production hardening; `manage.py check --deploy` prints no warnings with DEBUG off.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
