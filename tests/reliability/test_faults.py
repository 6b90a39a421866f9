"""Every sink and every instrument made to raise: the request still succeeds
with the same response, the fault is logged once, and the rest of the probe
keeps counting."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings

from async_probe.instrument.orm import HAS_FETCH_MODES
from tests.drivers import asgi_request

from .conftest import PROBE, Seen

REQUESTS = 20
K = 3
# (hops, lazy loads, cache calls) of /async_mixed/?n=3 when nothing fails.
ALL = (K + 4, K, K)


def boom(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("injected fault")


# id: (what to replace, fault sites logged, counts still recorded or None for
# "no report at all", extra middleware)
FAULTS: dict[str, tuple[str, list[str], tuple[int, int, int] | None]] = {
    "hop start": (
        "async_probe.instrument.hops._flight",
        ["hops.sync_to_async"],
        (0, K, K),
    ),
    "hop record": (
        "async_probe.instrument.hops._record",
        ["hops.sync_to_async.finish"],
        (0, K, K),
    ),
    "lazy load": (
        "async_probe.instrument.orm.execution_context",
        ["orm.lazy_load"],
        (K + 4, 0, K),
    ),
    "origin stamp": ("async_probe.instrument.orm._stamp", ["orm.origin"], ALL),
    "cache record": (
        "async_probe.instrument.cache._record",
        ["cache.record"],
        (K + 4, K, 0),
    ),
    "view noting": (
        "async_probe.instrument.handler.note_view",
        ["handler.resolve_request"],
        ALL,
    ),
    "collector": (
        "async_probe.collector.record",
        ["hops.sync_to_async.finish", "orm.lazy_load", "cache.record"],
        (0, 0, 0),
    ),
    "scope enter": ("async_probe.scope.Collector", ["scope.enter"], None),
    "scope exit": ("async_probe.scope.pop", ["scope.exit"], None),
    "log sink": ("async_probe.log.get_settings", ["log sink"], ALL),
    "otel sink": ("async_probe.otel_spans.emit", ["otel sink: spans"], ALL),
    "panel receiver": ("panels.panel.final_stats", ["panels.report_ready"], ALL),
}
if HAS_FETCH_MODES:  # Django 6.1+: single-valued loads go through fetch modes
    FAULTS["fetch mode"] = (
        "async_probe.instrument.orm_fetch.classify",
        ["orm.fetch_mode"],
        (K + 4, 0, K),
    )


@pytest.fixture
def otel_sink() -> Iterator[None]:
    """A sink on a tracer provider of the test's own (the global one stays unset)."""
    from opentelemetry.sdk.trace import TracerProvider

    from async_probe import otel

    previous = otel.installed()
    otel.install(tracer_provider=TracerProvider())
    yield
    otel.uninstall()
    if previous is not None:
        previous.connect()


@pytest.fixture
def panel_receiver() -> Iterator[None]:
    from async_probe.signals import report_ready
    from panels.panel import on_report_ready

    report_ready.connect(on_report_ready, dispatch_uid="tests.reliability.panel")
    yield
    report_ready.disconnect(dispatch_uid="tests.reliability.panel")


async def serve(build: Any, middleware: list[str]) -> list[Any]:
    with override_settings(MIDDLEWARE=[PROBE, *middleware]):
        app = build()
        return list(
            await asyncio.gather(
                *(
                    asgi_request(app, "/async_mixed/", query=f"n={K}")
                    for _ in range(REQUESTS)
                )
            )
        )


def internal_errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("async_probe") and r.levelno >= logging.ERROR
    ]


@pytest.mark.parametrize("name", list(FAULTS))
@override_settings(ASYNC_PROBE={"OTEL": True, "THRESHOLDS": {"thread_hops": 1}})
async def test_a_fault_is_logged_once_and_the_request_goes_on(
    name: str,
    asgi_app: Any,
    seen: list[Seen],
    shelf: None,
    otel_sink: None,
    panel_receiver: None,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    target, sites, counts = FAULTS[name]
    extra = (
        ["tests.reliability.middleware.PanelWaiting"]
        if name == "panel receiver"
        else []
    )
    expected = await serve(asgi_app, extra)
    assert internal_errors(caplog) == []
    seen.clear()

    monkeypatch.setattr(target, boom)
    with caplog.at_level(logging.ERROR, logger="async_probe"):
        responses = await serve(asgi_app, extra)
    monkeypatch.undo()

    assert [(r.status, r.body) for r in responses] == [
        (e.status, e.body) for e in expected
    ]
    assert sorted(internal_errors(caplog)) == sorted(
        f"async_probe: internal error in {site}; the probe skips it and the request "
        "goes on (logged once per process)"
        for site in sites
    )
    if counts is None:
        assert seen == []
        return
    assert len(seen) == REQUESTS
    for s in seen:
        report = s.report
        assert (report.thread_hops, report.lazy_loads, report.cache_calls) == counts
        assert report.status == 200


@override_settings(MIDDLEWARE=[PROBE])
async def test_a_users_raising_receiver_breaks_neither_request_nor_sinks(
    asgi_app: Any, seen: list[Seen], shelf: None, caplog: pytest.LogCaptureFixture
) -> None:
    from async_probe.signals import report_ready

    def raising(sender: Any, **kwargs: Any) -> None:
        raise RuntimeError("a user's receiver failed")

    report_ready.connect(raising, dispatch_uid="tests.reliability.raising")
    try:
        app = asgi_app()
        responses = await asyncio.gather(
            *(
                asgi_request(app, "/async_mixed/", query=f"n={K}")
                for _ in range(REQUESTS)
            )
        )
    finally:
        report_ready.disconnect(dispatch_uid="tests.reliability.raising")
    assert {r.status for r in responses} == {200}
    assert len(seen) == REQUESTS
    assert {
        (s.report.thread_hops, s.report.lazy_loads, s.report.cache_calls) for s in seen
    } == {ALL}
