"""Thread hops: class-level wrappers on asgiref's ``SyncToAsync`` and ``AsyncToSync``.

We patch ``__call__`` on the classes, not the ``sync_to_async`` name: Django and
applications import that name by value, and instances created before install
(Django's middleware adapters are built once per handler) must be seen too.

To time a hop we need the moment the callable starts on the other side. The
wrapper calls the original ``__call__`` on a shallow copy of the instance whose
``func`` (or ``awaitable``) is a timing shim; the shim runs inside the context
asgiref copied for the call, so it can also mark that context as "inside this
hop" for the events the callable produces. The copy costs a dict copy per hop
and only happens when a scope is open.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from typing import Any

from asgiref.sync import AsyncToSync, SyncToAsync, markcoroutinefunction

from ..callsite import find_callsite_and_auth
from ..collector import (
    EPOCH_OFFSET_NS,
    HOP,
    Collector,
    _request,
    _scopes,
)
from ..context import HopFrame, current_hop
from ..events import ThreadHop
from ..faults import fault
from ._patching import PatchSet
from .naming import CALLSITE_CAUSES, describe, is_view

_patches = PatchSet("hops")
_ids = itertools.count(1)
_clock = time.perf_counter_ns


class _Flight(HopFrame):
    """One hop between its call and its return; while it runs, it is also the
    ``current_hop`` that events inside it point to."""

    __slots__ = (
        "cause",
        "func",
        "run_end",
        "run_ns",
        "run_start",
        "scopes",
        "start",
        "target",
        "ts",
        "wait_ns",
    )

    def __init__(
        self,
        scopes: tuple[Collector, ...],
        direction: str,
        func: Any,
        thread_sensitive: bool,
    ) -> None:
        cause, target = describe(func)
        if cause == "user":
            request = _request.get()
            if request is not None and request.request is not None:
                info = request.request
                if is_view(func, info.view_func):
                    cause, target = "view", info.view or target
        callsite = None
        parent = current_hop.get()
        if cause in CALLSITE_CAUSES and scopes[-1].settings.callsites:
            callsite, through_auth = find_callsite_and_auth(2)
            if through_auth:
                cause = "auth"
            if callsite is None and parent is not None:
                callsite = parent.callsite
        self.id = next(_ids)
        self.direction = direction
        self.callsite = callsite
        self.parent_id = None if parent is None else parent.id
        self.scopes = scopes
        self.cause = cause
        self.target = target
        self.ts = thread_sensitive
        self.func = func
        self.run_start = self.run_end = 0
        self.start = _clock()

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
            try:
                self.finish()
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
        start = self.start
        if self.run_start:
            self.wait_ns = self.run_start - start
            self.run_ns = (self.run_end or _clock()) - self.run_start
        else:  # never started (refused before running)
            self.wait_ns, self.run_ns = _clock() - start, 0
        # The record keeps the flight itself (the event is built when read):
        # drop what it no longer needs, the callable and the scopes (a cycle).
        scopes = self.scopes
        self.scopes = ()
        self.func = None
        item = [start + EPOCH_OFFSET_NS, _event, (self,), None]
        for collector in scopes:
            collector.add(HOP, item)


def _event(flight: _Flight) -> ThreadHop:
    return ThreadHop(
        flight.direction,  # type: ignore[arg-type]
        flight.target,
        flight.cause,  # type: ignore[arg-type]
        flight.ts,
        flight.wait_ns / 1e9,
        flight.run_ns / 1e9,
        flight.callsite,
        flight.id,
        flight.parent_id,
        flight.start + EPOCH_OFFSET_NS,
    )


def _wrap_sync_to_async(original: Any) -> Any:
    # A plain function returning asgiref's own coroutine: with no scope open the
    # probe adds no coroutine of its own to the hop, and with one it only swaps
    # the callable for the timing shim (which records the hop when it returns).
    # A coroutine that is never awaited, or a call refused before it ran, made no
    # crossing, and is not counted.
    def __call__(self: SyncToAsync[Any, Any], *args: Any, **kwargs: Any) -> Any:
        scopes = _scopes.get()
        if not scopes:
            return original(self, *args, **kwargs)
        try:
            func = self.func
            flight = _Flight(scopes, "sync_to_async", func, self._thread_sensitive)
            proxy = object.__new__(type(self))
            state = proxy.__dict__
            state.update(self.__dict__)
            state["func"] = flight
        except Exception as exc:
            fault("hops.sync_to_async", exc)
            return original(self, *args, **kwargs)
        return original(proxy, *args, **kwargs)

    __call__.__wrapped__ = original  # type: ignore[attr-defined]
    return markcoroutinefunction(__call__)


def _wrap_async_to_sync(original: Any) -> Any:
    def __call__(self: AsyncToSync[Any, Any], *args: Any, **kwargs: Any) -> Any:
        scopes = _scopes.get()
        if not scopes:
            return original(self, *args, **kwargs)
        try:
            awaitable = self.awaitable
            flight = _Flight(scopes, "async_to_sync", awaitable, False)
            proxy = object.__new__(type(self))
            state = proxy.__dict__
            state.update(self.__dict__)
            state["awaitable"] = flight.async_shim(awaitable)
        except Exception as exc:
            fault("hops.async_to_sync", exc)
            return original(self, *args, **kwargs)
        try:
            return original(proxy, *args, **kwargs)
        finally:
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
