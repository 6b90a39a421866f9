"""Canaries: the private parts of asgiref and Django that the probe relies on.

asgiref asks monitoring tools not to patch its internals; we must, so each one
we touch is checked here and a new release that moves it fails loudly.
"""

from __future__ import annotations

import asyncio
import inspect

import django
import pytest
from asgiref.sync import AsyncToSync, SyncToAsync, async_to_sync, sync_to_async
from django.core.cache import CacheHandler
from django.core.cache.backends.base import BaseCache
from django.core.handlers.base import BaseHandler
from django.db.models.fields.related_descriptors import (
    ForwardManyToOneDescriptor,
    ReverseManyToOneDescriptor,
    ReverseOneToOneDescriptor,
)
from django.db.models.query import QuerySet
from django.db.models.query_utils import DeferredAttribute
from django.dispatch import Signal

from async_probe.instrument import cache


def original(func: object) -> object:
    return getattr(func, "__wrapped__", func)


def test_sync_to_async_calls_self_func_and_keeps_thread_sensitive() -> None:
    adapter = sync_to_async(len)
    assert adapter.func is len
    assert adapter._thread_sensitive is True
    assert inspect.iscoroutinefunction(original(SyncToAsync.__call__))
    assert "self.func" in inspect.getsource(original(SyncToAsync.__call__))


def test_sync_to_async_reads_no_instance_state_but_what_the_hop_copy_sets() -> None:
    # hops.py runs asgiref's __call__ on a copy that carries only PROXIED_STATE.
    import re

    from async_probe.instrument.hops import PROXIED_STATE

    source = inspect.getsource(original(SyncToAsync.__call__)) + inspect.getsource(
        SyncToAsync.thread_handler
    )
    read = set(re.findall(r"self\.(\w+)", source))
    on_the_class = {
        name for name in read if any(name in vars(c) for c in SyncToAsync.__mro__)
    }
    assert read - on_the_class == set(PROXIED_STATE)


def test_async_to_sync_calls_self_awaitable() -> None:
    async def coro() -> None:
        pass

    assert async_to_sync(coro).awaitable is coro
    assert "self.awaitable" in inspect.getsource(original(AsyncToSync.__call__))


def test_asyncio_running_loop_lookup() -> None:
    assert asyncio._get_running_loop() is None

    async def inside() -> object:
        return asyncio._get_running_loop()

    assert asyncio.run(inside()) is not None


def test_asgiref_worker_threads_know_the_loop_that_sent_them_work() -> None:
    # context.execution_context tells a worker from plain sync code by this
    # when no hop of ours is in the context (HOP_TIMING = False).
    def seen() -> tuple[object, bool]:
        loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
        return loop, loop is not None and loop.is_running()

    async def inside() -> tuple[object, object, bool]:
        loop, running = await sync_to_async(seen, thread_sensitive=False)()
        return asyncio.get_running_loop(), loop, running

    here, there, running = asyncio.run(inside())
    assert there is here
    assert running


def test_signal_asend_closure_names_its_signal() -> None:
    source = inspect.getsource(Signal.asend)
    assert "def sync_send" in source
    assert "async def asend" in inspect.getsource(Signal.send)


def test_handler_resolve_request_returns_the_callback_first() -> None:
    source = inspect.getsource(original(BaseHandler.resolve_request))
    assert "return resolver_match" in source or "resolver_match" in source
    assert "callback, callback_args, callback_kwargs = self.resolve_request(" in (
        inspect.getsource(BaseHandler._get_response_async)
    )


def test_queryset_fetch_all_and_result_cache() -> None:
    source = inspect.getsource(original(QuerySet._fetch_all))
    assert "self._result_cache" in source
    assert hasattr(
        QuerySet, "_iterable_class"
    ) or "_iterable_class" in inspect.getsource(QuerySet.__init__)


def test_related_manager_get_queryset_is_looked_up_on_the_instance() -> None:
    from django.db.models.manager import BaseManager

    assert "self.get_queryset()" in inspect.getsource(BaseManager.all)
    assert "__get__" in ReverseManyToOneDescriptor.__dict__


def test_cache_handler_create_connection_and_backend_methods() -> None:
    assert "create_connection" in CacheHandler.__dict__
    for method in cache.METHODS:
        assert callable(getattr(BaseCache, method)), method


@pytest.mark.skipif(django.VERSION < (6, 1), reason="fetch modes are new in Django 6.1")
def test_fetch_modes_have_fetch() -> None:
    from django.db.models.fetch_modes import FetchOne, FetchPeers, FetchRaise

    for mode in (FetchOne, FetchPeers, FetchRaise):
        assert "fetch" in mode.__dict__
    assert "fetch_mode.fetch(self, instance)" in inspect.getsource(
        original(ForwardManyToOneDescriptor.__get__)
    )


@pytest.mark.skipif(django.VERSION >= (6, 1), reason="Django 6.1 uses fetch modes")
def test_descriptors_query_where_we_wrap() -> None:
    assert "self.get_object(instance)" in inspect.getsource(
        ForwardManyToOneDescriptor.__get__
    )
    assert "self.get_queryset(instance=instance).get(" in inspect.getsource(
        original(ReverseOneToOneDescriptor.__get__)
    )
    assert "refresh_from_db(fields=[field_name])" in inspect.getsource(
        original(DeferredAttribute.__get__)
    )


def test_sync_to_async_runs_the_callable_under_thread_handler() -> None:
    # callsite.py stops its walk at thread_handler: above it is a blocked thread.
    source = inspect.getsource(original(SyncToAsync.__call__))
    assert "self.thread_handler" in source
    assert "def thread_handler(self, loop, exc_info, task_context, func" in (
        inspect.getsource(SyncToAsync.thread_handler)
    )
