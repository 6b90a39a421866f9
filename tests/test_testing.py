"""The assertions: pass and fail at the right numbers, with messages to act on."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.core.cache import cache
from django.test import SimpleTestCase, override_settings

from async_probe.testing import (
    AsyncProbeTestMixin,
    assert_lazy_loads,
    assert_max_thread_hops,
    assert_no_blocking_cache_calls,
    assert_no_lazy_loads,
    assert_thread_hops,
)

PROBE = "async_probe.middleware.AsyncProbeMiddleware"


def noop() -> None:
    pass


@override_settings(MIDDLEWARE=[PROBE])
async def test_no_lazy_loads_fails_with_request_line_repeat_and_fix(
    async_client: Any, library: Any
) -> None:
    with pytest.raises(AssertionError) as failure:
        async with assert_no_lazy_loads():
            await async_client.get("/async_books_loop/")
    assert str(failure.value) == (
        "3 lazy loads, expected none:\n"
        "  testapp.Book.author x3 (N+1): forward, on the event loop\n"
        "    request: GET /async_books_loop/ -> tests.testapp.views.async_books_loop"
        " (async view)\n"
        "    accessed at tests/testapp/views.py:27 in async_books_loop\n"
        '    fix: add .select_related("author") at tests/testapp/views.py:23'
    )


@override_settings(MIDDLEWARE=[PROBE])
async def test_no_lazy_loads_passes_after_the_fix(
    async_client: Any, library: Any
) -> None:
    async with assert_no_lazy_loads() as checked:
        response = await async_client.get("/async_books_fixed/")
    assert response.status_code == 200
    assert checked.report is not None and checked.report.lazy_loads == 0


@override_settings(MIDDLEWARE=[PROBE])
def test_filters_narrow_the_assertion(client: Any, library: Any) -> None:
    # A sync view's lazy loads are not an async view's.
    with assert_no_lazy_loads(async_views_only=True):
        client.get("/sync_books/")
    with assert_no_lazy_loads(model="testapp.Book", field="publisher"):
        client.get("/sync_books/")
    with (
        pytest.raises(
            AssertionError, match=r"^3 lazy loads of \*\.author, expected none:"
        ),
        assert_no_lazy_loads(field="author"),
    ):
        client.get("/sync_books/")


@override_settings(MIDDLEWARE=[PROBE])
def test_lazy_loads_exact_count(client: Any, library: Any) -> None:
    with assert_lazy_loads(3):
        client.get("/sync_books/")
    with pytest.raises(AssertionError, match=r"^3 lazy loads, expected 2:"):
        with assert_lazy_loads(2):
            client.get("/sync_books/")


async def test_thread_hops_at_most_and_exactly() -> None:
    async with assert_max_thread_hops(2):
        await sync_to_async(noop)()
        await sync_to_async(noop)()
    async with assert_thread_hops(1, cause="user"):
        await sync_to_async(noop)()
    with pytest.raises(AssertionError) as failure:
        async with assert_max_thread_hops(1):
            await sync_to_async(noop)()
            await sync_to_async(noop)()
    assert str(failure.value) == (
        "2 thread hops, expected at most 1:\n  2x user       tests.test_testing.noop"
    )


async def test_no_blocking_cache_calls() -> None:
    async with assert_no_blocking_cache_calls():
        await cache.aget("fine")
    with pytest.raises(AssertionError) as failure:
        async with assert_no_blocking_cache_calls():
            cache.get("not-fine")
    message = str(failure.value)
    assert message.startswith(
        "1 blocking cache call (sync calls on the event loop), expected none:\n"
        "  cache.get(<redacted:"
    )
    assert "on 'default', on the event loop at tests/test_testing.py:" in message
    assert message.endswith("    fix: await cache.aget(...) instead")


def test_an_exception_in_the_block_is_not_masked() -> None:
    with pytest.raises(KeyError), assert_no_blocking_cache_calls():
        raise KeyError("the test's own failure")


class MixinTests(AsyncProbeTestMixin, SimpleTestCase):
    def test_sync_with(self) -> None:
        with self.assertNoBlockingCacheCalls():
            cache.get("sync-code-does-not-block")
        with self.assertMaxThreadHops(0):
            pass

    async def test_async_with(self) -> None:
        async with self.assertThreadHops(1):
            await sync_to_async(noop)()
        with self.assertRaisesMessage(
            AssertionError, "1 thread hop, expected exactly 0"
        ):
            async with self.assertThreadHops(0):
                await sync_to_async(noop)()

    async def test_lazy_loads_methods(self) -> None:
        async with self.assertNoLazyLoads(async_views_only=True):
            pass
        async with self.assertLazyLoads(0):
            pass
