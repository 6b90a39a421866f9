"""Checks over a report, and failure messages a person can act on.

Shared by the context-manager assertions (:mod:`async_probe.testing`), the
pytest plugin's marker budgets and strict mode, and the fixture.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .events import CacheCall, LazyLoad, ThreadHop
from .report import Report


@dataclass(frozen=True)
class LoadFilter:
    """Which lazy loads an assertion is about."""

    async_views_only: bool = False
    model: str | None = None  # "app_label.Model"
    field: str | None = None

    def __call__(self, load: LazyLoad) -> bool:
        return (
            (not self.async_views_only or load.async_view)
            and (self.model is None or load.model == self.model)
            and (self.field is None or load.field == self.field)
        )

    def describe(self) -> str:
        parts = []
        if self.model or self.field:
            parts.append(f"of {self.model or '*'}.{self.field or '*'}")
        if self.async_views_only:
            parts.append("in async views")
        return (" " + " ".join(parts)) if parts else ""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _context(context: str) -> str:
    return {"event_loop": "on the event loop", "worker": "in a worker thread"}.get(
        context, "in sync code"
    )


def describe_loads(loads: Iterable[LazyLoad]) -> str:
    """One block per (relation, line, request): count, where, and the fix."""
    groups: dict[tuple[object, ...], list[LazyLoad]] = {}
    for load in loads:
        key = (load.model, load.field, load.kind, load.callsite, load.request)
        groups.setdefault(key, []).append(load)
    lines = []
    for (model, field, kind, _, request), group in sorted(
        groups.items(), key=lambda item: -len(item[1])
    ):
        first = group[0]
        callsite = first.callsite
        repeat = f" x{len(group)} (N+1)" if len(group) > 1 else ""
        lines.append(f"  {model}.{field}{repeat}: {kind}, {_context(first.context)}")
        if request:
            lines.append(f"    request: {request}")
        if callsite is not None:
            lines.append(f"    accessed at {callsite} in {callsite.function}")
        lines.append(f"    fix: {first.suggestion}")
    return "\n".join(lines)


def describe_hops(hops: Iterable[ThreadHop]) -> str:
    counts: dict[tuple[str, str], int] = {}
    for hop in hops:
        counts[(hop.cause, hop.target)] = counts.get((hop.cause, hop.target), 0) + 1
    return "\n".join(
        f"  {n}x {cause:<10} {target}"
        for (cause, target), n in sorted(counts.items(), key=lambda item: -item[1])
    )


def describe_cache(calls: Iterable[CacheCall]) -> str:
    lines = []
    for call in calls:
        where = f" at {call.callsite}" if call.callsite else ""
        request = f" during {call.request}" if call.request else ""
        lines.append(
            f"  cache.{call.method}({call.key or ''}) on {call.alias!r}, "
            f"{_context(call.context)}{where}{request}"
        )
        lines.append(f"    fix: await cache.a{call.method}(...) instead")
    return "\n".join(lines)


def _unlisted(report: Report) -> str:
    if not report.dropped_events:
        return ""
    return (
        f"\n  ({report.dropped_events} more events were counted but not listed: "
        "raise ASYNC_PROBE['MAX_EVENTS'] to see them)"
    )


def check_lazy_loads(
    report: Report, expected: int, which: LoadFilter, *, at_most: bool = False
) -> str | None:
    loads = [load for load in report.loads if which(load)]
    # Counts survive MAX_EVENTS; listed events may not. Without a filter the
    # count is the report's own.
    found = report.lazy_loads if which == LoadFilter() else len(loads)
    if found == expected or (at_most and found <= expected):
        return None
    wanted = (
        f"at most {expected}"
        if at_most
        else ("none" if expected == 0 else str(expected))
    )
    return (
        f"{_plural(found, 'lazy load')}{which.describe()}, expected {wanted}:\n"
        f"{describe_loads(loads)}{_unlisted(report)}"
    )


def check_thread_hops(
    report: Report, expected: int, cause: str | None, *, at_most: bool
) -> str | None:
    hops = [hop for hop in report.hops if cause is None or hop.cause == cause]
    found = report.thread_hops if cause is None else len(hops)
    if found == expected or (at_most and found <= expected):
        return None
    wanted = f"at most {expected}" if at_most else f"exactly {expected}"
    of = f" ({cause})" if cause else ""
    return (
        f"{_plural(found, 'thread hop')}{of}, expected {wanted}:\n"
        f"{describe_hops(hops)}{_unlisted(report)}"
    )


def check_blocking_cache_calls(report: Report, expected: int = 0) -> str | None:
    if report.blocking_cache_calls <= expected:
        return None
    calls = [call for call in report.cache if call.blocking]
    wanted = "none" if expected == 0 else f"at most {expected}"
    return (
        f"{_plural(report.blocking_cache_calls, 'blocking cache call')} "
        f"(sync calls on the event loop), expected {wanted}:\n"
        f"{describe_cache(calls)}{_unlisted(report)}"
    )
