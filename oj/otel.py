"""OpenTelemetry for the reference backend, on when an OTLP endpoint is set.

``OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 uvicorn oj.asgi:application``
exports each request's trace (the ASGI server span, the probe's counts, a span
per hop) and the probe's histograms; everything else is read by the SDK from the
standard ``OTEL_*`` variables. The library never configures a provider itself:
this is the application's start-up code, as docs/otel.md recommends.
"""

from __future__ import annotations

import os
from typing import Any


def enabled() -> bool:
    return bool(
        os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
        or os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    )


def configure() -> None:
    from opentelemetry import metrics, trace
    from opentelemetry.exporter.otlp.proto.http.metric_exporter import (
        OTLPMetricExporter,
    )
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    os.environ.setdefault("OTEL_SERVICE_NAME", "oj")
    resource = Resource.create()
    tracer_provider = TracerProvider(resource=resource)
    # Batch: the probe's sink runs on the event loop, which must not wait on
    # the network.
    tracer_provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(tracer_provider)
    if os.environ.get("OTEL_METRICS_EXPORTER", "otlp") != "none":
        reader = PeriodicExportingMetricReader(OTLPMetricExporter())
        metrics.set_meter_provider(
            MeterProvider(resource=resource, metric_readers=[reader])
        )


def wrap(app: Any) -> Any:
    """The ASGI server span outside the probe's wrapper (see docs/otel.md)."""
    from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware

    return OpenTelemetryMiddleware(app)
