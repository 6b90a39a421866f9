"""Thread hops: class-level wrappers on asgiref's ``SyncToAsync`` and ``AsyncToSync``.

We patch ``__call__`` on the classes, not the ``sync_to_async`` name: Django and
applications import that name by value, and instances created before install
(Django's middleware adapters are built once per handler) must be seen too.

To time a hop we need the moment the callable starts on the other side. The
wrapper calls the original ``__call__`` on a shallow copy of the instance whose
``func`` (or ``awaitable``) is a timing shim; the shim runs inside the context
asgiref copied for the call, so it can also mark that context as "inside this
hop" for the events the callable produces. The copy costs four attribute
stores per hop and only happens when a scope is open. With
``HOP_TIMING = False`` there is no copy and no shim: the hop is named and
recorded as it is called.

Every hop of a request goes through here (15 on Django's default middleware
stack), so the common case, a framework hop whose name is cached, takes the
short way: one dict lookup to name it and one ``list.append`` per collector to
record it.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from typing import Any

from asgiref.sync import AsyncToSync, SyncToAsync, markcoroutinefunction

from .. import collector
from ..callsite import find_callsite_and_auth
from ..collector import (
    EPOCH_OFFSET_NS,
    HOP,
    Collector,
    Pending,
    _scopes,
    request_of,
)
from ..context import HopFrame, current_hop
from ..events import ThreadHop
from ..faults import fault
from ._patching import PatchSet
from .naming import CALLSITE_CAUSES, _names, describe, is_view

_patches = PatchSet("hops")
# What SyncToAsync.__call__ and thread_handler read from the instance.
PROXIED_STATE = ("func", "context", "_thread_sensitive", "_executor")
_ids = itertools.count(1)
_clock = time.perf_counter_ns


def _name(
    scopes: tuple[Collector, ...], func: Any, parent: HopFrame | None
) -> tuple[str, str, Any]:
    """``(cause, target, callsite)`` of a hop."""
    # The common case first: a framework hop (a bound method) named before.
    inner = getattr(func, "__func__", None)
    named = None if inner is None else _names.get((type(func.__self__), inner))
    if named is not None and named[0] not in CALLSITE_CAUSES:
        return named[0], named[1], None
    # A first sight, a view, or a hop application code started (its callsite).
    cause, target = describe(func)
    if cause == "user":
        request = request_of(scopes)
        if request is not None and request.request is not None:
            info = request.request
            if is_view(func, info.view_func):
                return "view", info.view or target, None
    callsite = None
    if cause in CALLSITE_CAUSES and scopes[-1].settings.callsites:
        callsite, through_auth = find_callsite_and_auth(3)
        if through_auth:
            cause = "auth"
        if callsite is None and parent is not None:
            callsite = parent.callsite
    return cause, target, callsite


def _record(scopes: tuple[Collector, ...], item: Pending[Any]) -> None:
    collector.record(scopes, HOP, item)


class _Flight(HopFrame):
    """One hop between its call and its return; while it runs, it is also the
    ``current_hop`` that events inside it point to."""

    __slots__ = (
        "cause",
        "func",
        "run_end",
        "run_start",
        "scopes",
        "start",
        "target",
        "ts",
    )
    cause: str
    func: Any
    run_end: int
    run_start: int
    scopes: tuple[Collector, ...]
    start: int
    target: str
    ts: bool

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """The sync side of a ``sync_to_async`` hop: asgiref calls the flight in
        place of the callable, in the worker, inside the context it copied."""
        self.run_start = _clock()
        token = current_hop.set(self)
        try:
            return self.func(*args, **kwargs)
        finally:
            # Reset before asgiref copies the context back to the caller.
            current_hop.reset(token)
            self.run_end = _clock()
            # Recorded here, in the worker, as the callable returns: the
            # caller's side then needs no coroutine of ours around asgiref's.
            # The record keeps the flight (the event is built when read), so
            # drop what it no longer needs: the callable and the scopes.
            scopes = self.scopes
            self.scopes = ()
            self.func = None
            try:
                _record(
                    scopes, [self.start + EPOCH_OFFSET_NS, _event, (self,), None, HOP]
                )
            except Exception as exc:
                fault("hops.sync_to_async.finish", exc)

    def async_shim(self, func: Callable[..., Any]) -> Callable[..., Any]:
        async def run(*args: Any, **kwargs: Any) -> Any:
            self.run_start = _clock()
            token = current_hop.set(self)
            try:
                return await func(*args, **kwargs)
            finally:
                current_hop.reset(token)
                self.run_end = _clock()

        return run

    def finish(self) -> None:
        """Record an ``async_to_sync`` hop once the call returned (or raised)."""
        if not self.run_start:  # refused before it ran: all of it was waiting
            self.run_start = self.run_end = _clock()
        scopes = self.scopes
        self.scopes = ()
        self.func = None
        _record(scopes, [self.start + EPOCH_OFFSET_NS, _event, (self,), None, HOP])


def _flight(
    scopes: tuple[Collector, ...], direction: str, func: Any, thread_sensitive: bool
) -> _Flight:
    parent = current_hop.get()
    cause, target, callsite = _name(scopes, func, parent)
    flight = _Flight.__new__(_Flight)
    flight.id = next(_ids)
    flight.direction = direction
    flight.callsite = callsite
    flight.parent_id = None if parent is None else parent.id
    flight.scopes = scopes
    flight.cause = cause
    flight.target = target
    flight.ts = thread_sensitive
    flight.func = func
    flight.run_start = flight.run_end = 0
    flight.start = _clock()
    return flight


def _count(
    scopes: tuple[Collector, ...], direction: str, func: Any, thread_sensitive: bool
) -> None:
    """Record a hop with ``HOP_TIMING = False`` as it is called: named and placed."""
    cause, target, callsite = _name(scopes, func, None)
    at_ns = _clock() + EPOCH_OFFSET_NS
    args = (
        direction,
        target,
        cause,
        thread_sensitive,
        0.0,
        0.0,
        callsite,
        0,
        None,
        at_ns,
    )
    collector.record(scopes, HOP, [at_ns, ThreadHop, args, None, HOP])


def _event(flight: _Flight) -> ThreadHop:
    return ThreadHop(
        flight.direction,  # type: ignore[arg-type]
        flight.target,
        flight.cause,  # type: ignore[arg-type]
        flight.ts,
        (flight.run_start - flight.start) / 1e9,
        ((flight.run_end or flight.run_start) - flight.run_start) / 1e9,
        flight.callsite,
        flight.id,
        flight.parent_id,
        flight.start + EPOCH_OFFSET_NS,
    )


def _wrap_sync_to_async(original: Any) -> Any:
    # A plain function returning asgiref's own coroutine: the probe adds no
    # coroutine of its own to the hop. A coroutine that is never awaited made no
    # crossing and is not counted (with HOP_TIMING off, hops count when called).
    #
    # ``self`` stays inside ``args``: with no scope open the call then goes on
    # with the very tuple it came with, instead of one packed again around
    # ``self``, which is half of what the probe costs a hop when idle.
    def __call__(*args: Any, **kwargs: Any) -> Any:
        scopes = _scopes.get()
        proxy = None
        if scopes:
            try:
                self: SyncToAsync[Any, Any] = args[0]
                if scopes[-1].hop_timing:
                    flight = _flight(
                        scopes, "sync_to_async", self.func, self._thread_sensitive
                    )
                    # The copy asgiref runs: the instance state its __call__
                    # and thread_handler read (PROXIED_STATE, pinned by a
                    # canary), set attribute by attribute. Copying __dict__
                    # would give the copy a materialized dict, a layout that
                    # makes asgiref's own attribute reads miss their fast path.
                    proxy = object.__new__(type(self))
                    proxy.func = flight
                    proxy.context = self.context
                    proxy._thread_sensitive = self._thread_sensitive
                    proxy._executor = self._executor
                else:
                    _count(scopes, "sync_to_async", self.func, self._thread_sensitive)
            except Exception as exc:
                proxy = None
                fault("hops.sync_to_async", exc)
        if proxy is not None:
            return original(proxy, *args[1:], **kwargs)
        if kwargs:
            return original(*args, **kwargs)
        return original(*args)

    __call__.__wrapped__ = original  # type: ignore[attr-defined]
    return markcoroutinefunction(__call__)


def _wrap_async_to_sync(original: Any) -> Any:
    def __call__(*args: Any, **kwargs: Any) -> Any:
        scopes = _scopes.get()
        if not scopes:  # as above: the same tuple on, when idle
            return original(*args, **kwargs) if kwargs else original(*args)
        self: AsyncToSync[Any, Any] = args[0]
        flight = None
        try:
            if scopes[-1].hop_timing:
                awaitable = self.awaitable
                flight = _flight(scopes, "async_to_sync", awaitable, False)
                proxy = object.__new__(type(self))
                state = proxy.__dict__
                state.update(self.__dict__)
                state["awaitable"] = flight.async_shim(awaitable)
                args = (proxy, *args[1:])  # rarer than sync_to_async: kept simple
            else:
                _count(scopes, "async_to_sync", self.awaitable, False)
        except Exception as exc:
            fault("hops.async_to_sync", exc)
        try:
            return original(*args, **kwargs)
        finally:
            if flight is not None:
                try:
                    flight.finish()
                except Exception as exc:
                    fault("hops.async_to_sync.finish", exc)

    __call__.__wrapped__ = original  # type: ignore[attr-defined]
    return __call__


def install() -> None:
    if _patches.active:
        return
    _patches.patch(SyncToAsync, "__call__", _wrap_sync_to_async(SyncToAsync.__call__))
    _patches.patch(AsyncToSync, "__call__", _wrap_async_to_sync(AsyncToSync.__call__))


def uninstall() -> None:
    _patches.restore()


def is_installed() -> bool:
    return _patches.active
