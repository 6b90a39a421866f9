"""Collectors, the scopes that hold them, and ``probe()``.

Every scope in effect holds one :class:`Collector`; the ContextVar ``_scopes``
holds the tuple of them, innermost last. Instruments read it once per event and
return straight to the original code when it is empty, which is what keeps an
idle probe cheap. ContextVars follow ``sync_to_async`` / ``async_to_sync`` (both
copy the context) and stay apart between concurrent requests (each ASGI request
runs in its own task), which is how events land in the right request.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from .conf import ProbeSettings, get_settings
from .events import Event
from .report import Report

# One ContextVar, not two: asgiref compares and copies every context variable
# twice per hop (``_restore_context``), so each one we add costs every hop.
_scopes: ContextVar[tuple[Collector, ...]] = ContextVar(
    "async_probe_scopes", default=()
)

# perf_counter_ns is monotonic and precise; spans want wall-clock nanoseconds.
EPOCH_OFFSET_NS = time.time_ns() - time.perf_counter_ns()


def now_ns() -> int:
    return time.perf_counter_ns() + EPOCH_OFFSET_NS


@dataclass
class RequestInfo:
    """The request fields of a request scope's report (mutable until it closes)."""

    method: str
    path: str
    status: int | None = None
    view: str | None = None
    async_view: bool = False
    view_func: Any = None
    request: Any = None
    _label: str | None = None

    def label(self) -> str:
        """``GET /path -> app.views.view (async view)``, for events and messages."""
        if self._label is None:
            text = f"{self.method} {self.path}"
            if self.view:
                kind = "async" if self.async_view else "sync"
                text += f" -> {self.view} ({kind} view)"
            self._label = text
        return self._label


# An event recorded but not built yet: ``[at_ns, make, args, event, kind]``.
#
# Building a frozen dataclass costs more than everything else a count does, and
# most reports are never read event by event; so a record keeps the arguments
# and builds the event on first read (``resolve``). One record is shared by
# every collector in scope, so each of them sees the same event object.
Pending = list


def resolve(item: Pending[Any]) -> Event:
    event = item[3]
    if event is None:
        event = item[3] = item[1](*item[2])
    return event  # type: ignore[no-any-return]


HOP, LOAD, CACHE, BLOCKING_CACHE = 0, 1, 2, 3


class Collector:
    """Mutable per-scope store: counts are never capped, the event list is.

    The hot path is one ``list.append`` (atomic, so events from the loop thread
    and from worker threads need no lock) while the list is under
    ``max_events``; counts are tallied from the list when read, plus what
    overflowed it. Every instrument records through :func:`record`.
    """

    __slots__ = (
        "_lock",
        "_overflow",
        "_sealed",
        "_tally",
        "dropped",
        "finished_ns",
        "hop_timing",
        "items",
        "max_events",
        "request",
        "settings",
        "started_ns",
    )

    def __init__(
        self, settings: ProbeSettings | None = None, request: RequestInfo | None = None
    ) -> None:
        self.settings = settings if settings is not None else get_settings()
        self.max_events = self.settings.max_events
        self.hop_timing = self.settings.hop_timing
        self.request = request
        self.started_ns = now_ns()
        self.finished_ns: int | None = None
        self.items: list[Pending[Any]] = []
        self._lock = threading.Lock()
        self._sealed = False
        self._overflow = [0, 0, 0, 0]  # HOP, LOAD, CACHE, BLOCKING_CACHE
        self._tally: tuple[int, int, int, int] | None = None  # once sealed
        self.dropped = 0

    def overflow(self, kind: int) -> None:
        """Count an event past ``max_events`` without listing it."""
        with self._lock:
            if not self._sealed:
                self._overflow[kind] += 1
                self.dropped += 1

    def counts(self) -> tuple[int, int, int, int]:
        """Events per kind (HOP, LOAD, CACHE, BLOCKING_CACHE), listed or not."""
        tally = self._tally
        if tally is not None:
            return tally
        n = list(self._overflow)
        for item in self.items:
            n[item[4]] += 1
        return n[0], n[1], n[2], n[3]

    @property
    def hops(self) -> int:
        return self.counts()[HOP]

    @property
    def loads(self) -> int:
        return self.counts()[LOAD]

    @property
    def cache_calls(self) -> int:
        counts = self.counts()
        return counts[CACHE] + counts[BLOCKING_CACHE]

    @property
    def blocking_cache_calls(self) -> int:
        return self.counts()[BLOCKING_CACHE]

    def events(self) -> tuple[Event, ...]:
        items = list(self.items)
        # Hops are added when they finish; order everything by when it began.
        items.sort(key=_at)
        return tuple(resolve(item) for item in items)

    def seal(self) -> None:
        with self._lock:
            self._sealed = True
            self.finished_ns = now_ns()
            # An event racing the seal may still land in the list: freeze what
            # the report shows now, so its counts and events agree from here on.
            self.items = list(self.items)
            self._tally = self.counts()

    @property
    def sealed(self) -> bool:
        return self._sealed

    def report(self) -> Report:
        return Report(self)


