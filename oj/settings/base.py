"""Settings shared by both variants of the reference backend.

``DATABASE_URL`` selects the database (default: SQLite under oj/), ``REDIS_URL`` the
cache (default: local memory). The variants differ only in ``ROOT_URLCONF`` and in
which module provides the three account middleware; see ``build_middleware``.
"""

import os
from pathlib import Path

import dj_database_url

OJ_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = OJ_DIR.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get(
    "OJ_SECRET_KEY", "oj-reference-backend-insecure-key-for-local-use-only"
)
DEBUG = env_bool("OJ_DEBUG")
ALLOWED_HOSTS = os.environ.get("OJ_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(
    ","
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "async_probe",
    "oj.account",
    "oj.announcement",
    "oj.conf",
    "oj.contest",
    "oj.problem",
    "oj.submission",
    "oj.flowchart",
    "oj.comment",
    "oj.message",
]


def build_middleware(account_middleware):
    """The stack of the original OJ, with the probe first and the account
    middleware taken from ``account_middleware`` (a module path)."""
    return [
        "async_probe.middleware.AsyncProbeMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        f"{account_middleware}.APITokenAuthMiddleware",
        f"{account_middleware}.AdminRoleRequiredMiddleware",
        f"{account_middleware}.SessionRecordMiddleware",
    ]


TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ],
        },
    },
]

WSGI_APPLICATION = "oj.wsgi.application"
ASGI_APPLICATION = "oj.asgi.application"

# CONN_MAX_AGE stays 0: persistent connections are not safe for async views, whose
# ORM calls run on whichever thread sync_to_async picks.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{OJ_DIR / 'db.sqlite3'}", conn_max_age=0
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "oj",
        }
    }

AUTH_USER_MODEL = "account.User"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

# The header a reverse proxy puts the client address in; REMOTE_ADDR otherwise.
IP_HEADER = "HTTP_X_REAL_IP"

# Where uploaded test cases live (the upload view stays sync, as the plan's rule 4
# asks).
TEST_CASE_DIR = Path(os.environ.get("OJ_TEST_CASE_DIR", OJ_DIR / "media" / "test_case"))

# Judge servers prove who they are with sha256(JUDGE_SERVER_TOKEN) in a header.
JUDGE_SERVER_TOKEN = os.environ.get("OJ_JUDGE_SERVER_TOKEN", "oj-demo-judge-token")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"oj": {"handlers": ["console"], "level": "WARNING"}},
}
