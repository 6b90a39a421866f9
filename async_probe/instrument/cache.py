"""Cache calls: every sync method of every cache backend class.

``blocking`` is true exactly when the call runs on a thread that is running an
event loop: the sync cache API has no async guard, so there it stalls every
coroutine on the loop for the round trip. The ``a*`` methods of ``BaseCache``
hop to a worker and call the sync method there, so they show as a hop plus a
non-blocking call.

Backends call each other (``get_many`` calls ``get``; the database backend runs
ORM queries), so the outermost call is recorded and everything inside it is
suppressed. Backend classes defined after install are patched when
``caches[alias]`` first builds one, which is also where we learn the alias.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from django.core.cache import CacheHandler
from django.core.cache.backends.base import BaseCache

from .. import collector
from ..callsite import find_callsite
from ..collector import (
    BLOCKING_CACHE,
    CACHE,
    EPOCH_OFFSET_NS,
    Collector,
    request_of,
)
from ..collector import _scopes as scopes_var
from ..context import _running_loop, current_hop, execution_context
from ..events import CacheCall
from ..faults import fault
from ._patching import PatchSet

METHODS = (
    "get",
    "set",
    "add",
    "delete",
    "touch",
    "has_key",
    "incr",
    "decr",
    "get_many",
    "set_many",
    "delete_many",
    "get_or_set",
    "clear",
    "incr_version",
    "decr_version",
)
_MANY_KEYS = frozenset({"get_many", "delete_many", "set_many"})
ALIAS_ATTR = "_async_probe_alias"

_patches = PatchSet("cache")
_clock = time.perf_counter_ns


def redact(key: str) -> str:
    """A stable stand-in: equal keys stay equal, their text is not shown."""
    digest = hashlib.blake2b(key.encode("utf-8", "replace"), digest_size=4).hexdigest()
    return f"<redacted:{digest}>"


def _keys(method: str, first: Any) -> tuple[str, ...]:
    if first is None:
        return ()
    if method in _MANY_KEYS:
        return tuple(str(k) for k in list(first)[:10])
    return (str(first),)


def _build(
    alias: str,
    method: str,
    first: Any,
    redacted: bool,
    duration_s: float,
    blocking: bool,
    context: Any,
    callsite: Any,
    hop: int | None,
    at_ns: int,
    request: str | None,
) -> CacheCall:
    keys = _keys(method, first)
    raw = ", ".join(keys) if keys else None
    key = ", ".join(redact(k) for k in keys) if redacted and keys else raw
    return CacheCall(
        alias,
        method,
        key,
        duration_s,
        blocking,
        context,
        callsite,
        hop,
        at_ns,
        request,
        raw,
    )


def _record(
    scopes: tuple[Collector, ...],
    backend: BaseCache,
    method: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    start: int,
    end: int,
    blocking: bool,
) -> None:
    # The hot path of every cache call in a scope: kept to this one call plus
    # one per collector; keys, redaction and the event itself wait for a reader.
    settings = scopes[-1].settings
    hop = current_hop.get()
    context = execution_context(hop)
    callsite = None
    if settings.callsites:
        callsite = find_callsite(3) or (None if hop is None else hop.callsite)
    request = request_of(scopes)
    if args:
        first = args[0]
    else:
        first = kwargs.get("key", kwargs.get("keys", kwargs.get("data")))
    if method in _MANY_KEYS and first is not None:
        first = list(first)[:10]  # not the values of set_many
    at_ns = start + EPOCH_OFFSET_NS
    kind = BLOCKING_CACHE if blocking else CACHE
    item = [
        at_ns,
        _build,
        (
            getattr(backend, ALIAS_ATTR, None) or type(backend).__name__,
            method,
            first,
            settings.redact_cache_keys,
            (end - start) / 1e9,
            blocking,
            context,
            callsite,
            None if hop is None else hop.id,
            at_ns,
            None
            if request is None or request.request is None
            else request.request.label(),
        ),
        None,
        kind,
    ]
    collector.record(scopes, kind, item)


def _wrap(method: str, original: Any) -> Any:
    # The backend stays inside ``args``: idle, the call goes on with the tuple
    # it came with rather than one packed again around it.
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        scopes = scopes_var.get()
        if not scopes:
            return original(*args, **kwargs) if kwargs else original(*args)
        blocking = _running_loop() is not None
        token = scopes_var.set(())
        start = _clock()
        try:
            return original(*args, **kwargs)
        finally:
            end = _clock()
            scopes_var.reset(token)
            try:
                _record(scopes, args[0], method, args[1:], kwargs, start, end, blocking)
            except Exception as exc:
                fault("cache.record", exc)

    wrapper.__name__ = wrapper.__qualname__ = method
    wrapper.__doc__ = original.__doc__
    wrapper.__wrapped__ = original  # type: ignore[attr-defined]
    return wrapper


def _patch_class(cls: type) -> None:
    for method in METHODS:
        original = cls.__dict__.get(method)
        if callable(original) and not _patches.patched(cls, method):
            _patches.patch(cls, method, _wrap(method, original))


def _patch_hierarchy(cls: type) -> None:
    for klass in cls.__mro__:
        if issubclass(klass, BaseCache):
            _patch_class(klass)


def _all_subclasses(cls: type) -> list[type]:
    found, todo = [], [cls]
    while todo:
        klass = todo.pop()
        found.append(klass)
        todo.extend(klass.__subclasses__())
    return found


def _wrap_create_connection(original: Any) -> Any:
    def create_connection(self: CacheHandler, alias: str) -> BaseCache:
        backend: BaseCache = original(self, alias)
        try:
            if _patches.active:
                _patch_hierarchy(type(backend))
            setattr(backend, ALIAS_ATTR, alias)
        except Exception as exc:
            fault("cache.create_connection", exc)
        return backend

    create_connection.__wrapped__ = original  # type: ignore[attr-defined]
    return create_connection


def install() -> None:
    if _patches.active:
        return
    # Import the built-in backends so their classes exist to be patched now.
    import django.core.cache.backends.db
    import django.core.cache.backends.dummy
    import django.core.cache.backends.filebased
    import django.core.cache.backends.locmem
    import django.core.cache.backends.redis  # noqa: F401

    _patches.patch(
        CacheHandler,
        "create_connection",
        _wrap_create_connection(CacheHandler.__dict__["create_connection"]),
    )
    for cls in _all_subclasses(BaseCache):
        _patch_class(cls)


def uninstall() -> None:
    _patches.restore()


def is_installed() -> bool:
    return _patches.active
