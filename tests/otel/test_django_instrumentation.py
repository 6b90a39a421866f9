"""opentelemetry-instrumentation-django: under WSGI its server span is current
while the probe's middleware closes the scope, so the findings go on it.

Under ASGI its middleware is sync-only: Django runs it in a worker thread and
hops back to the loop for the rest of the chain. The last test pins what that
costs, the number docs/otel.md quotes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.wsgi import get_wsgi_application
from opentelemetry.trace import SpanKind

from async_probe.report import Report
from tests.drivers import asgi_request, wsgi_request

from .conftest import Telemetry, line_of

DJANGO_SCOPE = "opentelemetry.instrumentation.django"
OTEL_MIDDLEWARE = (
    "opentelemetry.instrumentation.django.middleware.otel_middleware._DjangoMiddleware"
)


def server_span(telemetry: Telemetry) -> Any:
    (server,) = [s for s in telemetry.spans() if s.kind is SpanKind.SERVER]
    return server


def probe_attributes(span: Any) -> dict[str, Any]:
    return {k: v for k, v in span.attributes.items() if k.startswith("async_probe.")}


def test_async_view_under_wsgi(
    django_instrumented: None,
    telemetry: Telemetry,
    reports: list[Report],
    transactional_db: None,
) -> None:
    assert wsgi_request(get_wsgi_application(), "/async_plain/").status == 200
    (report,) = reports
    server = server_span(telemetry)
    assert (server.name, server.instrumentation_scope.name) == (
        "GET async_plain/",
        DJANGO_SCOPE,
    )
    assert probe_attributes(server) == {
        "async_probe.thread_hops": 1,
        "async_probe.lazy_loads": 0,
        "async_probe.blocking_cache_calls": 0,
        "async_probe.cache_calls": 0,
        "async_probe.hop_wait_ms": round(report.hop_wait_s * 1000, 3),
        "async_probe.hop_run_ms": round(report.hop_run_s * 1000, 3),
        "async_probe.async_view": True,
        "async_probe.view": "tests.testapp.views.async_plain",
        "async_probe.hops.view": 1,
    }
    # The probe made no request span of its own: just the view's hop, under
    # the instrumentation's span.
    (hop_span,) = telemetry.probe_spans()
    assert telemetry.children(server) == [hop_span]
    (hop,) = report.hops
    assert hop_span.name == "async_to_sync tests.testapp.views.async_plain"
    assert (hop_span.start_time, hop_span.end_time) == (hop.at_ns, hop.end_ns)
    assert hop_span.attributes["async_probe.hop.cause"] == "view"
    assert server.start_time < hop_span.start_time < hop_span.end_time < server.end_time


def test_sync_view_lazy_loads_under_wsgi(
    django_instrumented: None,
    telemetry: Telemetry,
    reports: list[Report],
    library: Any,
) -> None:
    wsgi_request(get_wsgi_application(), "/sync_books/")
    (report,) = reports
    server = server_span(telemetry)
    assert probe_attributes(server)["async_probe.lazy_loads"] == 3
    assert probe_attributes(server)["async_probe.async_view"] is False
    assert telemetry.probe_spans() == []  # no hops under WSGI for a sync view
    events = [e for e in server.events if e.name == "async_probe.lazy_load"]
    assert [e.timestamp for e in events] == [load.at_ns for load in report.loads]
    assert {
        (e.attributes["async_probe.context"], e.attributes["code.line.number"])
        for e in events
    } == {("sync", line_of("book.author.name", within="_author_names"))}


async def test_its_sync_middleware_costs_three_hops_under_asgi(
    django_instrumented: None,
    telemetry: Telemetry,
    reports: list[Report],
    asgi_app: Callable[[], Any],
    transactional_db: None,
) -> None:
    """MIDDLEWARE = [its middleware, the probe's]; ProbeASGIWrapper outside."""
    await asgi_request(asgi_app(), "/async_plain/")
    (report,) = reports
    assert [(hop.direction, hop.target) for hop in report.hops] == [
        ("sync_to_async", "django.core.signals.request_started"),
        ("sync_to_async", OTEL_MIDDLEWARE),  # into its sync-only middleware
        ("async_to_sync", "async_probe.middleware.AsyncProbeMiddleware"),  # back out
        ("sync_to_async", f"{OTEL_MIDDLEWARE}.process_view"),
        ("sync_to_async", "django.http.response.JsonResponse.close"),
    ]
    assert report.thread_hops == 2 + 3  # test_scenarios pins 2 without it
    # Its span ended and left the context before the wrapper's scope closed,
    # so the probe made a server span of its own: a second trace.
    django_span, probe_span = sorted(
        (s for s in telemetry.spans() if s.kind is SpanKind.SERVER),
        key=lambda s: s.instrumentation_scope.name != DJANGO_SCOPE,
    )
    assert probe_span.instrumentation_scope.name == "async_probe"
    assert probe_span.context.trace_id != django_span.context.trace_id
    assert probe_attributes(django_span) == {}


async def test_under_asgi_without_the_wrapper_its_span_gets_the_findings(
    django_instrumented: None,
    telemetry: Telemetry,
    reports: list[Report],
    transactional_db: None,
) -> None:
    from django.core.asgi import get_asgi_application

    await asgi_request(get_asgi_application(), "/async_plain/")
    (report,) = reports
    # The probe's middleware opens the scope inside the adapted region, so it
    # sees only process_view of the three.
    assert [hop.target for hop in report.hops] == [f"{OTEL_MIDDLEWARE}.process_view"]
    server = server_span(telemetry)
    assert server.instrumentation_scope.name == DJANGO_SCOPE
    assert probe_attributes(server)["async_probe.thread_hops"] == 1
