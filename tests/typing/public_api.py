"""Typical user code, type-checked by mypy --strict in CI (never run): the public
API must type-check where users call it."""

from __future__ import annotations

from django.core.asgi import get_asgi_application
from django.test import TestCase

from async_probe import LazyLoad, Report, ThreadHop, probe
from async_probe.asgi import ProbeASGIWrapper
from async_probe.signals import report_ready
from async_probe.testing import AsyncProbeTestMixin, assert_no_lazy_loads

application = ProbeASGIWrapper(get_asgi_application())


def on_report(sender: object, report: Report, **kwargs: object) -> None:
    hops: tuple[ThreadHop, ...] = report.hops
    loads: tuple[LazyLoad, ...] = report.loads
    print(len(hops), len(loads), report.as_dict()["thread_hops"])


report_ready.connect(on_report)


def count() -> int:
    with probe() as report:
        pass
    total: int = report.thread_hops + report.lazy_loads + report.blocking_cache_calls
    return total


class Tests(AsyncProbeTestMixin, TestCase):
    async def test_detail(self) -> None:
        async with self.assertNoLazyLoads(async_views_only=True):
            pass
        with self.assertMaxThreadHops(3), assert_no_lazy_loads(field="author"):
            pass
