"""The audit's text output: the endpoint table and "what to fix first"."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from ..chain import MiddlewareCost
from ..events import CacheCall
from ..summary import cache_fix
from .routes import Skipped
from .runner import Result

COLUMNS = ("endpoint", "view", "status", "hops", "by cause", "lazy", "blocking", "ms")


def table(results: Sequence[Result]) -> list[str]:
    """One row per endpoint; ``*`` marks counts that differed between runs."""
    rows = [COLUMNS]
    for result in results:
        report = result.report
        mark = "" if result.stable else "*"
        rows.append(
            (
                result.endpoint.label,
                _kind(report.async_view, report.view),
                str(report.status),
                f"{report.thread_hops}{mark}",
                ", ".join(f"{c} {n}" for c, n in report.hops_by_cause.items()) or "-",
                f"{report.lazy_loads}{mark}",
                f"{report.blocking_cache_calls}{mark}",
                f"{result.median_ms:.2f}",
            )
        )
    return align(rows, right={2, 3, 5, 6, 7})


def _kind(async_view: bool | None, view: str | None) -> str:
    if view is None:
        return "-"  # no view ran: a middleware answered
    return "async" if async_view else "sync"


def align(rows: Sequence[Sequence[str]], right: Collection[int] = ()) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


@dataclass
class _Loads:
    label: str
    kind: str
    callsite: str | None
    suggestion: str
    per_request: int = 0
    async_view: bool = False
    contexts: dict[str, None] = field(default_factory=dict)
    endpoints: list[str] = field(default_factory=list)


@dataclass
class _Blocking:
    call: CacheCall
    per_request: int = 0
    endpoints: list[str] = field(default_factory=list)


def fix_first(
    results: Sequence[Result],
    costs: Sequence[MiddlewareCost],
    hop_price_s: float | None,
) -> list[str]:
    # Lazy loads and blocking calls in async views are bugs; middleware is cost.
    lines = ["What to fix first"]
    lines += _lazy_loads(results)
    lines += _blocking(results)
    lines += _middleware(costs, hop_price_s)
    if len(lines) == 1:
        lines.append("  nothing: no costly middleware, lazy loads or blocking calls")
    return lines


def _middleware(
    costs: Sequence[MiddlewareCost], hop_price_s: float | None
) -> list[str]:
    costly = sorted((c for c in costs if c.hops), key=lambda c: -c.hops)
    if not costly:
        return []
    price = (
        f"{hop_price_s * 1000:.3f} ms per hop, the median measured here"
        if hop_price_s is not None
        else "no hop measured"
    )
    total = sum(cost.hops for cost in costly)
    lines = [f"  Middleware: {total} thread hops on every request under ASGI ({price})"]
    for cost in costly:
        if not cost.path.startswith("django."):
            kind = "sync-only" if cost.sync_only else "MiddlewareMixin"
            lines.append(f"    {_hops(cost.hops, hop_price_s)}  {cost.path} ({kind})")
            lines.append(f"        {'; '.join(cost.reasons)}")
    django = [cost for cost in costly if cost.path.startswith("django.")]
    if django:
        lines.append("    Django's own (drop the ones the project does not use):")
        lines += [f"      {_hops(c.hops, hop_price_s)}  {c.path}" for c in django]
    return lines


def _hops(hops: int, price_s: float | None) -> str:
    text = f"{hops} hop{'s' if hops != 1 else ''}"
    return f"{text} ~ {hops * price_s * 1000:.2f} ms" if price_s is not None else text


def _lazy_loads(results: Sequence[Result]) -> list[str]:
    found: dict[tuple[str, str, str | None], _Loads] = {}
    for result in results:
        for group in result.report.load_groups:
            site = str(group.callsite) if group.callsite else None
            entry = found.setdefault(
                (group.label, group.kind, site),
                _Loads(group.label, group.kind, site, group.suggestion),
            )
            entry.per_request = max(entry.per_request, group.count)
            entry.async_view |= any(load.async_view for load in group.loads)
            entry.contexts.update(dict.fromkeys(group.contexts))
            entry.endpoints.append(result.key)
    if not found:
        return []
    lines = ["  Lazy loads (an async view's are bugs: on the event loop Django raises)"]
    ordered = sorted(found.values(), key=lambda e: (not e.async_view, -e.per_request))
    for entry in ordered:
        where = f" at {entry.callsite}" if entry.callsite else ""
        view = "async view" if entry.async_view else "sync view"
        n_plus_one = " (N+1)" if entry.per_request > 1 else ""
        lines.append(
            f"    {entry.per_request}x {entry.label} ({entry.kind}, "
            f"{'/'.join(entry.contexts)}, {view}){where}{n_plus_one}"
        )
        lines.append(f"        in {', '.join(entry.endpoints)}")
        lines.append(f"        fix: {entry.suggestion}")
    return lines


def _blocking(results: Sequence[Result]) -> list[str]:
    found: dict[tuple[str, str, str | None], _Blocking] = {}
    for result in results:
        per_site: dict[tuple[str, str, str | None], int] = {}
        for call in result.report.cache:
            if call.blocking:
                site = str(call.callsite) if call.callsite else None
                key = (call.alias, call.method, site)
                per_site[key] = per_site.get(key, 0) + 1
                found.setdefault(key, _Blocking(call))
        for key, count in per_site.items():
            found[key].per_request = max(found[key].per_request, count)
            found[key].endpoints.append(result.key)
    if not found:
        return []
    lines = ["  Blocking cache calls (each stalls every request on the event loop)"]
    for entry in sorted(found.values(), key=lambda e: -e.per_request):
        call = entry.call
        where = f" at {call.callsite}" if call.callsite else ""
        lines.append(
            f"    {entry.per_request}x cache.{call.method}() on {call.alias!r}{where}"
        )
        lines.append(f"        in {', '.join(entry.endpoints)}")
        lines.append(f"        fix: {cache_fix(call)}")
    return lines


def skipped(routes: Sequence[Skipped]) -> list[str]:
    if not routes:
        return []
    lines = [f"Skipped {len(routes)} of the URLconf's routes:"]
    lines += [f"  {route.path}  ({route.reason})" for route in routes]
    return lines
