"""Whole requests through real ASGI and WSGI handlers, with exact counts."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.wsgi import get_wsgi_application
from django.test import override_settings

from async_probe.chain import middleware_costs, total_hops
from async_probe.report import Report
from tests.drivers import asgi_request, wsgi_request

PROBE = "async_probe.middleware.AsyncProbeMiddleware"
STARTPROJECT = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
SIGNAL = ("signal", "django.core.signals.request_started")
CLOSE = ("response", "django.http.response.JsonResponse.close")
# What Django's default stack runs through sync_to_async, in order.
STARTPROJECT_HOPS = [
    ("middleware", "django.middleware.security.SecurityMiddleware.process_request"),
    (
        "middleware",
        "django.contrib.sessions.middleware.SessionMiddleware.process_request",
    ),
    ("middleware", "django.middleware.common.CommonMiddleware.process_request"),
    ("middleware", "django.middleware.csrf.CsrfViewMiddleware.process_request"),
    (
        "middleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware.process_request",
    ),
    (
        "middleware",
        "django.contrib.messages.middleware.MessageMiddleware.process_request",
    ),
    ("middleware", "django.middleware.csrf.CsrfViewMiddleware.process_view"),
]
STARTPROJECT_RESPONSE_HOPS = [
    (
        "middleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware.process_response",
    ),
    (
        "middleware",
        "django.contrib.messages.middleware.MessageMiddleware.process_response",
    ),
    ("middleware", "django.middleware.csrf.CsrfViewMiddleware.process_response"),
    ("middleware", "django.middleware.common.CommonMiddleware.process_response"),
    (
        "middleware",
        "django.contrib.sessions.middleware.SessionMiddleware.process_response",
    ),
    ("middleware", "django.middleware.security.SecurityMiddleware.process_response"),
]


# Every hop of a request to an async view on the startproject stack, in order.
STARTPROJECT_REQUEST_HOPS = [
    SIGNAL,
    *STARTPROJECT_HOPS,
    *STARTPROJECT_RESPONSE_HOPS,
    CLOSE,
]


def hops_of(report: Report) -> list[tuple[str, str]]:
    return [(hop.cause, hop.target) for hop in report.hops]


async def get(
    build: Callable[[], Any], reports: list[Report], path: str, **kw: Any
) -> Any:
    before = len(reports)
    response = await asgi_request(build(), path, **kw)
    assert len(reports) == before + 1, "one request, one report"
    return response, reports[-1]


# ASGI: minimal, default and sync-only stacks --------------------------------


@override_settings(MIDDLEWARE=[PROBE])
async def test_async_view_minimal_stack(
    asgi_app: Any, reports: list[Report], transactional_db: None
) -> None:
    response, report = await get(asgi_app, reports, "/async_plain/")
    assert response.status == 200
    assert hops_of(report) == [SIGNAL, CLOSE]
    assert (report.thread_hops, report.lazy_loads, report.cache_calls) == (2, 0, 0)
    assert (report.method, report.path, report.status) == ("GET", "/async_plain/", 200)
    assert (report.view, report.async_view) == ("tests.testapp.views.async_plain", True)


@override_settings(MIDDLEWARE=[PROBE, *STARTPROJECT])
async def test_async_view_startproject_stack(
    asgi_app: Any, reports: list[Report], transactional_db: None
) -> None:
    response, report = await get(asgi_app, reports, "/async_plain/")
    assert response.status == 200
    assert hops_of(report) == STARTPROJECT_REQUEST_HOPS
    assert report.thread_hops == 15 == total_hops(STARTPROJECT) + 2
    assert report.hops_by_cause == {"middleware": 13, "signal": 1, "response": 1}


@override_settings(MIDDLEWARE=[PROBE, *STARTPROJECT], ASYNC_PROBE={"HOP_TIMING": False})
async def test_untimed_hops_count_and_name_the_same(
    asgi_app: Any, reports: list[Report], transactional_db: None
) -> None:
    _, report = await get(asgi_app, reports, "/async_plain/")
    assert hops_of(report) == STARTPROJECT_REQUEST_HOPS
    assert report.thread_hops == 15
    assert {(hop.wait_s, hop.run_s, hop.id) for hop in report.hops} == {(0.0, 0.0, 0)}


@override_settings(MIDDLEWARE=[PROBE], ASYNC_PROBE={"HOP_TIMING": False})
async def test_untimed_hops_still_place_lazy_loads_in_the_worker(
    asgi_app: Any, reports: list[Report], library: Any
) -> None:
    _, report = await get(asgi_app, reports, "/async_books_worker/")
    assert (report.thread_hops, report.lazy_loads) == (4, 3)
    assert {(load.context, load.async_view, load.hop_id) for load in report.loads} == {
        ("worker", True, None)
    }


SYNC_ONLY = "tests.testapp.middleware.SyncOnlyMiddleware"
WITH_SYNC_ONLY = [*STARTPROJECT[:2], SYNC_ONLY, *STARTPROJECT[2:]]


@override_settings(MIDDLEWARE=[PROBE, *WITH_SYNC_ONLY])
async def test_one_sync_only_middleware(
    asgi_app: Any, reports: list[Report], transactional_db: None
) -> None:
    """Everything above a sync-only middleware runs sync (Django adapts even the
    probe's middleware), the rest stays async: a pair of hops around the sync
    region replaces the hooks of the middleware it swallowed."""
    response, report = await get(asgi_app, reports, "/async_plain/")
    assert response.headers["x-sync-only"] == "1"
    assert hops_of(report) == [
        SIGNAL,
        ("middleware", "async_probe.middleware.AsyncProbeMiddleware"),
        ("middleware", "django.middleware.common.CommonMiddleware"),
        *STARTPROJECT_HOPS[2:],
        *STARTPROJECT_RESPONSE_HOPS[:-2],
        CLOSE,
    ]
    assert [hop.direction for hop in report.hops[1:3]] == [
        "sync_to_async",
        "async_to_sync",
    ]
    assert report.thread_hops == 13 == total_hops([PROBE, *WITH_SYNC_ONLY]) + 2
    (sync_only,) = [
        c for c in middleware_costs([PROBE, *WITH_SYNC_ONLY]) if c.sync_only
    ]
    assert (sync_only.path, sync_only.hops) == (SYNC_ONLY, 2)


@override_settings(MIDDLEWARE=[PROBE])
async def test_sync_view_under_asgi(
    asgi_app: Any, reports: list[Report], transactional_db: None
) -> None:
    _, report = await get(asgi_app, reports, "/sync_plain/")
    assert hops_of(report) == [
        SIGNAL,
        ("view", "tests.testapp.views.sync_plain"),
        CLOSE,
    ]
    assert report.async_view is False


# WSGI -----------------------------------------------------------------------


@override_settings(MIDDLEWARE=[PROBE, *STARTPROJECT])
def test_views_under_wsgi(reports: list[Report], transactional_db: None) -> None:
    app = get_wsgi_application()
    assert wsgi_request(app, "/sync_plain/").status == 200
    assert reports[-1].thread_hops == 0
    assert wsgi_request(app, "/async_plain/").status == 200
    report = reports[-1]
    assert [(h.direction, h.cause, h.target) for h in report.hops] == [
        ("async_to_sync", "view", "tests.testapp.views.async_plain")
    ]
    assert report.async_view is True


# Lazy loads through requests ------------------------------------------------


@override_settings(MIDDLEWARE=[PROBE])
async def test_async_view_lazy_loads_on_the_loop_are_caught_even_when_swallowed(
    asgi_app: Any, reports: list[Report], library: Any
) -> None:
    response, report = await get(asgi_app, reports, "/async_books_loop/")
    assert response.json() == {"errors": 3}  # the view swallowed them all
    assert report.lazy_loads == 3
    assert {(load.field, load.context, load.async_view) for load in report.loads} == {
        ("author", "event_loop", True)
    }
    (group,) = report.load_groups
    assert group.count == 3
    assert (
        group.suggestion == 'add .select_related("author") at tests/testapp/views.py:23'
    )
    assert str(group.callsite) == "tests/testapp/views.py:27"


@override_settings(MIDDLEWARE=[PROBE])
async def test_async_view_lazy_loads_in_a_worker(
    asgi_app: Any, reports: list[Report], library: Any
) -> None:
    _, report = await get(asgi_app, reports, "/async_books_worker/")
    assert report.lazy_loads == 3
    assert {(load.context, load.async_view) for load in report.loads} == {
        ("worker", True)
    }
    assert report.thread_hops == 4  # signal, the async iteration, the helper, close
    _, fixed = await get(asgi_app, reports, "/async_books_fixed/")
    assert (fixed.lazy_loads, fixed.thread_hops) == (0, 3)


@override_settings(MIDDLEWARE=[PROBE])
async def test_sync_view_lazy_loads_under_asgi(
    asgi_app: Any, reports: list[Report], library: Any
) -> None:
    _, report = await get(asgi_app, reports, "/sync_books/")
    assert report.lazy_loads == 3
    assert {(load.context, load.async_view) for load in report.loads} == {
        ("worker", False)
    }


@override_settings(MIDDLEWARE=[PROBE])
def test_sync_view_lazy_loads_under_wsgi(reports: list[Report], library: Any) -> None:
    wsgi_request(get_wsgi_application(), "/sync_books/")
    assert {(load.context, load.async_view) for load in reports[-1].loads} == {
        ("sync", False)
    }
    assert reports[-1].lazy_loads == 3


@override_settings(MIDDLEWARE=[PROBE], ASYNC_PROBE={"LAZY_LOADS": "raise"})
async def test_raise_mode_fails_async_views_only(
    asgi_app: Any, reports: list[Report], library: Any
) -> None:
    response, report = await get(asgi_app, reports, "/async_books_loop/")
    assert response.status == 500  # LazyLoadError is not the view's to swallow
    assert report.lazy_loads == 1 and report.status == 500
    response, report = await get(asgi_app, reports, "/sync_books/")
    assert response.status == 200 and report.lazy_loads == 3


# Cache calls through requests ---------------------------------------------


@override_settings(MIDDLEWARE=[PROBE])
@pytest.mark.parametrize("alias", ["default", "redis"])
async def test_async_view_cache_calls(
    asgi_app: Any,
    reports: list[Report],
    alias: str,
    request: Any,
    transactional_db: None,
) -> None:
    if alias == "redis":
        request.getfixturevalue("redis_cache")
    response, report = await get(
        asgi_app, reports, "/async_cache/", query=f"alias={alias}"
    )
    assert response.json() == {"value": 1}
    assert (report.cache_calls, report.blocking_cache_calls) == (2, 1)
    blocking, through_hop = report.cache
    assert (blocking.method, blocking.alias, blocking.context) == (
        "set",
        alias,
        "event_loop",
    )
    assert str(blocking.callsite) == "tests/testapp/views.py:63"
    assert (through_hop.method, through_hop.context, through_hop.blocking) == (
        "get",
        "worker",
        False,
    )
    assert [hop.cause for hop in report.hops] == ["signal", "cache", "response"]


@override_settings(MIDDLEWARE=[PROBE])
async def test_sync_view_cache_calls_do_not_block(
    asgi_app: Any, reports: list[Report], transactional_db: None
) -> None:
    _, report = await get(asgi_app, reports, "/sync_cache/")
    assert (report.cache_calls, report.blocking_cache_calls) == (2, 0)
    wsgi_report_count = len(reports)
    await asgi_request(asgi_app(), "/sync_cache/")
    assert len(reports) == wsgi_report_count + 1


# Scopes: joining, nesting, the test clients ---------------------------------


@override_settings(MIDDLEWARE=[PROBE, *STARTPROJECT])
async def test_middleware_alone_sees_the_chain_only(
    async_client: Any, reports: list[Report], transactional_db: None
) -> None:
    response = await async_client.get("/async_plain/")
    assert response.status_code == 200
    (report,) = reports
    assert hops_of(report) == [*STARTPROJECT_HOPS, *STARTPROJECT_RESPONSE_HOPS]


@override_settings(MIDDLEWARE=[PROBE, *STARTPROJECT])
async def test_a_test_scope_includes_what_the_client_does(
    async_client: Any, reports: list[Report], transactional_db: None
) -> None:
    from async_probe import probe

    async with probe() as outer:
        await async_client.get("/async_plain/")
        await async_client.get("/async_plain/")
    # Each request also sends request_started and closes the response.
    assert outer.thread_hops == 2 * 15
    assert [r.thread_hops for r in reports] == [13, 13]


@override_settings(MIDDLEWARE=[PROBE])
async def test_report_is_json_safe(
    asgi_app: Any, reports: list[Report], library: Any
) -> None:
    _, report = await get(asgi_app, reports, "/async_books_worker/")
    data = json.loads(json.dumps(report.as_dict()))
    assert {k: data[k] for k in ("method", "path", "status", "view", "async_view")} == {
        "method": "GET",
        "path": "/async_books_worker/",
        "status": 200,
        "view": "tests.testapp.views.async_books_worker",
        "async_view": True,
    }
    assert (data["thread_hops"], data["lazy_loads"]) == (4, 3)
    assert [e["type"] for e in data["events"]].count("lazy_load") == 3
    load = next(e for e in data["events"] if e["type"] == "lazy_load")
    assert load["callsite"] == {
        "filename": "tests/testapp/views.py",
        "lineno": 34,
        "function": "_author_names",
    }
