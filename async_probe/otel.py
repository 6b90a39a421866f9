"""OpenTelemetry sink: each request's findings on its trace and in metrics.

A receiver of :data:`~async_probe.signals.report_ready`. For every request it

- sets ``async_probe.*`` attributes (hops, lazy loads, blocking cache calls,
  hop wait and run time, hops per cause, the view) on the span that is current
  when the request's scope closes: the server span of the ASGI
  ``OpenTelemetryMiddleware`` when it wraps ``ProbeASGIWrapper``, or of
  ``opentelemetry-instrumentation-django`` under WSGI; with no instrumentation it
  makes a server span of its own, with the scope's real start and end;
- with ``HOP_SPANS`` adds a child span per hop, with its measured start and end,
  nested as the hops nested;
- adds a span event per lazy load and per blocking cache call;
- records per-route histograms through the metrics API.

Nothing is configured here: providers, exporters and sampling come from the
OpenTelemetry SDK (the standard ``OTEL_*`` variables, or the project's own set-up
code). ``install()`` takes providers explicitly, for tests and benchmarks that
must not touch the process-wide ones. This module imports nothing from
``opentelemetry`` until a sink is built, so ``opentelemetry-api`` stays an
optional extra.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
import time
from typing import TYPE_CHECKING, Any

from .conf import get_settings
from .faults import fault
from .signals import report_ready

if TYPE_CHECKING:
    from django.core.checks import CheckMessage
    from opentelemetry.metrics import MeterProvider
    from opentelemetry.trace import Tracer, TracerProvider

    from .otel_metrics import Instruments
    from .report import Report

__all__ = ["OtelSink", "available", "install", "installed", "is_installed", "uninstall"]

DISPATCH_UID = "async_probe.otel"
#: The instrumentation scope of every span and instrument the sink makes.
SCOPE_NAME = "async_probe"

logger = logging.getLogger("async_probe.otel")
_lock = threading.Lock()
_sink: OtelSink | None = None
_warned_unconfigured = False


def available() -> bool:
    """Whether opentelemetry-api can be imported (without importing it)."""
    try:
        return importlib.util.find_spec("opentelemetry.trace") is not None
    except ImportError:
        return False


class OtelSink:
    """The ``report_ready`` receiver.

    ``tracer_provider`` / ``meter_provider`` default to the global ones. A global
    provider that is still the API's proxy (nothing configured yet) or a no-op
    one is looked up again (at most once a second), so a project that
    configures the SDK after ``django.setup()`` (in ``asgi.py``, say) is covered
    from then on, and until then the sink costs next to nothing per request.
    Once a real provider is found its tracer or meter is kept: the global one
    can only be set once.
    """

    def __init__(
        self,
        tracer_provider: TracerProvider | None = None,
        meter_provider: MeterProvider | None = None,
    ) -> None:
        if not available():
            raise ImportError(
                "async_probe's OpenTelemetry sink needs opentelemetry-api: "
                "pip install 'django-async-probe[otel]'"
            )
        self.tracer_provider = tracer_provider
        self.meter_provider = meter_provider
        self._tracer: Tracer | None = None
        self._instruments: Instruments | None = None
        # While no provider is configured, look again at most once a second
        # rather than on every report.
        self._tracer_retry = self._meter_retry = 0.0

    def tracer(self) -> Tracer | None:
        if self._tracer is None:
            now = time.monotonic()
            if now < self._tracer_retry:
                return None
            self._tracer_retry = now + 1.0
            from opentelemetry import trace

            from . import __version__

            provider = self.tracer_provider or trace.get_tracer_provider()
            if isinstance(
                provider, trace.ProxyTracerProvider | trace.NoOpTracerProvider
            ):
                return None
            self._tracer = provider.get_tracer(SCOPE_NAME, __version__)
        return self._tracer

    def instruments(self) -> Instruments | None:
        if self._instruments is None:
            now = time.monotonic()
            if now < self._meter_retry:
                return None
            self._meter_retry = now + 1.0
            from opentelemetry import metrics
            from opentelemetry.metrics._internal import _ProxyMeterProvider

            from . import __version__
            from .otel_metrics import Instruments

            provider = self.meter_provider or metrics.get_meter_provider()
            if isinstance(provider, _ProxyMeterProvider | metrics.NoOpMeterProvider):
                return None
            self._instruments = Instruments(provider.get_meter(SCOPE_NAME, __version__))
        return self._instruments

    def __call__(
        self, sender: Any, report: Report, request: Any = None, **kwargs: Any
    ) -> None:
        settings = get_settings()
        # OTEL is read per report, like every setting: False switches the sink
        # off even where it was installed by hand.
        if settings.otel is False or not report.is_request:
            return
        tracer = instruments = None
        try:
            tracer = self.tracer()
            if tracer is not None:
                from .otel_spans import emit

                emit(
                    tracer,
                    report,
                    request,
                    # Untimed hops (HOP_TIMING off) have no start and end to draw.
                    hop_spans=settings.hop_spans and settings.hop_timing,
                )
        except Exception as exc:
            fault("otel sink: spans", exc)
        try:
            instruments = self.instruments()
            if instruments is not None:
                instruments.record(report, request)
        except Exception as exc:
            fault("otel sink: metrics", exc)
        if tracer is None and instruments is None and settings.otel is True:
            _warn_unconfigured()

    def connect(self) -> OtelSink:
        """Make this the sink that receives reports (replacing any other)."""
        global _sink
        with _lock:
            report_ready.disconnect(dispatch_uid=DISPATCH_UID)
            report_ready.connect(self, weak=False, dispatch_uid=DISPATCH_UID)
            _sink = self
        return self


def install(
    tracer_provider: TracerProvider | None = None,
    meter_provider: MeterProvider | None = None,
) -> OtelSink:
    """Connect a sink (replacing the one connected, if any) and return it."""
    return OtelSink(tracer_provider, meter_provider).connect()


def uninstall() -> OtelSink | None:
    """Disconnect the sink; return it (``sink.connect()`` puts it back)."""
    global _sink
    with _lock:
        report_ready.disconnect(dispatch_uid=DISPATCH_UID)
        sink, _sink = _sink, None
    return sink


def installed() -> OtelSink | None:
    return _sink


def is_installed() -> bool:
    return _sink is not None


def autoinstall() -> OtelSink | None:
    """What the app's ``ready()`` does: connect a sink when ``OTEL`` asks for one
    (True, or "auto" with opentelemetry-api importable)."""
    if get_settings().otel is False or not available():
        return None  # OTEL=True without the package is check E010's to report
    return install()


def check_otel(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """``async_probe.E010``: ``OTEL`` is True but opentelemetry-api is missing."""
    from django.core.checks import Error

    if get_settings().otel is True and not available():
        return [
            Error(
                "ASYNC_PROBE['OTEL'] is True but opentelemetry-api is not installed.",
                hint="pip install 'django-async-probe[otel]', or set OTEL to "
                "'auto' (on when OpenTelemetry is installed and configured) or False.",
                id="async_probe.E010",
            )
        ]
    return []


def _warn_unconfigured() -> None:
    global _warned_unconfigured
    if _warned_unconfigured:
        return
    _warned_unconfigured = True
    logger.warning(
        "async_probe: ASYNC_PROBE['OTEL'] is True but no OpenTelemetry "
        "TracerProvider or MeterProvider is configured, so nothing is exported. "
        "Configure the SDK (see docs/otel.md) or run under opentelemetry-instrument. "
        "(Logged once per process.)"
    )
