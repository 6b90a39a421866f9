"""Per-event cost of the probe: a hop, a lazy load, a cache call.

For each kind of event we time batches of the same operation in four states,
interleaved round by round (off, idle, count, callsites, off, idle, ...):

- ``off``: async_probe uninstalled (every patch removed);
- ``idle``: installed, no scope open (the cost every request pays when the
  probe is in INSTALLED_APPS but not recording);
- ``count``: inside ``probe()`` with ``CALLSITES`` and ``HOP_TIMING`` off;
- ``callsites``: inside ``probe()`` with the defaults.

The cost of a state is, per round, (its batch time - the off batch time) / events,
and we print the median over rounds in microseconds. The operations are as
cheap as the real thing allows, so the probe's share is visible: a local-memory
``cache.get`` from sync code; a forward-FK access on a row whose relation cache
was cleared (one SQLite query each); ``await sync_to_async(f)()`` with an
executor that runs ``f`` inline (a real thread switch costs ~50-100 µs and its
jitter would bury a 1 µs difference; the probe's work per hop does not depend on
the executor).

    python -m bench.micro [--rounds N] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import contextvars
import json
import os
import statistics
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.project.settings")
os.environ.setdefault("BENCH_LEVEL", "callsites")

STATES = ("off", "idle", "count", "callsites")
SCOPED = {"count": {"CALLSITES": False, "HOP_TIMING": False}, "callsites": {}}


class InlineExecutor(Executor):
    """Runs the call at once in the calling thread."""

    def submit(
        self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any
    ) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


def _nothing() -> None:
    return None


def hop_batch(n: int) -> Callable[[], None]:
    from asgiref.sync import SyncToAsync

    executor = InlineExecutor()
    runner = asyncio.Runner()

    async def hops() -> None:
        for _ in range(n):
            await SyncToAsync(_nothing, thread_sensitive=False, executor=executor)()  # type: ignore[arg-type]

    # Runner.run would reuse the context copied at its first run: pass the
    # current one, which holds the scope the batch runs in.
    return lambda: runner.run(hops(), context=contextvars.copy_context())


def cache_batch(n: int) -> Callable[[], None]:
    from django.core.cache import cache

    cache.set("bench:key", 1)

    def calls() -> None:
        get = cache.get
        for _ in range(n):
            get("bench:key")

    return calls


def load_batch(n: int) -> Callable[[], None]:
    from bench.project.models import Book

    books = list(Book.objects.order_by("id")[:20])
    rounds = max(1, n // len(books))

    def loads() -> None:
        for _ in range(rounds):
            for book in books:
                book._state.fields_cache.clear()
                book.author  # noqa: B018 - the lazy load being measured

    return loads


KINDS: dict[str, tuple[Callable[[int], Callable[[], None]], int, str]] = {
    # kind: (batch factory, events per batch, what one event is)
    "hop": (hop_batch, 2000, "await sync_to_async(f)() (inline executor)"),
    "lazy load": (load_batch, 400, "forward FK access, one SQLite query"),
    "cache call": (cache_batch, 5000, "locmem cache.get from sync code"),
}


def _timed(state: str, batch: Callable[[], None], events: int) -> float:
    from django.conf import settings

    import async_probe

    if state == "off":
        async_probe.uninstall()
    else:
        async_probe.install()
    clock = time.perf_counter_ns
    if state in SCOPED:
        settings.ASYNC_PROBE = {**SCOPED[state], "MAX_EVENTS": events + 100}
        with async_probe.probe() as report:
            start = clock()
            batch()
            elapsed = clock() - start
        if report.thread_hops + report.lazy_loads + report.cache_calls != events:
            raise RuntimeError(f"{state}: expected {events} events, saw {report!r}")
    else:
        start = clock()
        batch()
        elapsed = clock() - start
    return elapsed / 1000 / events  # µs per event


def measure(rounds: int) -> dict[str, Any]:
    import django

    django.setup()
    results: dict[str, Any] = {}
    for kind, (factory, events, what) in KINDS.items():
        batch = factory(events)
        for state in STATES:  # warm caches (callsites, names) before timing
            _timed(state, batch, events)
        per: dict[str, list[float]] = {state: [] for state in STATES}
        for r in range(rounds):
            order = STATES[r % len(STATES) :] + STATES[: r % len(STATES)]
            for state in order:
                per[state].append(_timed(state, batch, events))
        base = statistics.median(per["off"])
        results[kind] = {
            "kind": kind,
            "what": what,
            "events": events,
            "off_us": base,
            **{
                f"{state}_us": statistics.median(
                    on - off for on, off in zip(per[state], per["off"], strict=True)
                )
                for state in STATES[1:]
            },
        }
    import async_probe

    async_probe.install()
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--json", action="store_true", help="print JSON only")
    args = parser.parse_args(argv)
    results = measure(args.rounds)
    if args.json:
        print(json.dumps(results))
        return
    for kind, row in results.items():
        print(
            f"{kind:11} base {row['off_us']:7.2f} µs | idle {row['idle_us']:+.2f} "
            f"count {row['count_us']:+.2f} callsites {row['callsites_us']:+.2f} "
            "µs/event"
        )


if __name__ == "__main__":
    main()