def record(scopes: tuple[Collector, ...], kind: int, item: Pending[Any]) -> None:
    """Record ``item`` (whose last element is ``kind``) in every collector in scope.

    The one record path of every instrument, so its common case is written out
    here rather than as a method call per collector: a request records 15-20
    events or more, and each call is a frame. Instruments look it up on this
    module at call time (``collector.record``), which the fault tests rely on.
    """
    for collector in scopes:
        items = collector.items
        if len(items) < collector.max_events and not collector._sealed:
            items.append(item)
        else:
            collector.overflow(kind)  # full (counted, not listed) or sealed


def _at(item: Pending[Any]) -> int:
    return item[0]  # type: ignore[no-any-return]


def request_of(scopes: tuple[Collector, ...]) -> Collector | None:
    """The innermost request scope's collector among ``scopes``: for the request
    fields of events (is the view async?) and for naming the view's own hop."""
    for collector in reversed(scopes):
        if collector.request is not None:
            return collector
    return None


def current_request() -> Collector | None:
    """The collector of the request being served here, if a request scope is open."""
    return request_of(_scopes.get())


@contextmanager
def suppressed() -> Iterator[None]:
    """Record nothing inside: the probe's own work, the toolbar's, a cache backend's."""
    token = _scopes.set(())
    try:
        yield
    finally:
        _scopes.reset(token)


def push(collector: Collector) -> tuple[Token[Any], ...]:
    return (_scopes.set((*_scopes.get(), collector)),)


def pop(collector: Collector, tokens: tuple[Token[Any], ...]) -> None:
    for token in reversed(tokens):
        try:
            token.var.reset(token)
        except ValueError:
            # Entered in another context (a fixture set up outside the test's
            # task): remove just this collector rather than failing the test.
            _scopes.set(tuple(c for c in _scopes.get() if c is not collector))
    collector.seal()


class probe:
    """Record every hop, lazy load and cache call made inside the block.

    Works as ``with`` and ``async with``; requests made through test clients
    inside the block are included. The returned :class:`Report` is live inside
    the block and final after it.
    """

    def __init__(self) -> None:
        self.collector: Collector | None = None
        self._tokens: tuple[Token[Any], ...] = ()

    def __enter__(self) -> Report:
        from .instrument import is_installed

        if not is_installed():
            raise RuntimeError(
                "async_probe is not installed, so probe() would record nothing. "
                "Add 'async_probe' to INSTALLED_APPS (with ASYNC_PROBE['ENABLED'] "
                "left True) or call async_probe.install()."
            )
        self.collector = Collector()
        self._tokens = push(self.collector)
        return self.collector.report()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self.collector is not None
        pop(self.collector, self._tokens)

    async def __aenter__(self) -> Report:
        return self.__enter__()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.__exit__(exc_type, exc, tb)
