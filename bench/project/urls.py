from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import path

from . import views

urlpatterns: list[Any] = [
    path("deep/", views.deep),
    path("plain/", views.plain),
    path("sync/", views.sync),
]

if "debug_toolbar" in settings.INSTALLED_APPS:
    from django.urls import include

    # debug_toolbar_urls() adds nothing when DEBUG is False; the benchmark keeps
    # DEBUG off for every level and shows the toolbar through its callback.
    urlpatterns.append(path("__debug__/", include("debug_toolbar.urls")))
