"""Test assertions: fail whenever an async view lazily loads, hops too often, or
blocks the loop on the cache.

Each assertion is a context manager usable as ``with`` and ``async with``, in
sync and async tests, with any runner::

    from async_probe.testing import assert_no_lazy_loads

    async def test_detail(client):
        async with assert_no_lazy_loads():
            await client.get("/api/announcement?id=1")

and as methods of :class:`AsyncProbeTestMixin` for Django's test cases.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

from .collector import probe
from .exceptions import LazyLoadError
from .expectations import (
    LoadFilter,
    check_blocking_cache_calls,
    check_lazy_loads,
    check_thread_hops,
)
from .report import Report

__all__ = [
    "AsyncProbeTestMixin",
    "LazyLoadError",
    "assert_lazy_loads",
    "assert_max_thread_hops",
    "assert_no_blocking_cache_calls",
    "assert_no_lazy_loads",
    "assert_thread_hops",
]

# ids of lazy loads a test declared with assert_lazy_loads(): the pytest plugin's
# strict mode does not fail a test for them. Cleared by the plugin per test.
expected_loads: set[int] = set()


class ProbeAssertion:
    """Probe the block, then check its report; ``.report`` stays available."""

    def __init__(self) -> None:
        self._probe = probe()
        self.report: Report | None = None

    def check(self, report: Report) -> str | None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.report = self._probe.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._probe.__exit__(exc_type, exc, tb)
        if exc_type is not None:
            return  # the block's own failure is the one to see
        assert self.report is not None
        message = self.check(self.report)
        if message is not None:
            raise AssertionError(message)

    async def __aenter__(self) -> Self:
        return self.__enter__()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.__exit__(exc_type, exc, tb)


class _LazyLoads(ProbeAssertion):
    def __init__(self, count: int, which: LoadFilter) -> None:
        super().__init__()
        self.count = count
        self.which = which

    def check(self, report: Report) -> str | None:
        message = check_lazy_loads(report, self.count, self.which)
        if message is None:
            expected_loads.update(id(load) for load in report.loads if self.which(load))
        return message


class _ThreadHops(ProbeAssertion):
    def __init__(self, count: int, cause: str | None, at_most: bool) -> None:
        super().__init__()
        self.count, self.cause, self.at_most = count, cause, at_most

    def check(self, report: Report) -> str | None:
        return check_thread_hops(report, self.count, self.cause, at_most=self.at_most)


class _BlockingCacheCalls(ProbeAssertion):
    def check(self, report: Report) -> str | None:
        return check_blocking_cache_calls(report)


def assert_no_lazy_loads(
    *,
    async_views_only: bool = False,
    model: str | None = None,
    field: str | None = None,
) -> ProbeAssertion:
    """Fail if the block lazily loads a relation (narrowed by the filters)."""
    return _LazyLoads(0, LoadFilter(async_views_only, model, field))


def assert_lazy_loads(
    count: int,
    *,
    async_views_only: bool = False,
    model: str | None = None,
    field: str | None = None,
) -> ProbeAssertion:
    """Exactly ``count`` lazy loads: documents a known N+1 (and tells the pytest
    plugin's strict mode that these are expected)."""
    return _LazyLoads(count, LoadFilter(async_views_only, model, field))


def assert_max_thread_hops(count: int, *, cause: str | None = None) -> ProbeAssertion:
    """At most ``count`` thread hops (of one ``cause``, e.g. ``"middleware"``)."""
    return _ThreadHops(count, cause, at_most=True)


def assert_thread_hops(count: int, *, cause: str | None = None) -> ProbeAssertion:
    """Exactly ``count`` thread hops: pins a request's cost so a change shows."""
    return _ThreadHops(count, cause, at_most=False)


def assert_no_blocking_cache_calls() -> ProbeAssertion:
    """Fail if the block calls the sync cache API on the event loop."""
    return _BlockingCacheCalls()


class AsyncProbeTestMixin:
    """Assertions for ``SimpleTestCase``, ``TestCase`` and ``TransactionTestCase``.

    Each returns a context manager, for ``with`` and ``async with``.
    """

    def assertNoLazyLoads(self, **filters: Any) -> ProbeAssertion:
        return assert_no_lazy_loads(**filters)

    def assertLazyLoads(self, count: int, **filters: Any) -> ProbeAssertion:
        return assert_lazy_loads(count, **filters)

    def assertMaxThreadHops(
        self, count: int, *, cause: str | None = None
    ) -> ProbeAssertion:
        return assert_max_thread_hops(count, cause=cause)

    def assertThreadHops(
        self, count: int, *, cause: str | None = None
    ) -> ProbeAssertion:
        return assert_thread_hops(count, cause=cause)

    def assertNoBlockingCacheCalls(self) -> ProbeAssertion:
        return assert_no_blocking_cache_calls()
