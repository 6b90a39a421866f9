"""End to end: the SDK's OTLP/HTTP exporters, configured only through the
standard OTEL_* variables, send to a receiver on 127.0.0.1 that decodes the
protobuf requests the way a collector or Jaeger would."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import override_settings
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
    ExportMetricsServiceResponse,
)
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import KeyValue
from opentelemetry.proto.trace.v1.trace_pb2 import Span

from async_probe import otel
from async_probe.report import Report
from tests.drivers import asgi_request

from .conftest import PROBE


@dataclass
class Received:
    traces: list[ExportTraceServiceRequest] = field(default_factory=list)
    metrics: list[ExportMetricsServiceRequest] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    server: _Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        received = self.server.received
        received.headers.append({k.lower(): v for k, v in self.headers.items()})
        reply: Any
        if self.path == "/v1/traces":
            received.traces.append(ExportTraceServiceRequest.FromString(body))
            reply = ExportTraceServiceResponse()
        elif self.path == "/v1/metrics":
            received.metrics.append(ExportMetricsServiceRequest.FromString(body))
            reply = ExportMetricsServiceResponse()
        else:
            self.send_error(404)
            return
        out = reply.SerializeToString()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Receiver(ThreadingHTTPServer):
    received: Received


@pytest.fixture
def receiver() -> Iterator[_Receiver]:
    server = _Receiver(("127.0.0.1", 0), _Handler)
    server.received = Received()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def attributes(pairs: Any) -> dict[str, Any]:
    def value(kv: KeyValue) -> Any:
        return getattr(kv.value, kv.value.WhichOneof("value"))

    return {kv.key: value(kv) for kv in pairs}


@override_settings(MIDDLEWARE=[PROBE])
async def test_export_over_otlp_http(
    receiver: _Receiver,
    asgi_app: Callable[[], Any],
    reports: list[Report],
    monkeypatch: pytest.MonkeyPatch,
    library: Any,
) -> None:
    from opentelemetry.exporter.otlp.proto.http.metric_exporter import (
        OTLPMetricExporter,
    )
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    host, port = receiver.server_address[:2]
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", f"http://{host!s}:{port}")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_HEADERS", "x-tenant=probe-tests")
    monkeypatch.setenv("OTEL_SERVICE_NAME", "async-probe-e2e")
    # What an application's set-up code does (the library itself never does).
    resource = Resource.create()
    tracer_provider = TracerProvider(resource=resource, shutdown_on_exit=False)
    tracer_provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    meter_provider = MeterProvider(
        resource=resource,
        metric_readers=[
            PeriodicExportingMetricReader(
                OTLPMetricExporter(), export_interval_millis=3_600_000
            )
        ],
        shutdown_on_exit=False,
    )
    previous = otel.uninstall()
    otel.install(tracer_provider=tracer_provider, meter_provider=meter_provider)
    try:
        app = OpenTelemetryMiddleware(
            asgi_app(),
            tracer_provider=tracer_provider,
            meter_provider=meter_provider,
            exclude_spans=["receive", "send"],
        )
        response = await asgi_request(app, "/async_books_worker/")
        assert response.status == 200
        assert tracer_provider.force_flush() and meter_provider.force_flush()
    finally:
        otel.uninstall()
        if previous is not None:
            previous.connect()
        tracer_provider.shutdown()
        meter_provider.shutdown()
    (report,) = reports
    received = receiver.received
    assert {h["content-type"] for h in received.headers} == {"application/x-protobuf"}
    assert {h["content-encoding"] for h in received.headers} == {"gzip"}
    assert {h["x-tenant"] for h in received.headers} == {"probe-tests"}

    spans: dict[str, list[Span]] = {}
    for request in received.traces:
        for resource_spans in request.resource_spans:
            assert attributes(resource_spans.resource.attributes)["service.name"] == (
                "async-probe-e2e"
            )
            for scope_spans in resource_spans.scope_spans:
                spans.setdefault(scope_spans.scope.name, []).extend(scope_spans.spans)
    (server,) = spans["opentelemetry.instrumentation.asgi"]
    assert (server.name, server.kind) == (
        "GET /async_books_worker/",
        Span.SPAN_KIND_SERVER,
    )
    ours = {span.name: span for span in spans["async_probe"]}
    assert len(ours) == len(spans["async_probe"]) == 5
    probe_span = ours.pop("async_probe GET async_books_worker/")
    assert (probe_span.trace_id, probe_span.parent_span_id) == (
        server.trace_id,
        server.span_id,
    )
    assert (probe_span.start_time_unix_nano, probe_span.end_time_unix_nano) == (
        report.started_ns,
        report.finished_ns,
    )
    probe_attributes = attributes(probe_span.attributes)
    assert {
        k: probe_attributes[k]
        for k in ("async_probe.thread_hops", "async_probe.lazy_loads")
    } == {
        "async_probe.thread_hops": 4,
        "async_probe.lazy_loads": 3,
    }
    assert probe_attributes["async_probe.async_view"] is True
    assert probe_attributes["async_probe.hop_wait_ms"] == round(
        report.hop_wait_s * 1000, 3
    )

    # One span per hop, in the trace, under the request, with real times.
    assert sorted(ours) == sorted(f"{h.direction} {h.target}" for h in report.hops)
    for hop in report.hops:
        span = ours[f"{hop.direction} {hop.target}"]
        assert (span.trace_id, span.parent_span_id) == (
            server.trace_id,
            probe_span.span_id,
        )
        assert (span.start_time_unix_nano, span.end_time_unix_nano) == (
            hop.at_ns,
            hop.end_ns,
        )
        assert attributes(span.attributes)["async_probe.hop.cause"] == hop.cause
    helper = ours["sync_to_async tests.testapp.views._author_names"]
    loads = [e for e in helper.events if e.name == "async_probe.lazy_load"]
    assert [e.time_unix_nano for e in loads] == [load.at_ns for load in report.loads]
    first = attributes(loads[0].attributes)
    assert (
        first["async_probe.model"],
        first["async_probe.field"],
        first["code.function.name"],
    ) == (
        "testapp.Book",
        "author",
        "_author_names",
    )
    assert isinstance(first["code.line.number"], int)

    histograms = {
        metric.name: metric.histogram.data_points
        for request in received.metrics
        for resource_metrics in request.resource_metrics
        for scope_metrics in resource_metrics.scope_metrics
        if scope_metrics.scope.name == "async_probe"
        for metric in scope_metrics.metrics
    }
    (loads_point,) = histograms["async_probe.request.lazy_loads"]
    assert (loads_point.count, loads_point.sum) == (1, 3)
    assert attributes(loads_point.attributes)["http.route"] == "async_books_worker/"
