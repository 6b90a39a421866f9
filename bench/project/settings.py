"""Settings for the benchmark project; ``BENCH_LEVEL`` picks the instrumentation.

``BENCH_DATABASE`` is a SQLite file path or a ``postgres://`` URL (the harness
creates and fills it); ``BENCH_REDIS_URL`` switches the cache to Redis.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from bench import levels

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SECRET_KEY = "async-probe-bench"
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = True
ROOT_URLCONF = "bench.project.urls"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
LEVEL = levels.get(os.environ.get("BENCH_LEVEL", "off"))

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    *LEVEL.apps,
    "bench.project",
]

# Django's startproject stack: ~15 thread hops per request under ASGI.
STARTPROJECT = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
MIDDLEWARE = [*LEVEL.middleware_first, *STARTPROJECT]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": ["django.template.context_processors.request"]
        },
    }
]
STATIC_URL = "static/"


def _database(url: str) -> dict[str, Any]:
    if url.startswith("postgres"):
        parts = urlparse(url)
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": parts.path.lstrip("/") or "async_probe_bench",
            "USER": parts.username or "postgres",
            "PASSWORD": parts.password or "",
            "HOST": parts.hostname or "127.0.0.1",
            "PORT": parts.port or 5432,
        }
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": url}


DATABASES = {"default": _database(os.environ.get("BENCH_DATABASE", "bench.sqlite3"))}

_redis = os.environ.get("BENCH_REDIS_URL")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": _redis,
    }
    if _redis
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Both reporters that write lines (django-zeal's warnings, async_probe's
# LAZY_LOADS="warn") write them to stderr, which the harness sends to a file.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"async_probe": {"handlers": ["stderr"], "level": "WARNING"}},
}

for _name, _value in LEVEL.settings.items():
    globals()[_name] = _value


def always(request: Any) -> bool:
    """The toolbar's show callback for the ``toolbar`` level: every request."""
    return True
