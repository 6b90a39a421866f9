"""What the sink writes never holds SQL, parameters, cookies, query strings or
raw cache keys."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import override_settings

from tests.drivers import asgi_request

from .conftest import PROBE, Telemetry

SECRETS = ("hunter2", "s3ss10n", "probe:key", "SELECT", "testapp_book")


def written(telemetry: Telemetry) -> Iterator[tuple[str, Any]]:
    """Every attribute the sink wrote: on its spans, its events, its metrics,
    and its async_probe.* attributes on other spans."""
    probe_spans = telemetry.probe_spans()
    for span in telemetry.spans():
        for key, value in (span.attributes or {}).items():
            if span in probe_spans or key.startswith("async_probe."):
                yield key, value
        for event in span.events:
            if event.name.startswith("async_probe."):
                yield from (event.attributes or {}).items()
    for points in telemetry.histograms().values():
        for point in points:
            yield from (point.attributes or {}).items()


@pytest.mark.parametrize("instrumented", [True, False])
@override_settings(MIDDLEWARE=[PROBE])
async def test_nothing_secret_is_written(
    otel_asgi: Callable[..., Any],
    asgi_app: Callable[[], Any],
    telemetry: Telemetry,
    library: Any,
    instrumented: bool,
) -> None:
    app = otel_asgi() if instrumented else asgi_app()
    cookie = [(b"cookie", b"sessionid=s3ss10n; csrftoken=hunter2")]
    await asgi_request(
        app, "/async_cache/", query="alias=default&password=hunter2", headers=cookie
    )
    await asgi_request(app, "/async_books_loop/", query="token=hunter2", headers=cookie)
    pairs = list(written(telemetry))
    assert len(pairs) > 40
    leaks = [(k, v) for k, v in pairs for s in SECRETS if isinstance(v, str) and s in v]
    assert leaks == []
    keys = {k for k, _ in pairs}
    assert "async_probe.cache.key" in keys
    assert not {k for k in keys if "cookie" in k or "query" in k or k.startswith("db.")}
