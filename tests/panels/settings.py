"""Settings for the panel's tests: the library's test settings plus the toolbar.

Run with ``pytest tests/panels --ds tests.panels.settings``. A separate module
because the toolbar patches the cache handler at start-up, which the library's
own tests check stays pristine.
"""

from __future__ import annotations

from typing import Any

from debug_toolbar.settings import PANELS_DEFAULTS

from tests.settings import *  # noqa: F403
from tests.settings import INSTALLED_APPS

INSTALLED_APPS = [
    *INSTALLED_APPS,
    "django.contrib.staticfiles",
    "debug_toolbar",
    "panels",
]
ROOT_URLCONF = "tests.panels.urls"
STATIC_URL = "/static/"

PROBE = "async_probe.middleware.AsyncProbeMiddleware"
TOOLBAR = "debug_toolbar.middleware.DebugToolbarMiddleware"
MIDDLEWARE = [PROBE, TOOLBAR]

DEBUG_TOOLBAR_PANELS = [*PANELS_DEFAULTS, "panels.AsyncProbePanel"]
DEBUG_TOOLBAR_CONFIG = {
    "SHOW_TOOLBAR_CALLBACK": "tests.panels.settings.show_toolbar",
    "IS_RUNNING_TESTS": False,
}


def show_toolbar(request: Any) -> bool:
    """Shown unless the request says ``X-Toolbar: off`` (tests of the hidden path)."""
    return bool(request.headers.get("x-toolbar") != "off")
