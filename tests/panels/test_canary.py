"""Canaries: the toolbar internals the panel relies on.

asgiref asks monitoring tools not to patch its internals; django-debug-toolbar
makes no promise about its middleware's shape either. When one of these fails,
the toolbar changed: fix ``panels/instrument.py`` or ``panels/panel.py`` first,
then this file. Each test names what would break.
"""

from __future__ import annotations

import inspect
from typing import Any

from asgiref.sync import iscoroutinefunction
from debug_toolbar import settings as dt_settings
from debug_toolbar.middleware import DebugToolbarMiddleware
from debug_toolbar.panels import Panel
from debug_toolbar.store import BaseStore, DatabaseStore, get_store
from debug_toolbar.toolbar import DebugToolbar, StoredDebugToolbar
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from panels.instrument import _patches

PAGE = "<html><body></body></html>"


def original(attr: str) -> Any:
    value = DebugToolbarMiddleware.__dict__[attr]
    return getattr(value, "__wrapped__", value)


def test_middleware_defines_the_three_patch_points() -> None:
    """instrument.install() patches these on the class itself."""
    assert list(inspect.signature(original("__init__")).parameters) == [
        "self",
        "get_response",
    ]
    assert list(inspect.signature(original("__call__")).parameters) == [
        "self",
        "request",
    ]
    assert iscoroutinefunction(original("__acall__"))
    assert {attr for _, attr in _patches.points()} == {
        "__init__",
        "__call__",
        "__acall__",
    }


def test_middleware_reaches_the_application_only_through_get_response() -> None:
    """The resume wrapper sits on self.get_response: the toolbar must call the
    rest of the chain through it, shown or hidden, and pick its mode from it."""
    calls: list[str] = []

    def app(request: HttpRequest) -> HttpResponse:
        calls.append(request.path)
        return HttpResponse(PAGE)

    middleware = DebugToolbarMiddleware(app)
    assert middleware.async_mode is False
    factory = RequestFactory()
    shown = middleware(factory.get("/shown/"))
    assert "djDebug" in shown.content.decode()
    middleware(factory.get("/hidden/", headers={"x-toolbar": "off"}))
    assert calls == ["/shown/", "/hidden/"]


async def test_async_middleware_reaches_the_application_only_through_get_response() -> (
    None
):
    calls: list[str] = []

    async def app(request: HttpRequest) -> HttpResponse:
        calls.append(request.path)
        return HttpResponse(PAGE)

    middleware = DebugToolbarMiddleware(app)
    assert middleware.async_mode is True
    factory = RequestFactory()
    # __call__ hands async mode to __acall__, which instrument.py patches too.
    shown = await middleware(factory.get("/shown/"))
    assert "djDebug" in shown.content.decode()
    await middleware(factory.get("/hidden/", headers={"x-toolbar": "off"}))
    assert calls == ["/shown/", "/hidden/"]


def test_panel_api_the_panel_uses() -> None:
    """panel.py: generate_stats is where the snapshot is taken, record_stats
    saves (also from the report_ready receiver), get_stats feeds the subtitle,
    and is_async decides whether the panel runs under ASGI."""
    assert list(inspect.signature(Panel.generate_stats).parameters) == [
        "self",
        "request",
        "response",
    ]
    assert list(inspect.signature(Panel.record_stats).parameters) == ["self", "stats"]
    assert callable(Panel.get_stats)
    assert Panel.is_async is False  # the base's default; ours says True


def test_record_stats_saves_to_the_store() -> None:
    """The report_ready receiver relies on record_stats reaching the store after
    the toolbar's middleware has returned."""
    request = RequestFactory().get("/")
    toolbar = DebugToolbar(request, lambda request: HttpResponse(PAGE))
    panel = toolbar.get_panel_by_id("AsyncProbePanel")
    panel.record_stats({"recorded": False, "reason": "first"})
    panel.record_stats({"recorded": False, "reason": "second"})
    assert get_store().panel(toolbar.request_id, "AsyncProbePanel") == {
        "recorded": False,
        "reason": "second",
    }
    stored = DebugToolbar.fetch(toolbar.request_id, "AsyncProbePanel")
    assert isinstance(stored, StoredDebugToolbar)
    assert stored.get_panel_by_id("AsyncProbePanel").get_stats()["reason"] == "second"


def test_store_setting_the_check_reads() -> None:
    """checks.py: TOOLBAR_STORE_CLASS names the store; DatabaseStore exists."""
    default = dt_settings.CONFIG_DEFAULTS["TOOLBAR_STORE_CLASS"]
    assert default == "debug_toolbar.store.MemoryStore"
    assert dt_settings.get_config()["TOOLBAR_STORE_CLASS"] == default
    assert issubclass(DatabaseStore, BaseStore)
