"""Scopes: nesting, caps, live and final reports, sync and async use."""

from __future__ import annotations

import asyncio
import json
import threading

from asgiref.sync import sync_to_async
from django.core.cache import cache
from django.test import override_settings

from async_probe import probe
from async_probe.collector import current_request, suppressed


def noop() -> None:
    pass


async def test_scopes_nest_and_events_land_in_every_scope() -> None:
    async with probe() as outer:
        await sync_to_async(noop)()
        async with probe() as inner:
            await sync_to_async(noop)()
        await sync_to_async(noop)()
    assert (outer.thread_hops, inner.thread_hops) == (3, 1)
    assert inner.hops[0] in outer.hops


def test_report_is_live_inside_and_final_after() -> None:
    with probe() as report:
        cache.get("a")
        assert report.cache_calls == 1
        cache.get("b")
        assert report.cache_calls == 2
    cache.get("c")
    assert report.cache_calls == 2
    assert [call.method for call in report.cache] == ["get", "get"]


def test_counts_are_never_capped_but_events_are() -> None:
    with override_settings(ASYNC_PROBE={"MAX_EVENTS": 3}), probe() as report:
        for _ in range(10):
            cache.get("k")
    assert report.cache_calls == 10
    assert len(report.events) == 3 and report.dropped_events == 7
    assert "(7 more events counted but not listed: MAX_EVENTS)" in str(report)


def test_suppressed_records_nothing() -> None:
    with probe() as report:
        with suppressed():
            cache.get("hidden")
        cache.get("seen")
    assert report.cache_calls == 1


def test_a_scope_belongs_to_its_context_not_other_threads() -> None:
    done = threading.Event()

    def elsewhere() -> None:
        cache.get("other-thread")
        done.set()

    with probe() as report:
        thread = threading.Thread(target=elsewhere)
        thread.start()
        thread.join()
    assert done.is_set() and report.cache_calls == 0


async def test_concurrent_tasks_have_their_own_scopes() -> None:
    async def task(n: int) -> int:
        async with probe() as report:
            for _ in range(n):
                await sync_to_async(noop)()
        return report.thread_hops

    assert await asyncio.gather(*(task(n) for n in range(8))) == list(range(8))


def test_events_are_in_order_and_as_dict_is_json_safe() -> None:
    with probe() as report:
        cache.set("a", 1)
        cache.get("a")
    data = json.loads(json.dumps(report.as_dict()))
    assert [e["method"] for e in data["events"]] == ["set", "get"]
    assert data["events"][0]["type"] == "cache_call"
    assert set(data) >= {
        "thread_hops",
        "lazy_loads",
        "blocking_cache_calls",
        "cache_calls",
        "events",
    }
    assert "method" not in data  # not a request scope


def test_str_of_an_empty_report() -> None:
    with probe() as report:
        pass
    assert str(report) == (
        "async_probe: 0 thread hops, 0 lazy loads, 0 blocking cache calls (of 0)"
    )
    assert repr(report) == "<Report: 0 hops, 0 lazy loads, 0/0 blocking cache calls>"


def test_no_request_scope_outside_requests() -> None:
    assert current_request() is None
