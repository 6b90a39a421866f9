"""One route table, two URLconfs.

Each app lists its endpoints once, in ``<app>/urls/oj.py`` (under /api/) and
``<app>/urls/admin.py`` (under /api/admin/), as ``Route(path, view, legacy=...)``.
``oj.urls`` serves the hardened views and ``oj.urls_legacy`` the plan's starting
point, so both variants have the same URLs by construction; a route without a
``legacy`` view is the same in both (the views the plan keeps sync).
"""

from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec

from django.urls import path
from django.views import View

APPS = (
    "account",
    "announcement",
    "conf",
    "contest",
    "problem",
    "submission",
    "flowchart",
    "comment",
    "message",
)
VARIANTS = ("hardened", "legacy")


@dataclass(frozen=True)
class Route:
    path: str
    view: type[View]
    legacy: type[View] | None = None
    name: str | None = None

    def view_for(self, variant):
        if variant not in VARIANTS:
            raise ValueError(f"unknown variant {variant!r}, expected one of {VARIANTS}")
        if variant == "legacy" and self.legacy is not None:
            return self.legacy
        return self.view


def routes():
    """``(url prefix, Route)`` for every endpoint, in URLconf order."""
    for prefix, module in (("api/", "oj"), ("api/admin/", "admin")):
        for app in APPS:
            name = f"oj.{app}.urls.{module}"
            if find_spec(name) is None:
                continue
            for route in import_module(name).routes:
                yield prefix, route


def build_urlpatterns(variant):
    return [
        path(prefix + route.path, route.view_for(variant).as_view(), name=route.name)
        for prefix, route in routes()
    ]
