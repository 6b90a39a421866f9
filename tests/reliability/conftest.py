"""Shared pieces of the reliability suite: data, report capture, HTTP serving."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from async_probe.report import Report
from async_probe.signals import report_ready

PROBE = "async_probe.middleware.AsyncProbeMiddleware"
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
# /async_mixed/?n=K: K user hops, K lazy loads in a worker, K blocking cache
# calls; plus the request_started signal, the queryset's async iteration, the
# serializer's hop and the response close.
FIXED_HOPS = 4
MAX_K = 8


@pytest.fixture
def shelf(transactional_db: None) -> None:
    """MAX_K books, each by an author of its own (so every access loads)."""
    from tests.testapp.models import Author, Book

    for i in range(MAX_K):
        Book.objects.create(
            title=f"Book {i}", author=Author.objects.create(name=f"A{i}")
        )


@dataclass
class Seen:
    request: Any
    report: Report


@pytest.fixture
def seen() -> Iterator[list[Seen]]:
    """Every closed request scope's (request, report), from any thread."""
    found: list[Seen] = []
    lock = threading.Lock()

    def receiver(
        sender: Any, report: Report, request: Any = None, **kwargs: Any
    ) -> None:
        with lock:
            found.append(Seen(request, report))

    report_ready.connect(receiver, dispatch_uid="tests.reliability.seen")
    yield found
    report_ready.disconnect(dispatch_uid="tests.reliability.seen")


def check_mixed(report: Report, k: int) -> None:
    """The exact report of one /async_mixed/?n=k request, and nothing else's."""
    assert (
        report.thread_hops,
        report.lazy_loads,
        report.cache_calls,
        report.blocking_cache_calls,
        report.dropped_events,
    ) == (k + FIXED_HOPS, k, k, k, 0), repr(report)
    hop_ids = {hop.id for hop in report.hops}
    assert len(hop_ids) == k + FIXED_HOPS
    # Every lazy load ran inside one of this request's own hops.
    assert {load.hop_id for load in report.loads} <= hop_ids
    assert {(load.label, load.context, load.async_view) for load in report.loads} <= {
        ("testapp.Book.author", "worker", True)
    }
    assert all(call.blocking and call.context == "event_loop" for call in report.cache)
    assert report.hops_by_cause == {"user": k + 1, "signal": 1, "orm": 1, "response": 1}


@contextmanager
def uvicorn_server(app: Any) -> Iterator[int]:
    """Serve ``app`` with uvicorn in a thread of this process; yield the port."""
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        lifespan="off",
        log_level="warning",
        access_log=False,
        loop="asyncio",
        http="h11",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()
