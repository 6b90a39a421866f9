"""``str(report)``: a summary a person can act on without a debugger."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .events import CacheCall
    from .report import Report

_ASYNC_CACHE_FIX = "await cache.a{method}(...) instead, or move it off the event loop"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def headline(report: Report) -> str:
    counts = (
        f"{plural(report.thread_hops, 'thread hop')}, "
        f"{plural(report.lazy_loads, 'lazy load')}, "
        f"{plural(report.blocking_cache_calls, 'blocking cache call')} "
        f"(of {report.cache_calls})"
    )
    if not report.is_request:
        return f"async_probe: {counts}"
    kind = "async view" if report.async_view else "sync view"
    view = f" [{report.view}, {kind}]" if report.view else ""
    status = f" -> {report.status}" if report.status is not None else ""
    return f"async_probe: {report.method} {report.path}{status}{view}: {counts}"


def cache_fix(call: CacheCall) -> str:
    return _ASYNC_CACHE_FIX.format(method=call.method)


def summarize(report: Report) -> str:
    lines = [headline(report)]
    hops = report.hops
    if hops:
        causes = ", ".join(f"{c} {n}" for c, n in report.hops_by_cause.items())
        lines.append(
            f"  thread hops: {report.thread_hops} ({causes}); waited "
            f"{_ms(report.hop_wait_s)}, ran {_ms(report.hop_run_s)}"
        )
        by_target = Counter((hop.cause, hop.target, hop.callsite) for hop in hops)
        for (cause, target, site), count in by_target.most_common():
            where = f" at {site}" if site is not None and cause != "middleware" else ""
            lines.append(f"    {count}x {cause:<10} {target}{where}")
    for group in report.load_groups:
        n_plus_one = "  (N+1)" if group.count > 1 else ""
        where = f" at {group.callsite}" if group.callsite else ""
        contexts = "/".join(group.contexts)
        lines.append(
            f"  lazy load {group.count}x {group.label} ({group.kind}, {contexts})"
            f"{where}{n_plus_one}"
        )
        lines.append(f"      fix: {group.suggestion}")
    for call in report.cache:
        if not call.blocking:
            continue
        where = f" at {call.callsite}" if call.callsite else ""
        lines.append(
            f"  blocking cache.{call.method}({call.key or ''}) on {call.alias!r} "
            f"for {_ms(call.duration_s)}{where}"
        )
        lines.append(f"      fix: {cache_fix(call)}")
    if report.dropped_events:
        lines.append(
            f"  ({report.dropped_events} more events counted but not listed: "
            "MAX_EVENTS)"
        )
    return "\n".join(lines)
