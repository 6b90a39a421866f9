"""The Server-Timing header AsyncProbeMiddleware adds when DEBUG is on."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings

from async_probe.middleware import add_server_timing
from async_probe.report import Report
from async_probe.scope import RequestScope
from tests.drivers import asgi_request
from tests.panels.settings import PROBE, TOOLBAR

METRICS = re.compile(
    r'aprobe-hops;dur=(?P<hop_ms>\d+\.\d{3});desc="thread hops: (?P<hops>\d+)", '
    r'aprobe-lazy;desc="lazy loads: (?P<lazy>\d+)", '
    r"aprobe-blocking;dur=(?P<blocking_ms>\d+\.\d{3});"
    r'desc="blocking cache calls: (?P<blocking>\d+) of (?P<cache>\d+)"$'
)


def metrics(header: str) -> dict[str, str]:
    match = METRICS.search(header)
    assert match is not None, header
    return match.groupdict()


@override_settings(DEBUG=True, MIDDLEWARE=[PROBE])
async def test_counts_so_far_under_asgi(
    asgi_app: Callable[[], Any], reports: list[Report], transactional_db: None
) -> None:
    response = await asgi_request(asgi_app(), "/async_cache/")
    found = metrics(response.headers["server-timing"])
    # request_started and cache.aget so far; the response close comes after.
    assert (found["hops"], found["lazy"], found["blocking"], found["cache"]) == (
        "2",
        "0",
        "1",
        "2",
    )
    report = reports[-1]
    assert report.thread_hops == 3
    (blocking,) = [call for call in report.cache if call.blocking]
    assert found["blocking_ms"] == f"{blocking.duration_s * 1000:.3f}"


@override_settings(DEBUG=True)
def test_same_counts_as_the_report_under_wsgi(
    client: Client, reports: list[Report], library: Any
) -> None:
    response = client.get("/async_books_loop/")
    found = metrics(response.headers["Server-Timing"])
    report = reports[-1]
    assert (int(found["hops"]), int(found["lazy"])) == (report.thread_hops, 3)
    hop_ms = (report.hop_wait_s + report.hop_run_s) * 1000
    assert found["hop_ms"] == f"{hop_ms:.3f}"
    # The toolbar's own timings come first: it sets the header below us.
    assert response.headers["Server-Timing"].startswith("TimerPanel_")


@override_settings(DEBUG=False, MIDDLEWARE=[PROBE, TOOLBAR])
def test_not_sent_without_debug(client: Client, db: None) -> None:
    response = client.get("/sync_plain/")
    assert "aprobe-" not in response.headers.get("Server-Timing", "")


@override_settings(DEBUG=True)
def test_fails_open(caplog: pytest.LogCaptureFixture, db: None) -> None:
    scope = RequestScope.enter("GET", "/", sender=None)
    assert scope is not None
    try:
        with caplog.at_level(logging.ERROR, logger="async_probe"):
            add_server_timing(object(), scope)  # type: ignore[arg-type]
    finally:
        scope.exit(200)
    assert "internal error in middleware.server_timing" in caplog.text
