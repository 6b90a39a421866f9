"""Per-route histograms of a request's hops, lazy loads, blocking cache calls
and hop wait time, through the OpenTelemetry metrics API.

Series are keyed by the URL pattern that matched (``http.route``) and the view's
dotted name, never by the raw path: a path with an id in it would make one
series per object. Unknown HTTP methods become ``_OTHER`` for the same reason.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .otel_spans import Attributes, route_of, sanitize_method

if TYPE_CHECKING:
    from opentelemetry.metrics import Meter

    from .report import Report

# Per-request counts: a default startproject stack alone is ~15 hops, an N+1
# over a page of rows is tens to hundreds of loads.
COUNT_BUCKETS = (0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
# Hop waits are sub-millisecond when the thread is free and grow with the
# queue: the SDK's default boundaries (0, 5, 10, 25 ...) would put nearly every
# request in the first bucket.
WAIT_MS_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000)

THREAD_HOPS = "async_probe.request.thread_hops"
LAZY_LOADS = "async_probe.request.lazy_loads"
BLOCKING_CACHE_CALLS = "async_probe.request.blocking_cache_calls"
HOP_WAIT_TIME = "async_probe.request.hop_wait_time"


def metric_attributes(report: Report, request: Any) -> Attributes:
    out: Attributes = {"http.request.method": sanitize_method(report.method)}
    route = route_of(request)
    if route:
        out["http.route"] = route
    if report.view:
        out["async_probe.view"] = report.view
        out["async_probe.async_view"] = bool(report.async_view)
    if report.status is not None:
        out["http.response.status_code"] = report.status
    return out


class Instruments:
    """The four histograms, created once per meter."""

    def __init__(self, meter: Meter) -> None:
        self.thread_hops = meter.create_histogram(
            THREAD_HOPS,
            unit="{hop}",
            description="sync_to_async / async_to_sync crossings per request.",
            explicit_bucket_boundaries_advisory=COUNT_BUCKETS,
        )
        self.lazy_loads = meter.create_histogram(
            LAZY_LOADS,
            unit="{load}",
            description="Lazy relation loads (a query each) per request.",
            explicit_bucket_boundaries_advisory=COUNT_BUCKETS,
        )
        self.blocking_cache_calls = meter.create_histogram(
            BLOCKING_CACHE_CALLS,
            unit="{call}",
            description="Sync cache calls made on the event loop, per request.",
            explicit_bucket_boundaries_advisory=COUNT_BUCKETS,
        )
        self.hop_wait_time = meter.create_histogram(
            HOP_WAIT_TIME,
            unit="ms",
            description="Time a request's hops spent queueing for a thread or "
            "the loop, summed per request.",
            explicit_bucket_boundaries_advisory=WAIT_MS_BUCKETS,
        )

    def record(self, report: Report, request: Any) -> None:
        attributes = metric_attributes(report, request)
        self.thread_hops.record(report.thread_hops, attributes)
        self.lazy_loads.record(report.lazy_loads, attributes)
        self.blocking_cache_calls.record(report.blocking_cache_calls, attributes)
        self.hop_wait_time.record(report.hop_wait_s * 1000, attributes)
