"""The hardened variant with django-debug-toolbar and the async_probe panel.

For trying the panel in a browser (``docs/panel.md``)::

    DJANGO_SETTINGS_MODULE=oj.settings.toolbar uvicorn oj.asgi:application
    # or: python manage.py runserver --settings=oj.settings.toolbar

then open http://127.0.0.1:8000/demo/. The demo page calls the JSON API with
``fetch`` and the toolbar (``UPDATE_ON_FETCH``) switches to each call. The
plan's starting-point views are served under ``/legacy/`` so there is a lazy
load and a blocking cache call to look at. Development only: DEBUG is on.
"""

import copy

from debug_toolbar.settings import PANELS_DEFAULTS

from oj.settings import *  # noqa: F403
from oj.settings import INSTALLED_APPS, MIDDLEWARE, OJ_DIR, TEMPLATES

DEBUG = True
ROOT_URLCONF = "oj.toolbar_urls"
INSTALLED_APPS = [
    *INSTALLED_APPS,
    "django.contrib.staticfiles",  # the toolbar's CSS and JS
    "debug_toolbar",
    "panels",
]
# The probe's middleware stays first so its scope covers the toolbar's: the
# toolbar's own work is then left out of the report by the panel app.
MIDDLEWARE = [
    MIDDLEWARE[0],
    "debug_toolbar.middleware.DebugToolbarMiddleware",
    *MIDDLEWARE[1:],
]
TEMPLATES = copy.deepcopy(TEMPLATES)
TEMPLATES[0]["DIRS"] = [OJ_DIR / "templates"]
STATIC_URL = "/static/"
INTERNAL_IPS = ["127.0.0.1"]

DEBUG_TOOLBAR_PANELS = [*PANELS_DEFAULTS, "panels.AsyncProbePanel"]
DEBUG_TOOLBAR_CONFIG = {
    # Each fetch() the page makes replaces the toolbar's view with that request.
    "UPDATE_ON_FETCH": True,
    # The database store cannot run under ASGI (async_probe.W010).
    "TOOLBAR_STORE_CLASS": "debug_toolbar.store.MemoryStore",
    "SHOW_TOOLBAR_CALLBACK": "oj.settings.toolbar.show_toolbar",
}


def show_toolbar(request):
    """Local requests only: this variant serves the toolbar to 127.0.0.1."""
    return request.META.get("REMOTE_ADDR") == "127.0.0.1"
