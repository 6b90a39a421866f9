"""Lazy relation loads.

Single-valued relations (forward FK / one-to-one, reverse one-to-one, deferred
fields, generic FK) go through Django 6.1's fetch modes when they exist
(:mod:`.orm_fetch`) and through the related descriptors on 5.2 / 6.0
(:mod:`.orm_descriptors`). To-many relations are the same on every version: the
related manager's queryset is marked when it was not prefetched, and marked
querysets record a lazy load when they run their query.

To suggest a fix we need where the instance's queryset was evaluated: while a
scope is open, ``QuerySet._fetch_all`` stamps that place (a plain tuple, so a
pickled instance never needs async_probe to load) on each instance it loads.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

import django.db.models
from django.db.models.fields.related_descriptors import (
    ManyToManyDescriptor,
    ReverseManyToOneDescriptor,
)
from django.db.models.query import ModelIterable, QuerySet

from .. import collector
from ..callsite import capture_stack, find_callsite, render_stack
from ..collector import EPOCH_OFFSET_NS, LOAD, Collector, request_of, resolve
from ..collector import _scopes as scopes_var
from ..context import current_hop, execution_context, hop_callsite
from ..events import Callsite, LazyLoad
from ..exceptions import LazyLoadError
from ..faults import fault
from ._patching import PatchSet

HAS_FETCH_MODES = hasattr(django.db.models, "FETCH_PEERS")

ORIGIN_ATTR = "async_probe_origin"
LAZY_ATTR = "_async_probe_lazy"
# (filename, lineno, function, path prefix, prefix crosses a to-many relation)
Origin = tuple[str, int, str, str, bool]

_patches = PatchSet("orm")
# While a lazy load fetches, the instances it loads inherit the parent's origin
# with the relation appended to the path ("author__"), so a load two levels down
# can suggest select_related("author__publisher") at the first queryset.
loading_via: ContextVar[Origin | None] = ContextVar(
    "async_probe_loading_via", default=None
)
_SELECT = ("forward", "reverse_one_to_one")
_MANY = ("reverse_many", "many_to_many")
_clock = time.perf_counter_ns


def suggest(kind: str, field: str, origin: Origin | None, at: Callsite | None) -> str:
    prefix, through_many = ("", False) if origin is None else origin[3:5]
    where = (
        f"{origin[0]}:{origin[1]}" if origin is not None else (str(at) if at else "")
    )
    at_text = f" at {where}" if where else ""
    path = prefix + field
    if kind == "deferred":
        fix = f'stop deferring "{path}" (drop it from .defer() or add it to .only())'
        return fix + at_text
    if kind in _SELECT and not through_many:
        return f'add .select_related("{path}"){at_text}'
    return f'add .prefetch_related("{path}"){at_text}'


def _build(
    meta: Any,
    field: str,
    kind: Any,
    context: Any,
    async_view: bool,
    callsite: Callsite | None,
    origin: Origin | None,
    hop: int | None,
    at_ns: int,
    stack: tuple[Any, ...],
    request: str | None,
) -> LazyLoad:
    return LazyLoad(
        meta.label,
        field,
        kind,
        context,
        async_view,
        callsite,
        None if origin is None else Callsite(*origin[:3]),
        suggest(kind, field, origin, callsite),
        hop,
        at_ns,
        render_stack(stack) if stack else (),
        request,
    )


def on_lazy_load(
    scopes: tuple[Collector, ...], instance: Any, field: str, kind: str
) -> Origin | None:
    """Record a lazy load; return the origin the loaded rows inherit.

    Raises :class:`LazyLoadError` when ``LAZY_LOADS = "raise"`` and the request's
    view is async: the one deliberate exception the probe lets through.

    A request can make dozens of these, so what the event can work out later
    is left for :func:`_build` (the model's label from its ``_meta``), and the
    common cases are written out rather than called (the request scope is
    usually the innermost; an instance's origin is two dict reads).
    """
    try:
        top = scopes[-1]
        settings = top.settings
        meta = instance._meta
        if settings.ignore_regex is not None and settings.ignores(meta.label, field):
            return None
        info = top.request
        if info is None:
            found = request_of(scopes)
            info = None if found is None else found.request
        async_view = info is not None and info.async_view
        hop = current_hop.get()
        context = execution_context(hop)
        callsite = None
        if settings.callsites:
            callsite = find_callsite(2) or (None if hop is None else hop.callsite)
        state = instance.__dict__.get("_state")
        origin = None if state is None else state.__dict__.get(ORIGIN_ATTR)
        at_ns = _clock() + EPOCH_OFFSET_NS
        item = [
            at_ns,
            _build,
            (
                meta,
                field,
                kind,
                context,
                async_view,
                callsite,
                origin,
                None if hop is None else hop.id,
                at_ns,
                capture_stack(2) if settings.stacks else (),
                None if info is None else info.label(),
            ),
            None,
            LOAD,
        ]
        collector.record(scopes, LOAD, item)
        if origin is not None:
            via: Origin | None = (
                *origin[:3],
                f"{origin[3]}{field}__",
                origin[4] or kind in _MANY or kind == "generic",
            )
        elif callsite is not None:
            site = (callsite.filename, callsite.lineno, callsite.function)
            via = (*site, f"{field}__", kind in _MANY)
        else:
            via = None
    except Exception as exc:
        fault("orm.lazy_load", exc)
        return None
    if async_view and settings.lazy_loads == "raise":
        raise LazyLoadError(resolve(item))  # type: ignore[arg-type]
    return via


def fetching(via: Origin | None, load: Callable[[], Any]) -> Any:
    """Run ``load`` with ``via`` as the origin of the rows it fetches."""
    if via is None:
        return load()
    token = loading_via.set(via)
    try:
        return load()
    finally:
        loading_via.reset(token)


def _stamp(queryset: QuerySet[Any], via: Origin | None) -> None:
    results = queryset._result_cache
    if not results or not issubclass(queryset._iterable_class, ModelIterable):
        return
    origin = via or loading_via.get()
    if origin is None:
        site = find_callsite(3) or hop_callsite()
        if site is None:
            return
        origin = (site.filename, site.lineno, site.function, "", False)
    for obj in results:
        obj._state.__dict__[ORIGIN_ATTR] = origin


def _wrap_fetch_all(original: Any) -> Any:
    def _fetch_all(self: QuerySet[Any]) -> None:
        if self._result_cache is not None:
            return original(self)  # type: ignore[no-any-return]
        scopes = scopes_var.get()
        if not scopes:
            return original(self)  # type: ignore[no-any-return]
        lazy = self.__dict__.get(LAZY_ATTR)
        via = on_lazy_load(scopes, *lazy) if lazy is not None else None
        original(self)
        if not scopes[-1].settings.callsites:
            return None  # origins are callsites: nothing to stamp
        try:
            _stamp(self, via)
        except Exception as exc:
            fault("orm.origin", exc)

    _fetch_all.__wrapped__ = original  # type: ignore[attr-defined]
    return _fetch_all


def _wrap_query_method(original: Any) -> Any:
    # count() / exists() on an unprefetched related manager run a query too.
    def method(self: QuerySet[Any], *args: Any, **kwargs: Any) -> Any:
        if self._result_cache is None and LAZY_ATTR in self.__dict__:
            scopes = scopes_var.get()
            if scopes:
                on_lazy_load(scopes, *self.__dict__[LAZY_ATTR])
        return original(self, *args, **kwargs)

    method.__name__ = original.__name__
    method.__wrapped__ = original  # type: ignore[attr-defined]
    return method


_many_names: dict[Any, tuple[str, str]] = {}


def _many_name(descriptor: Any) -> tuple[str, str]:
    named = _many_names.get(descriptor)
    if named is None:
        if isinstance(descriptor, ManyToManyDescriptor):
            name = (
                descriptor.rel.get_accessor_name()
                if descriptor.reverse
                else descriptor.field.name
            )
            named = (str(name), "many_to_many")
        elif type(descriptor).__name__ == "ReverseGenericManyToOneDescriptor":
            named = (str(descriptor.field.name), "reverse_many")
        else:
            named = (str(descriptor.rel.get_accessor_name()), "reverse_many")
        _many_names[descriptor] = named
    return named


def _wrap_many_get(original: Any) -> Any:
    def __get__(self: Any, instance: Any, cls: Any = None) -> Any:
        manager = original(self, instance, cls)
        if instance is None or not scopes_var.get():
            return manager
        try:
            name, kind = _many_name(self)
            get_queryset = manager.get_queryset

            def marking_get_queryset() -> Any:
                queryset = get_queryset()
                if queryset._result_cache is None:  # not prefetched
                    queryset.__dict__[LAZY_ATTR] = (instance, name, kind)
                return queryset

            manager.get_queryset = marking_get_queryset
        except Exception as exc:
            fault("orm.related_manager", exc)
        return manager

    __get__.__wrapped__ = original  # type: ignore[attr-defined]
    return __get__


def install() -> None:
    if _patches.active:
        return
    _patches.patch(QuerySet, "_fetch_all", _wrap_fetch_all(QuerySet._fetch_all))
    for name in ("count", "exists"):
        _patches.patch(QuerySet, name, _wrap_query_method(getattr(QuerySet, name)))
    _patches.patch(
        ReverseManyToOneDescriptor,
        "__get__",
        _wrap_many_get(ReverseManyToOneDescriptor.__get__),
    )
    if HAS_FETCH_MODES:
        from . import orm_fetch

        orm_fetch.patch(_patches)
    else:
        from . import orm_descriptors

        orm_descriptors.patch(_patches)


def uninstall() -> None:
    _patches.restore()


def is_installed() -> bool:
    return _patches.active
