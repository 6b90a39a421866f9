"""install() and uninstall() from another thread while requests are in flight:
no request fails, reports stay internally consistent, and after the final
uninstall() every patched attribute is the original object again."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

from django.test import override_settings

import async_probe
from async_probe.instrument import patch_state
from tests.drivers import asgi_request

from .conftest import FIXED_HOPS, MAX_K, ON_POSTGRES, PROBE, Seen

REQUESTS = 400
IN_FLIGHT = 40 if ON_POSTGRES else 100  # see test_concurrency


def k_of(i: int) -> int:
    return i % MAX_K + 1


def toggle(stop: threading.Event, flips: list[int]) -> None:
    while not stop.is_set():
        async_probe.uninstall()
        time.sleep(0.0005)
        async_probe.install()
        time.sleep(0.0005)
        flips[0] += 1


@override_settings(MIDDLEWARE=[PROBE])
async def test_install_and_uninstall_while_requests_run(
    asgi_app: Any, seen: list[Seen], shelf: None
) -> None:
    # One full cycle first: install() also patches cache backend classes defined
    # since start-up (other test modules define some), so after it every patch
    # point is known and the state after uninstall() is the originals'.
    async_probe.uninstall()
    async_probe.install()
    async_probe.uninstall()
    originals = patch_state()
    async_probe.install()
    app = asgi_app()
    gate = asyncio.Semaphore(IN_FLIGHT)

    async def one(i: int) -> Any:
        async with gate:
            return await asgi_request(app, "/async_mixed/", query=f"n={k_of(i)}&id={i}")

    stop, flips = threading.Event(), [0]
    toggler = threading.Thread(target=toggle, args=(stop, flips))
    toggler.start()
    try:
        responses = await asyncio.gather(*(one(i) for i in range(REQUESTS)))
    finally:
        stop.set()
        toggler.join()
        async_probe.uninstall()
    try:
        assert patch_state() == originals, (
            "an attribute is not the original after uninstall"
        )
    finally:
        async_probe.install()  # as the app's ready() left it for the other tests
    assert flips[0] > 1, "the toggler never ran during the requests"
    assert [(r.status, r.json()["n"]) for r in responses] == [
        (200, k_of(i)) for i in range(REQUESTS)
    ]
    # A request sees the probe only while it is installed: its report can miss
    # events, but what it has is its own and consistent.
    assert 0 < len(seen) <= REQUESTS
    for s in seen:
        report, k = s.report, k_of(int(s.request.GET["id"]))
        assert report.dropped_events == 0
        assert (len(report.hops), len(report.loads), len(report.cache)) == (
            report.thread_hops,
            report.lazy_loads,
            report.cache_calls,
        )
        assert report.thread_hops <= k + FIXED_HOPS
        assert report.lazy_loads <= k and report.cache_calls <= k
        assert report.blocking_cache_calls == report.cache_calls
        assert {load.hop_id for load in report.loads} <= {
            hop.id for hop in report.hops
        } | {None}
        assert all(hop.wait_s >= 0 and hop.run_s >= 0 for hop in report.hops)
