"""The toolbar's own work is not counted: a request has the same report with the
toolbar shown, hidden or absent, whatever its store, under every handler."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.wsgi import get_wsgi_application
from django.test import AsyncClient, Client, override_settings

from async_probe.report import Report
from panels import instrument
from tests.drivers import asgi_request, wsgi_request
from tests.panels.conftest import stored_stats
from tests.panels.settings import PROBE, TOOLBAR

STARTPROJECT = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
WITHOUT = [PROBE, *STARTPROJECT]
WITH = [PROBE, TOOLBAR, *STARTPROJECT]
CACHE_STORE = {
    "SHOW_TOOLBAR_CALLBACK": "tests.panels.settings.show_toolbar",
    "IS_RUNNING_TESTS": False,
    "TOOLBAR_STORE_CLASS": "debug_toolbar.store.CacheStore",
}
PATHS = [
    "/async_plain/",
    "/sync_plain/",
    "/async_books_loop/",
    "/async_books_worker/",
    "/sync_books/",
    "/async_cache/",
    "/sync_cache/",
    "/async_mixed/?n=2",
    "/async_page/",
]
HIDDEN = [(b"x-toolbar", b"off")]


def signature(report: Report) -> tuple[Any, ...]:
    """Everything a count could differ by: each hop, load and cache call."""
    return (
        [(h.direction, h.cause, h.target) for h in report.hops],
        [(load.label, load.context, str(load.callsite)) for load in report.loads],
        [(c.method, c.alias, c.blocking, c.context) for c in report.cache],
        report.thread_hops,
        report.lazy_loads,
        report.cache_calls,
        report.blocking_cache_calls,
    )


@contextmanager
def middleware(stack: list[str]) -> Iterator[None]:
    with override_settings(MIDDLEWARE=stack):
        yield


async def asgi(
    build: Callable[[], Any],
    reports: list[Report],
    url: str,
    stack: list[str],
    **kw: Any,
) -> tuple[Any, Report]:
    path, _, query = url.partition("?")
    with middleware(stack):
        before = len(reports)
        response = await asgi_request(build(), path, query=query, **kw)
    assert len(reports) == before + 1
    return response, reports[-1]


@pytest.mark.parametrize("path", PATHS)
async def test_asgi_same_report_with_the_toolbar(
    asgi_app: Callable[[], Any], reports: list[Report], library: Any, path: str
) -> None:
    response, without = await asgi(asgi_app, reports, path, WITHOUT)
    assert response.status == 200
    response, shown = await asgi(asgi_app, reports, path, WITH)
    _, hidden = await asgi(asgi_app, reports, path, WITH, headers=HIDDEN)
    assert signature(shown) == signature(without) == signature(hidden)
    assert "djdt-request-id" in response.headers  # the toolbar did run
    assert stored_stats(response.headers)["counts"]["thread_hops"] == shown.thread_hops


@pytest.mark.parametrize("alias", ["default", "redis"])
@pytest.mark.parametrize("path", ["/async_plain/", "/async_cache/", "/sync_cache/"])
async def test_asgi_cache_store_is_not_counted(
    asgi_app: Callable[[], Any],
    reports: list[Report],
    library: Any,
    path: str,
    alias: str,
    request: pytest.FixtureRequest,
) -> None:
    """The cache store calls the sync cache API on the event loop: blocking
    calls (Redis round trips with the redis alias), had they been counted."""
    if alias == "redis":
        request.getfixturevalue("redis_cache")
    _, without = await asgi(asgi_app, reports, path, WITHOUT)
    with override_settings(
        DEBUG_TOOLBAR_CONFIG={**CACHE_STORE, "CACHE_BACKEND": alias}
    ):
        response, shown = await asgi(asgi_app, reports, path, WITH)
        stored = stored_stats(response.headers)  # from the cache store
    assert signature(shown) == signature(without)
    assert stored["counts"]["cache_calls"] == shown.cache_calls


@pytest.mark.parametrize("path", PATHS)
def test_wsgi_and_client_same_report_with_the_toolbar(
    reports: list[Report], library: Any, path: str
) -> None:
    seen = []
    bare, _, query = path.partition("?")
    for stack in (WITHOUT, WITH):
        with middleware(stack):
            wsgi_request(get_wsgi_application(), bare, query=query)
            seen.append(signature(reports[-1]))
            Client().get(path)
            seen.append(signature(reports[-1]))
            Client(headers={"x-toolbar": "off"}).get(path)
            seen.append(signature(reports[-1]))
    wsgi_without, client_without = seen[0], seen[1]
    assert seen[::3] == [wsgi_without] * 2
    assert seen[1::3] == seen[2::3] == [client_without] * 2


@override_settings(DEBUG_TOOLBAR_CONFIG=CACHE_STORE)
def test_wsgi_cache_store_is_not_counted(reports: list[Report], library: Any) -> None:
    with middleware(WITHOUT):
        Client().get("/sync_cache/")
    without = signature(reports[-1])
    with middleware(WITH):
        response = Client().get("/sync_cache/")
    assert signature(reports[-1]) == without
    assert stored_stats(response.headers)["counts"]["cache_calls"] == 2


@pytest.mark.parametrize(
    "path", ["/async_books_loop/", "/async_cache/", "/async_page/"]
)
async def test_async_client_same_report_with_the_toolbar(
    reports: list[Report], library: Any, path: str
) -> None:
    seen = []
    for stack in (WITHOUT, WITH):
        with middleware(stack):
            await AsyncClient().get(path)
            seen.append(signature(reports[-1]))
    assert seen[0] == seen[1]


# What the patches keep out ----------------------------------------------------


@contextmanager
def toolbar_patches_off() -> Iterator[None]:
    instrument.uninstall()
    try:
        yield
    finally:
        instrument.install()


async def test_unpatched_the_toolbar_adds_its_own_hops_under_asgi(
    asgi_app: Callable[[], Any], reports: list[Report], transactional_db: None
) -> None:
    """Why the patches exist: under ASGI the toolbar itself crosses threads for
    the show-toolbar callback and the SQL panel's instrumentation."""
    _, patched = await asgi(asgi_app, reports, "/async_plain/", [PROBE, TOOLBAR])
    with toolbar_patches_off():
        _, unpatched = await asgi(asgi_app, reports, "/async_plain/", [PROBE, TOOLBAR])
    assert [h.target for h in patched.hops] == [
        "django.core.signals.request_started",
        "django.http.response.JsonResponse.close",
    ]
    assert [h.target for h in unpatched.hops] == [
        "django.core.signals.request_started",
        "tests.panels.settings.show_toolbar",
        "debug_toolbar.panels.sql.panel.SQLPanel.enable_instrumentation",
        "django.http.response.JsonResponse.close",
    ]


@override_settings(DEBUG_TOOLBAR_CONFIG=CACHE_STORE)
async def test_unpatched_the_cache_store_blocks_the_loop(
    asgi_app: Callable[[], Any], reports: list[Report], transactional_db: None
) -> None:
    with toolbar_patches_off():
        _, unpatched = await asgi(asgi_app, reports, "/async_plain/", [PROBE, TOOLBAR])
    assert unpatched.blocking_cache_calls == unpatched.cache_calls > 0
    assert {c.alias for c in unpatched.cache} == {"default"}


def test_middleware_built_before_install_records_the_toolbar(
    reports: list[Report], transactional_db: None
) -> None:
    """Only middleware built while installed suppress: one built before keeps
    its plain get_response, and silencing it would silence the view."""
    with (
        middleware([PROBE, TOOLBAR]),
        override_settings(DEBUG_TOOLBAR_CONFIG=CACHE_STORE),
    ):
        with toolbar_patches_off():
            app = get_wsgi_application()
        wsgi_request(app, "/sync_cache/")
        assert reports[-1].cache_calls > 2  # the view's two and the store's
        wsgi_request(get_wsgi_application(), "/sync_cache/")
        assert reports[-1].cache_calls == 2
