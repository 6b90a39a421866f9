"""Keep django-debug-toolbar's own work out of the request's report.

The toolbar's middleware works around the view. Under ASGI it runs
``SHOW_TOOLBAR_CALLBACK`` through ``sync_to_async`` and the SQL panel enables its
instrumentation through another ``sync_to_async``: two hops per request. Its
store records the request (queries with the database store, cache calls with
the cache store), and after the view every panel generates its stats and the
toolbar renders itself, with whatever cache, ORM or thread crossings that takes.
None of that is the application's cost, and a probe whose counts change when the
toolbar is switched on cannot be trusted next to it.

So the whole of ``DebugToolbarMiddleware`` runs inside
:func:`async_probe.collector.suppressed`, except the application below it: the
middleware's ``get_response`` (through which the rest of the chain and the view
run, whether or not the toolbar is shown) puts the request's scopes back for the
duration of the call. Rather than chase each internal that does work (the show
callback, the store, each panel's hooks, the rendering), we wrap the two seams
every one of them sits between, so a new panel or store is covered too.

Patch points, all on ``DebugToolbarMiddleware`` (``tests/panels/test_canary.py``
checks the toolbar still has the shape they rely on):

- ``__init__``: wrap ``self.get_response`` so the chain below resumes recording;
- ``__call__`` (sync mode) and ``__acall__`` (async mode): run the middleware
  with recording suppressed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from asgiref.sync import iscoroutinefunction
from debug_toolbar.middleware import DebugToolbarMiddleware

from async_probe.collector import (
    Collector,
    _scopes,
    current_request,
    request_of,
    suppressed,
)
from async_probe.instrument._patching import PatchSet

_patches = PatchSet("panels.toolbar")

# The scopes in effect when the toolbar's middleware was entered, for its
# get_response to restore; None outside the toolbar's middleware.
_outer: ContextVar[tuple[Collector, ...] | None] = ContextVar(
    "async_probe_toolbar_outer", default=None
)
# Marks a get_response wrapped by us: only those middleware instances suppress,
# so one built before install() never silences the application below it.
RESUMES = "_async_probe_resumes"


def request_collector() -> Collector | None:
    """The request's collector, also inside the toolbar's middleware, where
    recording is suppressed (the toolbar's own work is not the request's)."""
    return current_request() or request_of(_outer.get() or ())


def resuming(get_response: Callable[..., Any]) -> Callable[..., Any]:
    """``get_response`` with the request's scopes back in effect while it runs."""
    if iscoroutinefunction(get_response):

        async def resume_async(request: Any) -> Any:
            outer = _outer.get()
            if outer is None:
                return await get_response(request)
            token = _scopes.set(outer)
            try:
                return await get_response(request)
            finally:
                _scopes.reset(token)

        resume: Callable[..., Any] = resume_async
    else:

        def resume_sync(request: Any) -> Any:
            outer = _outer.get()
            if outer is None:
                return get_response(request)
            token = _scopes.set(outer)
            try:
                return get_response(request)
            finally:
                _scopes.reset(token)

        resume = resume_sync
    resume.__wrapped__ = get_response  # type: ignore[attr-defined]
    setattr(resume, RESUMES, True)
    return resume


def _resumes(middleware: Any) -> bool:
    return getattr(middleware.get_response, RESUMES, False) is True


def _wrap_init(original: Callable[..., None]) -> Callable[..., None]:
    def __init__(self: DebugToolbarMiddleware, get_response: Any) -> None:
        original(self, get_response)
        # async_mode was decided from the unwrapped callable; resuming() keeps
        # its mode, so the toolbar's own checks still agree.
        self.get_response = resuming(self.get_response)

    __init__.__wrapped__ = original  # type: ignore[attr-defined]
    return __init__


def _wrap_call(original: Callable[..., Any]) -> Callable[..., Any]:
    def __call__(self: DebugToolbarMiddleware, request: Any) -> Any:
        # In async mode the original returns self.__acall__(request), which is
        # patched below and suppresses while the coroutine runs.
        if self.async_mode or not _scopes.get() or not _resumes(self):
            return original(self, request)
        token = _outer.set(_scopes.get())
        try:
            with suppressed():
                return original(self, request)
        finally:
            _outer.reset(token)

    __call__.__wrapped__ = original  # type: ignore[attr-defined]
    return __call__


def _wrap_acall(original: Callable[..., Awaitable[Any]]) -> Callable[..., Any]:
    async def __acall__(self: DebugToolbarMiddleware, request: Any) -> Any:
        if not _scopes.get() or not _resumes(self):
            return await original(self, request)
        token = _outer.set(_scopes.get())
        try:
            with suppressed():
                return await original(self, request)
        finally:
            _outer.reset(token)

    __acall__.__wrapped__ = original  # type: ignore[attr-defined]
    return __acall__


def install() -> None:
    """Patch ``DebugToolbarMiddleware`` (idempotent). Middleware built before
    this call are left as they are: they record the toolbar's work."""
    if _patches.active:
        return
    owner = DebugToolbarMiddleware
    _patches.patch(owner, "__init__", _wrap_init(owner.__dict__["__init__"]))
    _patches.patch(owner, "__call__", _wrap_call(owner.__dict__["__call__"]))
    _patches.patch(owner, "__acall__", _wrap_acall(owner.__dict__["__acall__"]))


def uninstall() -> None:
    """Put the original methods back. Middleware built while installed keep a
    wrapped ``get_response``, which then just calls through."""
    _patches.restore()


def is_installed() -> bool:
    return _patches.active


def patch_state() -> dict[tuple[Any, str], Any]:
    """What each patch point holds now (for tests that check nothing leaked)."""
    return {
        (owner, attr): owner.__dict__.get(attr) for owner, attr in _patches.points()
    }
