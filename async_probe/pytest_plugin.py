"""pytest plugin, registered through the ``pytest11`` entry point.

- fixture ``async_probe``: a live probe over the test, with the assertions as
  methods (they check everything so far in the test);
- marker ``@pytest.mark.async_probe(lazy_loads=0, max_hops=N,
  blocking_cache_calls=0, strict=None)``: budgets for the whole test;
- ``--async-probe-strict`` / ini ``async_probe_strict = true``: fail every test
  in which an async view triggered a lazy load, even one the application caught
  (``SynchronousOnlyOperation`` turned into a 200 by an exception handler).
  Loads a test declared with ``assert_lazy_loads(n)`` are not held against it.

Nothing here imports Django until a test runs: pytest-django configures it first.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

pytest.register_assert_rewrite("async_probe.testing", "async_probe.expectations")

if TYPE_CHECKING:
    from contextvars import Token

    from async_probe.collector import Collector
    from async_probe.expectations import LoadFilter
    from async_probe.report import Report

strict_key = pytest.StashKey[bool]()
MARKER = (
    "async_probe(lazy_loads=None, max_hops=None, blocking_cache_calls=None, "
    "strict=None): budgets (maxima) for the whole test, checked by async_probe; "
    "strict=True/False overrides --async-probe-strict for this test."
)
_BUDGETS = ("lazy_loads", "max_hops", "blocking_cache_calls")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("async_probe")
    group.addoption(
        "--async-probe-strict",
        action="store_true",
        default=None,
        help="Fail every test in which an async view lazily loaded a relation.",
    )
    parser.addini(
        "async_probe_strict",
        type="bool",
        default=False,
        help="Fail every test in which an async view lazily loaded a relation.",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER)
    option = config.getoption("async_probe_strict")
    config.stash[strict_key] = bool(
        config.getini("async_probe_strict") if option is None else option
    )


@dataclass(frozen=True)
class _Plan:
    strict: bool
    budgets: dict[str, int]


def _plan(item: pytest.Item) -> _Plan | None:
    marker = item.get_closest_marker("async_probe")
    kwargs: dict[str, Any] = dict(marker.kwargs) if marker else {}
    unknown = set(kwargs) - {*_BUDGETS, "strict"}
    if unknown or (marker and marker.args):
        raise pytest.UsageError(
            f"{item.nodeid}: @pytest.mark.async_probe takes keyword arguments "
            f"{', '.join(_BUDGETS)} and strict; got {sorted(unknown) or marker.args}"  # type: ignore[union-attr]
        )
    strict = kwargs.pop("strict", None)
    strict = item.config.stash[strict_key] if strict is None else bool(strict)
    budgets = {k: int(v) for k, v in kwargs.items() if v is not None}
    if not strict and not budgets:
        return None
    return _Plan(strict, budgets)


def _open() -> tuple[Collector, tuple[Token[Any], ...]]:
    from dataclasses import replace

    from async_probe.collector import Collector, push
    from async_probe.conf import get_settings
    from async_probe.instrument import is_installed

    if not is_installed():
        raise pytest.UsageError(
            "async_probe is not installed, so its budgets and strict mode would "
            "check nothing: add 'async_probe' to INSTALLED_APPS (ENABLED True)."
        )
    # Strict mode must see every load, not just the first MAX_EVENTS.
    collector = Collector(replace(get_settings(), max_events=1_000_000))
    return collector, push(collector)


def _problems(plan: _Plan, report: Report) -> list[str]:
    from async_probe.expectations import (
        LoadFilter,
        check_blocking_cache_calls,
        check_lazy_loads,
        check_thread_hops,
        describe_loads,
    )
    from async_probe.testing import expected_loads

    problems = []
    if "lazy_loads" in plan.budgets:
        message = check_lazy_loads(
            report, plan.budgets["lazy_loads"], LoadFilter(), at_most=True
        )
        problems.append(message)
    if "max_hops" in plan.budgets:
        problems.append(
            check_thread_hops(report, plan.budgets["max_hops"], None, at_most=True)
        )
    if "blocking_cache_calls" in plan.budgets:
        problems.append(
            check_blocking_cache_calls(report, plan.budgets["blocking_cache_calls"])
        )
    if plan.strict:
        offending = [
            load
            for load in report.loads
            if load.async_view and id(load) not in expected_loads
        ]
        if offending:
            problems.append(
                f"async_probe strict mode: {len(offending)} lazy load(s) in async "
                "views "
                "(each raises SynchronousOnlyOperation on the event loop or is an "
                "N+1 in a worker thread, even where the view caught the error):\n"
                f"{describe_loads(offending)}\n"
                "Preload the relation, or declare a known count with "
                "assert_lazy_loads(n) / @pytest.mark.async_probe(strict=False)."
            )
    return [p for p in problems if p]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    plan = _plan(item)
    if plan is None:
        return (yield)
    from async_probe.collector import pop
    from async_probe.testing import expected_loads

    expected_loads.clear()
    collector, tokens = _open()
    try:
        result = yield
    finally:
        pop(collector, tokens)
    problems = _problems(plan, collector.report())
    expected_loads.clear()
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)
    return result


class ProbeFixture:
    """The ``async_probe`` fixture: everything recorded so far in this test."""

    def __init__(self, report: Report) -> None:
        self.report = report

    @property
    def thread_hops(self) -> int:
        return self.report.thread_hops

    @property
    def lazy_loads(self) -> int:
        return self.report.lazy_loads

    @property
    def cache_calls(self) -> int:
        return self.report.cache_calls

    @property
    def blocking_cache_calls(self) -> int:
        return self.report.blocking_cache_calls

    def _fail(self, message: str | None) -> None:
        if message is not None:
            raise AssertionError(message)

    def _filter(self, **filters: Any) -> LoadFilter:
        from async_probe.expectations import LoadFilter

        return LoadFilter(**filters)

    def assert_no_lazy_loads(self, **filters: Any) -> None:
        from async_probe.expectations import check_lazy_loads

        self._fail(check_lazy_loads(self.report, 0, self._filter(**filters)))

    def assert_lazy_loads(self, count: int, **filters: Any) -> None:
        from async_probe.expectations import check_lazy_loads
        from async_probe.testing import expected_loads

        which = self._filter(**filters)
        self._fail(check_lazy_loads(self.report, count, which))
        expected_loads.update(id(load) for load in self.report.loads if which(load))

    def assert_max_thread_hops(self, count: int, *, cause: str | None = None) -> None:
        from async_probe.expectations import check_thread_hops

        self._fail(check_thread_hops(self.report, count, cause, at_most=True))

    def assert_thread_hops(self, count: int, *, cause: str | None = None) -> None:
        from async_probe.expectations import check_thread_hops

        self._fail(check_thread_hops(self.report, count, cause, at_most=False))

    def assert_no_blocking_cache_calls(self) -> None:
        from async_probe.expectations import check_blocking_cache_calls

        self._fail(check_blocking_cache_calls(self.report))


@pytest.fixture
def async_probe() -> Iterator[ProbeFixture]:
    """A live probe over the rest of the test (its fixtures' teardown excluded)."""
    from async_probe.collector import probe

    scope = probe()
    report = scope.__enter__()
    try:
        yield ProbeFixture(report)
    finally:
        scope.__exit__(None, None, None)
