"""No instrumentation: the probe makes the request's server span itself.

SERVER, because it is the request's entry in the trace (backends group and
measure requests by server spans); named per the HTTP conventions from the
method and the matched URL pattern, never the raw path; with the scope's real
start and end.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import override_settings
from opentelemetry.trace import SpanKind, StatusCode

from async_probe.report import Report
from tests.drivers import asgi_request

from .conftest import PROBE, Telemetry


@override_settings(MIDDLEWARE=[PROBE])
async def test_asgi_without_instrumentation(
    asgi_app: Callable[[], Any],
    telemetry: Telemetry,
    reports: list[Report],
    transactional_db: None,
) -> None:
    await asgi_request(asgi_app(), "/async_plain/")
    (report,) = reports
    server, *hops = telemetry.probe_spans()
    assert (server.name, server.kind, server.parent) == (
        "GET async_plain/",
        SpanKind.SERVER,
        None,
    )
    assert (server.start_time, server.end_time) == (
        report.started_ns,
        report.finished_ns,
    )
    assert dict(server.attributes or {}) == {
        "http.request.method": "GET",
        "url.path": "/async_plain/",
        "http.route": "async_plain/",
        "http.response.status_code": 200,
        "async_probe.thread_hops": 2,
        "async_probe.lazy_loads": 0,
        "async_probe.blocking_cache_calls": 0,
        "async_probe.cache_calls": 0,
        "async_probe.hop_wait_ms": round(report.hop_wait_s * 1000, 3),
        "async_probe.hop_run_ms": round(report.hop_run_s * 1000, 3),
        "async_probe.async_view": True,
        "async_probe.view": "tests.testapp.views.async_plain",
        "async_probe.hops.signal": 1,
        "async_probe.hops.response": 1,
    }
    assert server.status.status_code is StatusCode.UNSET
    assert telemetry.children(server) == hops and len(hops) == 2
    assert all(
        server.start_time <= h.start_time <= h.end_time <= server.end_time for h in hops
    )  # type: ignore[operator]


@override_settings(MIDDLEWARE=[PROBE], ASYNC_PROBE={"LAZY_LOADS": "raise"})
async def test_server_error_sets_the_span_status(
    asgi_app: Callable[[], Any],
    telemetry: Telemetry,
    reports: list[Report],
    library: Any,
) -> None:
    response = await asgi_request(asgi_app(), "/async_books_loop/")
    assert response.status == 500
    server = telemetry.span("GET async_books_loop/")
    assert server.status.status_code is StatusCode.ERROR
    assert server.attributes["http.response.status_code"] == 500  # type: ignore[index]
    assert server.attributes["async_probe.lazy_loads"] == 1  # type: ignore[index]
    assert [e.name for e in server.events] == ["async_probe.lazy_load"]


@override_settings(MIDDLEWARE=[PROBE], ROOT_URLCONF="tests.otel.urls")
async def test_name_uses_the_route_and_unknown_methods_become_http(
    asgi_app: Callable[[], Any],
    telemetry: Telemetry,
    transactional_db: None,
) -> None:
    await asgi_request(asgi_app(), "/books/7/")
    await asgi_request(asgi_app(), "/books/8/", method="PURGE")
    await asgi_request(asgi_app(), "/no/such/page/")
    assert [s.name for s in telemetry.probe_spans() if s.kind is SpanKind.SERVER] == [
        "GET books/<int:pk>/",
        "HTTP books/<int:pk>/",
        "GET",
    ]
    missing = telemetry.span("GET")
    assert missing.attributes["http.response.status_code"] == 404  # type: ignore[index]
    assert "async_probe.view" not in (missing.attributes or {})
    assert "async_probe.async_view" not in (missing.attributes or {})


@override_settings(MIDDLEWARE=[PROBE])
async def test_test_client_requests_get_a_span_too(
    async_client: Any,
    telemetry: Telemetry,
    reports: list[Report],
    transactional_db: None,
) -> None:
    await async_client.get("/async_plain/")
    (report,) = reports
    (server,) = telemetry.probe_spans()  # the middleware's scope sees no hop here
    assert server.name == "GET async_plain/"
    assert (server.start_time, server.end_time) == (
        report.started_ns,
        report.finished_ns,
    )
    assert server.attributes["async_probe.thread_hops"] == 0  # type: ignore[index]
