"""The three events async_probe records, and where they happened.

Events are frozen so a report handed to a sink cannot be changed under another
sink's feet; ``as_dict()`` is JSON-safe and keyed by field name.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Literal

Direction = Literal["sync_to_async", "async_to_sync"]
HopCause = Literal[
    "signal", "response", "middleware", "view", "orm", "cache", "auth", "user"
]
LoadKind = Literal[
    "forward",
    "reverse_one_to_one",
    "deferred",
    "generic",
    "reverse_many",
    "many_to_many",
]
Context = Literal["event_loop", "worker", "sync"]


@dataclass(frozen=True, slots=True)
class Callsite:
    """A line of application code: ``filename`` is relative to the project."""

    filename: str
    lineno: int
    function: str

    def __str__(self) -> str:
        return f"{self.filename}:{self.lineno}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "lineno": self.lineno,
            "function": self.function,
        }


def _as_dict(event: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"type": event.type}
    for f in fields(event):
        if not f.repr:  # private fields (the panel's raw cache key) stay out
            continue
        value = getattr(event, f.name)
        if isinstance(value, Callsite):
            value = value.as_dict()
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    return out


@dataclass(frozen=True, slots=True)
class ThreadHop:
    """One ``sync_to_async`` or ``async_to_sync`` call.

    ``wait_s`` is the time between the call and the moment the callable started
    on the other side (queueing for the thread or the loop); ``run_s`` is how long
    it ran there. ``thread_sensitive`` is always False for ``async_to_sync``.
    """

    type: ClassVar[str] = "thread_hop"

    direction: Direction
    target: str
    cause: HopCause
    thread_sensitive: bool
    wait_s: float
    run_s: float
    callsite: Callsite | None
    id: int = 0
    parent_id: int | None = None
    at_ns: int = 0

    @property
    def end_ns(self) -> int:
        return self.at_ns + int((self.wait_s + self.run_s) * 1e9)

    def as_dict(self) -> dict[str, Any]:
        return _as_dict(self)


@dataclass(frozen=True, slots=True)
class LazyLoad:
    """An attribute access that ran (or tried to run) a query of its own.

    ``origin`` is where the instance's queryset was evaluated, when known, and
    ``suggestion`` the change that would have loaded the relation with it.
    """

    type: ClassVar[str] = "lazy_load"

    model: str
    field: str
    kind: LoadKind
    context: Context
    async_view: bool
    callsite: Callsite | None
    origin: Callsite | None
    suggestion: str
    hop_id: int | None = None
    at_ns: int = 0
    stack: tuple[str, ...] = ()
    request: str | None = None  # "GET /path -> view (async view)", when in one

    @property
    def label(self) -> str:
        return f"{self.model}.{self.field}"

    def as_dict(self) -> dict[str, Any]:
        return _as_dict(self)


@dataclass(frozen=True, slots=True)
class CacheCall:
    """One sync cache method call. ``blocking`` means it ran on a thread that was
    running an event loop, stalling every coroutine on that loop meanwhile."""

    type: ClassVar[str] = "cache_call"

    alias: str
    method: str
    key: str | None
    duration_s: float
    blocking: bool
    context: Context
    callsite: Callsite | None
    hop_id: int | None = None
    at_ns: int = 0
    request: str | None = None
    # The unredacted key, for the toolbar panel only (never in as_dict or logs).
    raw_key: str | None = field(default=None, repr=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        return _as_dict(self)


Event = ThreadHop | LazyLoad | CacheCall
