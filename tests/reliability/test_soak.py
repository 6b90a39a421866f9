"""50,000 requests in one process: memory stays flat and event lists stay capped.

Most requests are a cheap sync view with two cache calls (MAX_EVENTS = 1, so
every report drops one event); every 25th reads rows and lazily loads their
authors, so model instances pass through the probe too. Memory is measured with
tracemalloc after a warm-up and at the end; collectors, reports and model
instances still alive are counted with the garbage collector.
"""

from __future__ import annotations

import gc
import tracemalloc
from typing import Any

import pytest
from django.core.wsgi import get_wsgi_application
from django.test import override_settings

from async_probe.collector import Collector
from async_probe.report import Report
from async_probe.signals import report_ready
from tests.drivers import wsgi_request

from .conftest import PROBE

REQUESTS = 50_000
WARM_UP = 2_000
EVERY = 25  # one request in EVERY loads rows and their authors
# Allowed growth of traced memory between warm-up and the end: caches that fill
# once (callsites, names, compiled templates) are full by then; a leak of even
# 20 bytes a request would be 1 MB here.
GROWTH_BYTES = 256 * 1024


def alive(kind: type) -> int:
    # type(), not isinstance(): isinstance() would set up lazy objects it meets.
    return sum(1 for obj in gc.get_objects() if type(obj) is kind)


@pytest.mark.slow
@override_settings(MIDDLEWARE=[PROBE], ASYNC_PROBE={"MAX_EVENTS": 1})
def test_fifty_thousand_requests_keep_memory_flat(library: Any) -> None:
    from tests.testapp.models import Author, Book

    app = get_wsgi_application()
    totals = {"reports": 0, "bad": 0}

    def check(sender: Any, report: Report, **kwargs: Any) -> None:
        # Counts are never capped; the event list is. Keep nothing.
        totals["reports"] += 1
        if report.path == "/sync_cache/":
            ok = (report.cache_calls, len(report.events), report.dropped_events) == (
                2,
                1,
                1,
            )
        else:
            ok = (report.lazy_loads, len(report.events), report.dropped_events) == (
                3,
                1,
                2,
            )
        totals["bad"] += not ok

    report_ready.connect(check, dispatch_uid="tests.reliability.soak")
    try:

        def run(start: int, stop: int) -> None:
            for i in range(start, stop):
                path = "/sync_books/" if i % EVERY == 0 else "/sync_cache/"
                assert wsgi_request(app, path).status == 200

        run(0, WARM_UP)
        gc.collect()
        # Traced from here: whatever the rest of the run allocates and keeps.
        tracemalloc.start()
        warm = tracemalloc.get_traced_memory()[0]
        before = tracemalloc.take_snapshot()
        baseline = {kind: alive(kind) for kind in (Collector, Report, Book, Author)}
        run(WARM_UP, REQUESTS)
        gc.collect()
        end = tracemalloc.get_traced_memory()[0]
        after = tracemalloc.take_snapshot()
        tracemalloc.stop()
        remaining = {kind: alive(kind) for kind in baseline}
    finally:
        report_ready.disconnect(dispatch_uid="tests.reliability.soak")
        if tracemalloc.is_tracing():
            tracemalloc.stop()
    assert totals == {"reports": REQUESTS, "bad": 0}
    top = "\n".join(str(s) for s in after.compare_to(before, "lineno")[:8])
    assert end - warm < GROWTH_BYTES, f"grew {end - warm} bytes:\n{top}"
    assert remaining == baseline, "collectors, reports or model instances retained"
