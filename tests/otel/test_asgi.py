"""ASGI: OpenTelemetryMiddleware(ProbeASGIWrapper(get_asgi_application())).

The ASGI middleware ends its server span as soon as the last body byte is sent;
Django closes the response (a hop) after that, so the request's findings are
complete only once that span has ended. They go on a child of the server span,
``async_probe GET <route>``, that covers the probe's scope; hop spans hang below.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import SpanKind

from async_probe.report import Report
from tests.drivers import asgi_request
from tests.test_scenarios import STARTPROJECT

from .conftest import PROBE, VIEWS, Telemetry, line_of

URLS = "tests.otel.urls"
HERE = "tests/otel/views.py"


def request_span(telemetry: Telemetry, route: str) -> tuple[ReadableSpan, ReadableSpan]:
    """The ASGI middleware's server span and the probe's span below it."""
    (server,) = [s for s in telemetry.spans() if s.kind is SpanKind.SERVER]
    probe_span = telemetry.span(f"async_probe GET {route}")
    assert probe_span.parent is not None and server.context is not None
    assert probe_span.parent.span_id == server.context.span_id
    assert (
        probe_span.context is not None
        and probe_span.context.trace_id == server.context.trace_id
    )
    return server, probe_span


def counts(report: Report) -> dict[str, Any]:
    return {
        "async_probe.thread_hops": report.thread_hops,
        "async_probe.lazy_loads": report.lazy_loads,
        "async_probe.blocking_cache_calls": report.blocking_cache_calls,
        "async_probe.cache_calls": report.cache_calls,
        "async_probe.hop_wait_ms": round(report.hop_wait_s * 1000, 3),
        "async_probe.hop_run_ms": round(report.hop_run_s * 1000, 3),
    }


@override_settings(MIDDLEWARE=[PROBE])
async def test_async_view_minimal_stack(
    otel_asgi: Callable[..., Any],
    telemetry: Telemetry,
    reports: list[Report],
    transactional_db: None,
) -> None:
    response = await asgi_request(otel_asgi(), "/async_plain/")
    assert response.status == 200
    (report,) = reports
    server, probe_span = request_span(telemetry, "async_plain/")
    assert probe_span.kind is SpanKind.INTERNAL
    assert dict(probe_span.attributes or {}) == {
        **counts(report),
        "async_probe.async_view": True,
        "async_probe.view": "tests.testapp.views.async_plain",
        "async_probe.hops.signal": 1,
        "async_probe.hops.response": 1,
    }
    assert probe_span.attributes["async_probe.thread_hops"] == 2  # type: ignore[index]
    # The probe's span covers its scope; the server span ended before the
    # response close hop ran.
    assert (probe_span.start_time, probe_span.end_time) == (
        report.started_ns,
        report.finished_ns,
    )
    close = report.hops[-1]
    assert server.end_time is not None and server.end_time <= close.at_ns
    # Nothing on the server span: that is the instrumentation's.
    assert not [k for k in server.attributes or {} if k.startswith("async_probe.")]

    signal, close_span = telemetry.children(probe_span)
    assert [s.name for s in (signal, close_span)] == [
        "sync_to_async django.core.signals.request_started",
        "sync_to_async django.http.response.JsonResponse.close",
    ]
    for span, hop in zip((signal, close_span), report.hops, strict=True):
        assert span.kind is SpanKind.INTERNAL
        assert (span.start_time, span.end_time) == (hop.at_ns, hop.end_ns)
        assert dict(span.attributes or {}) == {
            "async_probe.hop.direction": "sync_to_async",
            "async_probe.hop.cause": hop.cause,
            "async_probe.hop.target": hop.target,
            "async_probe.hop.thread_sensitive": True,
            "async_probe.hop.wait_ms": round(hop.wait_s * 1000, 3),
            "async_probe.hop.run_ms": round(hop.run_s * 1000, 3),
        }
        (run,) = span.events
        assert (run.name, run.timestamp) == (
            "async_probe.hop.run",
            hop.at_ns + int(hop.wait_s * 1e9),
        )
    assert len(telemetry.probe_spans()) == 3


@override_settings(MIDDLEWARE=[PROBE, *STARTPROJECT])
async def test_startproject_stack_one_span_per_hop(
    otel_asgi: Callable[..., Any],
    telemetry: Telemetry,
    reports: list[Report],
    transactional_db: None,
) -> None:
    await asgi_request(otel_asgi(), "/async_plain/")
    (report,) = reports
    _, probe_span = request_span(telemetry, "async_plain/")
    attributes = probe_span.attributes or {}
    assert attributes["async_probe.thread_hops"] == 15
    assert {
        k: v for k, v in attributes.items() if k.startswith("async_probe.hops.")
    } == {
        "async_probe.hops.middleware": 13,
        "async_probe.hops.signal": 1,
        "async_probe.hops.response": 1,
    }
    hops = telemetry.children(probe_span)
    assert [s.attributes["async_probe.hop.target"] for s in hops] == [  # type: ignore[index]
        hop.target for hop in report.hops
    ]
    assert telemetry.hop_spans() == hops  # all fifteen directly under the request


@override_settings(MIDDLEWARE=[PROBE], ROOT_URLCONF=URLS)
async def test_nested_hops_nest_their_spans(
    otel_asgi: Callable[..., Any],
    telemetry: Telemetry,
    reports: list[Report],
    transactional_db: None,
) -> None:
    response = await asgi_request(otel_asgi(), "/nested_hops/")
    assert response.json() == {"value": 42}
    (report,) = reports
    _, probe_span = request_span(telemetry, "nested_hops/")
    _, outer, inner, _ = report.hops
    assert (outer.target, inner.target) == (
        "tests.otel.views._outer",
        "tests.otel.views._inner",
    )
    assert inner.parent_id == outer.id
    by_target = {
        s.attributes["async_probe.hop.target"]: s for s in telemetry.hop_spans()
    }  # type: ignore[index]
    outer_span, inner_span = by_target[outer.target], by_target[inner.target]
    assert [s.name for s in telemetry.children(probe_span)] == [
        "sync_to_async django.core.signals.request_started",
        "sync_to_async tests.otel.views._outer",
        "sync_to_async django.http.response.JsonResponse.close",
    ]
    assert telemetry.children(outer_span) == [inner_span]
    assert inner_span.name == "async_to_sync tests.otel.views._inner"
    assert dict(inner_span.attributes or {}) == {
        "async_probe.hop.direction": "async_to_sync",
        "async_probe.hop.cause": "user",
        "async_probe.hop.target": "tests.otel.views._inner",
        "async_probe.hop.thread_sensitive": False,
        "async_probe.hop.wait_ms": round(inner.wait_s * 1000, 3),
        "async_probe.hop.run_ms": round(inner.run_s * 1000, 3),
        "code.file.path": HERE,
        "code.line.number": line_of(
            "async_to_sync(_inner)", within="_outer", path=HERE
        ),
        "code.function.name": "_outer",
    }
    assert outer_span.attributes["code.line.number"] == line_of(  # type: ignore[index]
        "sync_to_async(_outer)", within="nested_hops", path=HERE
    )
    # The inner hop ran inside the outer one, and the spans say so.
    assert outer_span.start_time is not None and outer_span.end_time is not None
    assert outer_span.start_time <= inner_span.start_time <= outer_span.end_time  # type: ignore[operator]


def load_attributes(
    context: str, line: str, function: str, origin: tuple[str, str]
) -> dict[str, Any]:
    origin_line = f"{VIEWS}:{line_of(origin[1], within=origin[0])}"
    return {
        "async_probe.model": "testapp.Book",
        "async_probe.field": "author",
        "async_probe.kind": "forward",
        "async_probe.context": context,
        "async_probe.suggestion": f'add .select_related("author") at {origin_line}',
        "async_probe.origin": origin_line,
        "code.file.path": VIEWS,
        "code.line.number": line_of(line, within=function),
        "code.function.name": function,
    }


@override_settings(MIDDLEWARE=[PROBE])
async def test_lazy_loads_on_the_loop_are_events_on_the_request_span(
    otel_asgi: Callable[..., Any],
    telemetry: Telemetry,
    reports: list[Report],
    library: Any,
) -> None:
    await asgi_request(otel_asgi(), "/async_books_loop/")
    (report,) = reports
    _, probe_span = request_span(telemetry, "async_books_loop/")
    assert probe_span.attributes["async_probe.lazy_loads"] == 3  # type: ignore[index]
    events = [e for e in probe_span.events if e.name == "async_probe.lazy_load"]
    assert [e.timestamp for e in events] == [load.at_ns for load in report.loads]
    for event in events:
        assert dict(event.attributes or {}) == load_attributes(
            "event_loop",
            "book.author",
            "async_books_loop",
            origin=("async_books_loop", "books = ["),
        )


@override_settings(MIDDLEWARE=[PROBE])
async def test_lazy_loads_in_a_worker_are_events_on_that_hop(
    otel_asgi: Callable[..., Any],
    telemetry: Telemetry,
    reports: list[Report],
    library: Any,
) -> None:
    await asgi_request(otel_asgi(), "/async_books_worker/")
    (report,) = reports
    _, probe_span = request_span(telemetry, "async_books_worker/")
    assert not [e for e in probe_span.events if e.name == "async_probe.lazy_load"]
    helper = telemetry.span("sync_to_async tests.testapp.views._author_names")
    assert helper.parent is not None and probe_span.context is not None
    assert helper.parent.span_id == probe_span.context.span_id
    loads = [e for e in helper.events if e.name == "async_probe.lazy_load"]
    assert len(loads) == 3 == report.lazy_loads
    assert {e.attributes["async_probe.context"] for e in loads} == {"worker"}  # type: ignore[index]
    for event in loads:
        assert dict(event.attributes or {}) == load_attributes(
            "worker",
            "book.author.name",
            "_author_names",
            origin=("async_books_worker", "books = ["),
        )


@pytest.mark.parametrize("alias", ["default", "redis"])
@override_settings(MIDDLEWARE=[PROBE])
async def test_blocking_cache_call_event_has_the_redacted_key(
    otel_asgi: Callable[..., Any],
    telemetry: Telemetry,
    reports: list[Report],
    alias: str,
    request: pytest.FixtureRequest,
    transactional_db: None,
) -> None:
    if alias == "redis":
        request.getfixturevalue("redis_cache")
    await asgi_request(otel_asgi(), "/async_cache/", query=f"alias={alias}")
    (report,) = reports
    blocking = report.cache[0]
    assert blocking.blocking and blocking.key is not None
    assert blocking.key.startswith("<redacted:")
    _, probe_span = request_span(telemetry, "async_cache/")
    assert probe_span.attributes["async_probe.blocking_cache_calls"] == 1  # type: ignore[index]
    assert probe_span.attributes["async_probe.cache_calls"] == 2  # type: ignore[index]
    (event,) = [
        e for e in probe_span.events if e.name == "async_probe.blocking_cache_call"
    ]
    assert event.timestamp == blocking.at_ns
    assert dict(event.attributes or {}) == {
        "async_probe.cache.alias": alias,
        "async_probe.cache.method": "set",
        "async_probe.cache.key": blocking.key,
        "async_probe.cache.duration_ms": round(blocking.duration_s * 1000, 3),
        "async_probe.context": "event_loop",
        "async_probe.suggestion": (
            "await cache.aset(...) instead, or move it off the event loop"
        ),
        "code.file.path": VIEWS,
        "code.line.number": line_of('backend.set("probe:key"', within="async_cache"),
        "code.function.name": "async_cache",
    }
    # The non-blocking aget is counted, not an event; its hop is a span.
    assert [s.attributes["async_probe.hop.cause"] for s in telemetry.hop_spans()] == [  # type: ignore[index]
        "signal",
        "cache",
        "response",
    ]


@pytest.mark.parametrize("off", ["HOP_SPANS", "HOP_TIMING"])
async def test_hop_spans_off(
    off: str,
    otel_asgi: Callable[..., Any],
    telemetry: Telemetry,
    reports: list[Report],
    library: Any,
) -> None:
    with override_settings(MIDDLEWARE=[PROBE], ASYNC_PROBE={off: False}):
        await asgi_request(otel_asgi(), "/async_books_worker/")
    _, probe_span = request_span(telemetry, "async_books_worker/")
    assert telemetry.probe_spans() == [probe_span]
    assert probe_span.attributes["async_probe.thread_hops"] == 4  # type: ignore[index]
    # With no hop span to carry them, the worker's loads go on the request span.
    assert [e.name for e in probe_span.events] == ["async_probe.lazy_load"] * 3


@override_settings(MIDDLEWARE=[PROBE], ASYNC_PROBE={"OTEL": False})
async def test_otel_false_switches_the_sink_off(
    otel_asgi: Callable[..., Any],
    telemetry: Telemetry,
    reports: list[Report],
    transactional_db: None,
) -> None:
    await asgi_request(otel_asgi(), "/async_plain/")
    assert len(reports) == 1
    assert telemetry.probe_spans() == []
    assert telemetry.histograms() == {}
    assert [s.kind for s in telemetry.spans()].count(SpanKind.SERVER) == 1


@override_settings(MIDDLEWARE=[PROBE])
async def test_sampled_out_request_gets_no_spans_but_metrics(
    otel_asgi: Callable[..., Any],
    telemetry: Telemetry,
    reports: list[Report],
    transactional_db: None,
) -> None:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.sampling import ALWAYS_OFF

    sampled_out = TracerProvider(sampler=ALWAYS_OFF, shutdown_on_exit=False)
    await asgi_request(otel_asgi(tracer_provider=sampled_out), "/async_plain/")
    assert len(reports) == 1
    # The sampler's decision stands: the probe adds no spans to a dropped trace.
    assert telemetry.spans() == []
    (point,) = telemetry.histograms()["async_probe.request.thread_hops"]
    assert (point.count, point.sum) == (1, 2)


@pytest.mark.parametrize("exclude", [None, ["receive", "send"]])
@override_settings(MIDDLEWARE=[PROBE])
async def test_send_and_receive_spans_do_not_take_the_hops(
    otel_asgi: Callable[..., Any],
    telemetry: Telemetry,
    reports: list[Report],
    exclude: list[str] | None,
    transactional_db: None,
) -> None:
    await asgi_request(otel_asgi(exclude_spans=exclude), "/async_plain/")
    _, probe_span = request_span(telemetry, "async_plain/")
    assert len(telemetry.children(probe_span)) == 2
    theirs = {s.name for s in telemetry.spans() if s not in telemetry.probe_spans()}
    # (How many receive spans there are depends on when the disconnect arrives.)
    assert theirs == (
        {"GET /async_plain/"}
        if exclude
        else {
            "GET /async_plain/",
            "GET /async_plain/ http receive",
            "GET /async_plain/ http send",
        }
    )
