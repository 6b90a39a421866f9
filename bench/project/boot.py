"""Build the ASGI and WSGI applications for the level in ``BENCH_LEVEL``.

Used by ``bench.project.asgi`` (uvicorn) and by the in-process worker, so both
serve exactly the same application.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.project.settings")

_booted = False


class NullExporter:
    """A span exporter that drops everything: we measure recording, not export."""

    def export(self, spans: Sequence[Any]) -> Any:
        from opentelemetry.sdk.trace.export import SpanExportResult

        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        pass

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True


def boot() -> None:
    """Set up tracing and third-party instrumentation before Django builds its
    middleware chain (opentelemetry-instrumentation-django edits MIDDLEWARE)."""
    global _booted
    if _booted:
        return
    _booted = True
    from bench import levels

    level = levels.get(os.environ.get("BENCH_LEVEL", "off"))
    if level.tracer:
        from opentelemetry import metrics, trace
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor

        # Spans go through the usual batch processor to an exporter that drops
        # them; metrics are aggregated and never read.
        provider = TracerProvider()
        provider.add_span_processor(BatchSpanProcessor(NullExporter()))  # type: ignore[arg-type]
        trace.set_tracer_provider(provider)
        metrics.set_meter_provider(MeterProvider())
    if level.otel_django:
        from opentelemetry.instrumentation.django import DjangoInstrumentor

        DjangoInstrumentor().instrument()


def asgi_application() -> Any:
    boot()
    from django.core.asgi import get_asgi_application

    from bench import levels

    app: Any = get_asgi_application()
    if levels.get(os.environ.get("BENCH_LEVEL", "off")).wrapper:
        from async_probe.asgi import ProbeASGIWrapper

        app = ProbeASGIWrapper(app)
    return app


def wsgi_application() -> Any:
    boot()
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()
