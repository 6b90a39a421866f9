"""Per-route histograms through the metrics API (SDK InMemoryMetricReader)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import override_settings

from async_probe.otel_metrics import COUNT_BUCKETS, WAIT_MS_BUCKETS
from async_probe.report import Report
from tests.drivers import asgi_request

from .conftest import PROBE, Telemetry

NAMES = {
    "async_probe.request.thread_hops": "{hop}",
    "async_probe.request.lazy_loads": "{load}",
    "async_probe.request.blocking_cache_calls": "{call}",
    "async_probe.request.hop_wait_time": "ms",
}


@override_settings(MIDDLEWARE=[PROBE])
async def test_one_request(
    otel_asgi: Callable[..., Any],
    telemetry: Telemetry,
    reports: list[Report],
    library: Any,
) -> None:
    await asgi_request(otel_asgi(), "/async_books_loop/")
    (report,) = reports
    histograms = telemetry.histograms()
    assert set(histograms) == set(NAMES)
    expected_sums = {
        "async_probe.request.thread_hops": 3,  # signal, the async iteration, close
        "async_probe.request.lazy_loads": 3,
        "async_probe.request.blocking_cache_calls": 0,
        "async_probe.request.hop_wait_time": report.hop_wait_s * 1000,
    }
    for name, points in histograms.items():
        (point,) = points
        assert dict(point.attributes or {}) == {
            "http.request.method": "GET",
            "http.route": "async_books_loop/",
            "http.response.status_code": 200,
            "async_probe.view": "tests.testapp.views.async_books_loop",
            "async_probe.async_view": True,
        }
        assert (point.count, point.sum) == (1, expected_sums[name]), name
        bounds = WAIT_MS_BUCKETS if name.endswith("hop_wait_time") else COUNT_BUCKETS
        assert tuple(point.explicit_bounds) == bounds


def test_units() -> None:
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader

    from async_probe.otel_metrics import Instruments

    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    instruments = Instruments(provider.get_meter("async_probe"))
    for histogram in vars(instruments).values():
        histogram.record(1)
    data = reader.get_metrics_data()
    assert data is not None
    (metrics,) = [sm.metrics for rm in data.resource_metrics for sm in rm.scope_metrics]
    assert {m.name: m.unit for m in metrics} == NAMES
    provider.shutdown()


@override_settings(MIDDLEWARE=[PROBE], ROOT_URLCONF="tests.otel.urls")
async def test_series_are_per_route_not_per_path(
    otel_asgi: Callable[..., Any],
    telemetry: Telemetry,
    transactional_db: None,
) -> None:
    for pk in (1, 2, 3):
        await asgi_request(otel_asgi(), f"/books/{pk}/")
    await asgi_request(otel_asgi(), "/no/such/page/")
    points = telemetry.histograms()["async_probe.request.thread_hops"]
    by_route = {p.attributes.get("http.route"): p for p in points}  # type: ignore[union-attr]
    assert set(by_route) == {"books/<int:pk>/", None}
    assert (by_route["books/<int:pk>/"].count, by_route["books/<int:pk>/"].sum) == (
        3,
        6,
    )
    # A 404 has no route and no view: one series for all of them.
    assert dict(by_route[None].attributes or {}) == {
        "http.request.method": "GET",
        "http.response.status_code": 404,
    }
