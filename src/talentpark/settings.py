"""Django settings for TalentPark.

Every setting comes from the environment with a safe default for the embedded
(single machine, SQLite) mode. Secrets are never in the repository: the embedded
mode creates them under ``var/`` on first run (ignored by git).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url

from talentpark.core.keyfile import load_or_create_local_secrets

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("TALENTPARK_HOME", BASE_DIR.parent.parent)).resolve()
VAR_DIR = Path(os.environ.get("TALENTPARK_VAR", PROJECT_DIR / "var"))

_local = load_or_create_local_secrets(VAR_DIR)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or _local["secret_key"]
DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
ALLOWED_HOSTS = [
    h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h
]

# Field encryption (PII): "kid:base64key" pairs; the first is active. Blind-index key separate.
TALENTPARK_FIELD_KEYS = os.environ.get("TALENTPARK_FIELD_KEYS") or _local["field_keys"]
# The keys read from var/secrets.json instead of the environment (`check --deploy` refuses them).
TALENTPARK_KEYS_FROM_FILE = [
    n
    for n in ("DJANGO_SECRET_KEY", "TALENTPARK_FIELD_KEYS", "TALENTPARK_BLIND_INDEX_KEY")
    if not os.environ.get(n)
]
TALENTPARK_BLIND_INDEX_KEY = os.environ.get("TALENTPARK_BLIND_INDEX_KEY") or _local["blind_index_key"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    "talentpark.core",
    "talentpark.accounts",
    "talentpark.registry",
    "talentpark.policies",
    "talentpark.recruitment",
    "talentpark.housing",
    "talentpark.innovation",
    "talentpark.signup",
    "talentpark.talentcode",
    "talentpark.desk",
    "talentpark.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "talentpark.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "talentpark.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The session limits before the security steps: a session still waiting for its code is
    # held to them on every request, not only on the code page (accounts/sessions.py).
    "talentpark.accounts.middleware.SessionLimitMiddleware",
    "talentpark.accounts.security.AccountSecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "talentpark.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
    "talentpark.signup.consent.PrivacyConsentMiddleware",
]

ROOT_URLCONF = "talentpark.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "talentpark.accounts.context.principal",
            ],
        },
    },
]

WSGI_APPLICATION = "talentpark.wsgi.application"
ASGI_APPLICATION = "talentpark.asgi.application"

_default_sqlite = VAR_DIR / "talentpark.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{_default_sqlite}"),
        # Persistent connections: each served request runs on one of a few long-lived threads
        # (core/asgi_handler.py), so a thread's connection is reused by the next request.
        conn_max_age=int(os.environ.get("TALENTPARK_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue instead of failing with "database is locked"; WAL lets readers go on.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    # Tests use a file too: the in-memory shared cache takes table locks that ignore the busy timeout.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: the platform's queries run in milliseconds, and an over-estimated plan (a correlated
    # subquery per row) made PostgreSQL spend 315 ms compiling a 20 ms query (docs/benchmarks.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if os.environ.get("TALENTPARK_FAST_HASHER") == "1":
    # Tests and the demo generator create thousands of accounts; never set in production.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]

# Password policy (accounts/passwords.py): length, three of four character classes, none of the
# last five passwords again; staff passwords expire (0 turns expiry off).
TALENTPARK_PASSWORD_MIN_LENGTH = int(os.environ.get("TALENTPARK_PASSWORD_MIN_LENGTH", "10"))
TALENTPARK_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("TALENTPARK_PASSWORD_MAX_AGE_DAYS", "90"))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "talentpark.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": TALENTPARK_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "talentpark.accounts.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "talentpark.accounts.passwords.PasswordHistoryValidator", "OPTIONS": {"count": 5}},
]

# Second factor (django-otp TOTP, accounts/security.py): required for these roles (comma-separated
# Role values) and for every superuser; everyone else may enrol. Empty under pytest, where tests
# sign in with force_login; the TOTP tests turn it on.
TALENTPARK_OTP_REQUIRED_ROLES = frozenset(
    r.strip()
    for r in os.environ.get(
        "TALENTPARK_OTP_REQUIRED_ROLES", "" if "pytest" in sys.modules else "office"
    ).split(",")
    if r.strip()
)
# 系统管理员 (superusers): required unless turned off (tests; `make demo`, whose accounts sign in
# with the published demo password).
TALENTPARK_OTP_REQUIRED_FOR_SUPERUSERS = (
    os.environ.get("TALENTPARK_OTP_REQUIRED_FOR_SUPERUSERS", "0" if "pytest" in sys.modules else "1") == "1"
)
OTP_TOTP_ISSUER = os.environ.get("TALENTPARK_OTP_ISSUER", "TalentPark")
OTP_TOTP_THROTTLE_FACTOR = 1  # seconds: a wrong code waits 1, 2, 4, 8 … seconds before the next try

# Django's English "CSRF verification failed" page, replaced by a Chinese one.
CSRF_FAILURE_VIEW = "talentpark.accounts.views.csrf_failure"

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes): lock a username+IP after repeated failures. The limit and the
# lock time are run-time parameters (core/parameters.py, 参数管理): these are their defaults.
TALENTPARK_LOGIN_FAILURE_LIMIT = int(os.environ.get("TALENTPARK_LOGIN_FAILURE_LIMIT", "5"))
TALENTPARK_LOGIN_LOCK_MINUTES = int(os.environ.get("TALENTPARK_LOGIN_LOCK_MINUTES", "15"))
AXES_FAILURE_LIMIT = "talentpark.core.parameters.axes_failure_limit"
AXES_COOLOFF_TIME = "talentpark.core.parameters.axes_cooloff"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Failures are cleared when the whole sign-in succeeds (after the code, for an account with an
# authenticator), not at the password step: accounts/lockout.py.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
# Masked in what axes keeps of a failed attempt's form (the password always is): a code too.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token"]
AXES_ENABLED = os.environ.get("TALENTPARK_AXES", "1") == "1"

# "fragments": rendered page parts keyed on zone versions (core.zone_versions), in each worker's
# memory: validity comes from the versions in the database, so workers need not share it.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("TALENTPARK_FRAGMENT_CACHE_ENTRIES", "20000"))},
    },
}

# Session limits per role (等保 L3; accounts/sessions.py limits_for): staff (specialist, dept, office)
# and the public roles (talent, hr, ambassador, partner, province) separately. Django's own expiry
# is the longest absolute limit, so the middleware ends (and logs) every session before it would.
TALENTPARK_SESSION_IDLE_MINUTES_STAFF = int(os.environ.get("TALENTPARK_SESSION_IDLE_MINUTES_STAFF", "30"))
TALENTPARK_SESSION_IDLE_MINUTES_PUBLIC = int(os.environ.get("TALENTPARK_SESSION_IDLE_MINUTES_PUBLIC", "120"))
TALENTPARK_SESSION_ABSOLUTE_HOURS_STAFF = int(os.environ.get("TALENTPARK_SESSION_ABSOLUTE_HOURS_STAFF", "8"))
TALENTPARK_SESSION_ABSOLUTE_HOURS_PUBLIC = int(
    os.environ.get("TALENTPARK_SESSION_ABSOLUTE_HOURS_PUBLIC", "72")
)
SESSION_COOKIE_AGE = (
    max(TALENTPARK_SESSION_ABSOLUTE_HOURS_STAFF, TALENTPARK_SESSION_ABSOLUTE_HOURS_PUBLIC) * 3600 + 3600
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if os.environ.get("TALENTPARK_HTTPS") == "1":
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("TALENTPARK_STATIC_ROOT", VAR_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"pii": {"()": "talentpark.core.logging.PiiScrubFilter"}},
    "formatters": {
        "plain": {
            "()": "talentpark.core.logging.PiiScrubFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["pii"], "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("TALENTPARK_LOG_LEVEL", "WARNING")},
}

# Pagination of every list page and API list.
# Notifications beyond the inbox (core.notify): one backend class per channel. The console
# backends print instead of sending; a real SMS provider is a class with send(address, notice).
TALENTPARK_NOTIFY_BACKENDS = {
    "sms": os.environ.get("TALENTPARK_SMS_BACKEND", "talentpark.core.notify.ConsoleSmsBackend"),
    "email": os.environ.get("TALENTPARK_EMAIL_NOTICE_BACKEND", "talentpark.core.notify.EmailBackend"),
}
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "TALENTPARK_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
        )
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("TALENTPARK_FROM_EMAIL", "noreply@talentpark.local")
TALENTPARK_SITE_URL = os.environ.get("TALENTPARK_SITE_URL", "http://127.0.0.1:8000")
# SMS verification codes (core.smscodes): sends per phone per day, and per IP address per hour.
TALENTPARK_SMS_DAILY_LIMIT = int(os.environ.get("TALENTPARK_SMS_DAILY_LIMIT", "10"))
TALENTPARK_SMS_IP_HOURLY_LIMIT = int(os.environ.get("TALENTPARK_SMS_IP_HOURLY_LIMIT", "30"))
# How a refused registrant reaches the talent office (signup): a phone number or a window address.
TALENTPARK_OFFICE_CONTACT = os.environ.get("TALENTPARK_OFFICE_CONTACT", "")
# 人才码 (talentpark.talentcode): the algorithm of new signing keys ("EdDSA"; "SM2" needs the sm2
# extra) and how many seconds a token stays valid.
TALENTPARK_TALENTCODE_ALG = os.environ.get("TALENTPARK_TALENTCODE_ALG", "EdDSA")
TALENTPARK_TALENTCODE_TTL = int(os.environ.get("TALENTPARK_TALENTCODE_TTL", "300"))
TALENTPARK_TALENTCODE_SCAN_LIMIT = int(os.environ.get("TALENTPARK_TALENTCODE_SCAN_LIMIT", "30"))
# 一窗受理 (talentpark.desk): the shares of a working-time limit at which it warns, escalates to the
# team lead and escalates to the office (percent).
TALENTPARK_DESK_WARN_PERCENT = int(os.environ.get("TALENTPARK_DESK_WARN_PERCENT", "50"))
TALENTPARK_DESK_ESCALATE_PERCENT = int(os.environ.get("TALENTPARK_DESK_ESCALATE_PERCENT", "150"))
TALENTPARK_DESK_OFFICE_PERCENT = int(os.environ.get("TALENTPARK_DESK_OFFICE_PERCENT", "200"))

# Defaults of run-time parameters (core/parameters.py): the office overrides them on 参数管理.
TALENTPARK_PAGE_SIZE = int(os.environ.get("TALENTPARK_PAGE_SIZE", "25"))
TALENTPARK_API_PAGE_MAX = int(os.environ.get("TALENTPARK_API_PAGE_MAX", "200"))
TALENTPARK_EXPORT_MAX_ROWS = int(os.environ.get("TALENTPARK_EXPORT_MAX_ROWS", "300000"))
# (the session.* parameters' defaults are the TALENTPARK_SESSION_* settings above)
# How old (seconds) a process's copy of the parameter overrides may be before it reads them again:
# the longest a change takes to reach another worker (0 under pytest: every read is fresh).
TALENTPARK_PARAMETER_TTL = float(
    os.environ.get("TALENTPARK_PARAMETER_TTL", "0" if "pytest" in sys.modules else "2")
)

# Background work (policy publishing, recurring cycles): Django's tasks framework with the
# database backend; `talentpark serve` runs a `db_worker` beside uvicorn. Tests run tasks
# inline (TALENTPARK_TASKS=immediate).
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("TALENTPARK_TASKS", "immediate" if "pytest" in sys.modules else "db")
            == "immediate"
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# 定时任务 (core.scheduling): the task worker's scheduler looks for due jobs every few seconds
# and writes its heartbeat; the nightly pruning keeps task results and job runs this long.
TALENTPARK_SCHEDULER_INTERVAL = float(os.environ.get("TALENTPARK_SCHEDULER_INTERVAL", "15"))
TALENTPARK_TASK_RESULT_DAYS = int(os.environ.get("TALENTPARK_TASK_RESULT_DAYS", "30"))
TALENTPARK_JOB_RUN_DAYS = int(os.environ.get("TALENTPARK_JOB_RUN_DAYS", "180"))
# Web worker processes `serve` starts (several need PostgreSQL: `serve` and `check --deploy` refuse SQLite).
TALENTPARK_WEB_WORKERS = int(os.environ.get("TALENTPARK_WEB_WORKERS", "1"))
