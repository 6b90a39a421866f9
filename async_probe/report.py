"""The result of a scope: counts, events, and the request they belong to.

A report reads its collector: inside the ``probe()`` block it shows everything
so far, and once the scope has closed (the collector is sealed) it no longer
changes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .events import CacheCall, Callsite, Event, LazyLoad, ThreadHop

if TYPE_CHECKING:
    from .collector import Collector


@dataclass(frozen=True)
class LoadGroup:
    """Lazy loads of one relation from one line: more than one is an N+1."""

    model: str
    field: str
    kind: str
    callsite: Callsite | None
    loads: tuple[LazyLoad, ...]

    @property
    def count(self) -> int:
        return len(self.loads)

    @property
    def label(self) -> str:
        return f"{self.model}.{self.field}"

    @property
    def suggestion(self) -> str:
        return self.loads[0].suggestion

    @property
    def contexts(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(load.context for load in self.loads))


class Report:
    __slots__ = ("_collector", "_events")

    def __init__(self, collector: Collector) -> None:
        self._collector = collector
        self._events: tuple[Event, ...] | None = None

    # Counts (never capped) -------------------------------------------------
    @property
    def thread_hops(self) -> int:
        return self._collector.hops

    @property
    def lazy_loads(self) -> int:
        return self._collector.loads

    @property
    def cache_calls(self) -> int:
        return self._collector.cache_calls

    @property
    def blocking_cache_calls(self) -> int:
        return self._collector.blocking_cache_calls

    @property
    def dropped_events(self) -> int:
        """Events past ``MAX_EVENTS``: counted above, not listed in ``events``."""
        return self._collector.dropped

    # Events ----------------------------------------------------------------
    @property
    def events(self) -> tuple[Event, ...]:
        if self._events is not None:
            return self._events
        events = self._collector.events()
        if self._collector.sealed:
            self._events = events
        return events

    @property
    def hops(self) -> tuple[ThreadHop, ...]:
        return tuple(e for e in self.events if type(e) is ThreadHop)

    @property
    def loads(self) -> tuple[LazyLoad, ...]:
        return tuple(e for e in self.events if type(e) is LazyLoad)

    @property
    def cache(self) -> tuple[CacheCall, ...]:
        return tuple(e for e in self.events if type(e) is CacheCall)

    # Derived ---------------------------------------------------------------
    @property
    def hops_by_cause(self) -> dict[str, int]:
        return dict(Counter(hop.cause for hop in self.hops).most_common())

    @property
    def hops_by_target(self) -> dict[str, int]:
        return dict(Counter(hop.target for hop in self.hops).most_common())

    @property
    def hop_wait_s(self) -> float:
        return sum(hop.wait_s for hop in self.hops)

    @property
    def hop_run_s(self) -> float:
        return sum(hop.run_s for hop in self.hops)

    @property
    def load_groups(self) -> tuple[LoadGroup, ...]:
        groups: dict[tuple[Any, ...], list[LazyLoad]] = {}
        for load in self.loads:
            key = (load.model, load.field, load.kind, load.callsite)
            groups.setdefault(key, []).append(load)
        ordered = sorted(groups.items(), key=lambda item: -len(item[1]))
        return tuple(
            LoadGroup(model, field, kind, site, tuple(loads))
            for (model, field, kind, site), loads in ordered
        )

    @property
    def started_ns(self) -> int:
        """When the scope opened, in epoch nanoseconds (a span's start time)."""
        return self._collector.started_ns

    @property
    def finished_ns(self) -> int | None:
        """When the scope closed, in epoch nanoseconds; None while it is open."""
        return self._collector.finished_ns

    @property
    def duration_s(self) -> float | None:
        finished = self._collector.finished_ns
        if finished is None:
            return None
        return (finished - self._collector.started_ns) / 1e9

    # Request fields --------------------------------------------------------
    def _request_field(self, name: str) -> Any:
        info = self._collector.request
        return None if info is None else getattr(info, name)

    @property
    def is_request(self) -> bool:
        return self._collector.request is not None

    @property
    def method(self) -> str | None:
        return self._request_field("method")  # type: ignore[no-any-return]

    @property
    def path(self) -> str | None:
        return self._request_field("path")  # type: ignore[no-any-return]

    @property
    def status(self) -> int | None:
        return self._request_field("status")  # type: ignore[no-any-return]

    @property
    def view(self) -> str | None:
        return self._request_field("view")  # type: ignore[no-any-return]

    @property
    def async_view(self) -> bool | None:
        return self._request_field("async_view")  # type: ignore[no-any-return]

    # Output ----------------------------------------------------------------
    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "thread_hops": self.thread_hops,
            "lazy_loads": self.lazy_loads,
            "blocking_cache_calls": self.blocking_cache_calls,
            "cache_calls": self.cache_calls,
            "hop_wait_ms": round(self.hop_wait_s * 1000, 3),
            "hop_run_ms": round(self.hop_run_s * 1000, 3),
            "hops_by_cause": self.hops_by_cause,
            "dropped_events": self.dropped_events,
            "events": [event.as_dict() for event in self.events],
        }
        if self.is_request:
            for name in ("method", "path", "status", "view", "async_view"):
                out[name] = self._request_field(name)
        return out

    def __str__(self) -> str:
        from .summary import summarize

        return summarize(self)

    def __repr__(self) -> str:
        where = f" {self.method} {self.path}" if self.is_request else ""
        return (
            f"<Report{where}: {self.thread_hops} hops, {self.lazy_loads} lazy loads, "
            f"{self.blocking_cache_calls}/{self.cache_calls} blocking cache calls>"
        )
