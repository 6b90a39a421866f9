"""SDK providers of the test's own, with in-memory exporter and reader.

The global TracerProvider and MeterProvider can be set once per process, so
nothing here touches them: each test builds its providers and passes them to
the sink and to the OpenTelemetry instrumentation explicitly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import HistogramDataPoint, InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)

from async_probe import otel

PROBE = "async_probe.middleware.AsyncProbeMiddleware"
ROOT = Path(__file__).resolve().parents[2]
VIEWS = "tests/testapp/views.py"


def line_of(text: str, *, within: str, path: str = VIEWS) -> int:
    """The line of ``path`` with ``text`` in function ``within`` (so tests pin
    the source line without breaking when the file is reformatted)."""
    lines = (ROOT / path).read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if f"def {within}(" in line)
    return next(i for i, line in enumerate(lines[start:], start + 1) if text in line)


@dataclass
class Telemetry:
    tracer_provider: TracerProvider
    meter_provider: MeterProvider
    exporter: InMemorySpanExporter
    reader: InMemoryMetricReader

    def spans(self) -> list[ReadableSpan]:
        return sorted(
            self.exporter.get_finished_spans(), key=lambda s: s.start_time or 0
        )

    def span(self, name: str) -> ReadableSpan:
        (found,) = [s for s in self.spans() if s.name == name]
        return found

    def probe_spans(self) -> list[ReadableSpan]:
        """Spans the sink made (its instrumentation scope), in start order."""
        return [
            s
            for s in self.spans()
            if s.instrumentation_scope is not None
            and s.instrumentation_scope.name == otel.SCOPE_NAME
        ]

    def hop_spans(self) -> list[ReadableSpan]:
        return [
            s
            for s in self.probe_spans()
            if "async_probe.hop.cause" in (s.attributes or {})
        ]

    def children(self, parent: ReadableSpan) -> list[ReadableSpan]:
        parent_id = parent.context.span_id if parent.context else None
        return [
            s
            for s in self.spans()
            if s.parent is not None and s.parent.span_id == parent_id
        ]

    def histograms(self) -> dict[str, list[HistogramDataPoint]]:
        """The sink's histograms by name (each a list of data points)."""
        data = self.reader.get_metrics_data()
        out: dict[str, list[HistogramDataPoint]] = {}
        for resource_metrics in data.resource_metrics if data else ():
            for scope_metrics in resource_metrics.scope_metrics:
                if scope_metrics.scope.name != otel.SCOPE_NAME:
                    continue
                for metric in scope_metrics.metrics:
                    out[metric.name] = list(metric.data.data_points)  # type: ignore[arg-type]
        return out


@pytest.fixture
def telemetry() -> Iterator[Telemetry]:
    tracer_provider = TracerProvider(shutdown_on_exit=False)
    exporter = InMemorySpanExporter()
    tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    reader = InMemoryMetricReader()
    meter_provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    previous = otel.uninstall()  # the app's auto-installed sink, if any
    otel.install(tracer_provider=tracer_provider, meter_provider=meter_provider)
    yield Telemetry(tracer_provider, meter_provider, exporter, reader)
    otel.uninstall()
    if previous is not None:
        previous.connect()
    tracer_provider.shutdown()
    meter_provider.shutdown()


@pytest.fixture
def otel_asgi(telemetry: Telemetry, asgi_app: Callable[[], Any]) -> Callable[..., Any]:
    """``OpenTelemetryMiddleware(ProbeASGIWrapper(get_asgi_application()))``."""
    from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware

    def build(**kwargs: Any) -> Any:
        kwargs.setdefault("tracer_provider", telemetry.tracer_provider)
        kwargs.setdefault("meter_provider", telemetry.meter_provider)
        return OpenTelemetryMiddleware(asgi_app(), **kwargs)

    return build


@pytest.fixture
def django_instrumented(telemetry: Telemetry, settings: Any) -> Iterator[None]:
    """opentelemetry-instrumentation-django, which puts its middleware first in
    MIDDLEWARE (build the handler after this fixture)."""
    from opentelemetry.instrumentation.django import DjangoInstrumentor

    settings.MIDDLEWARE = [PROBE]
    instrumentor = DjangoInstrumentor()
    instrumentor.instrument(
        tracer_provider=telemetry.tracer_provider,
        meter_provider=telemetry.meter_provider,
    )
    yield
    instrumentor.uninstrument()
