"""The panel's stats: a request's report flattened into JSON-safe rows.

The toolbar keeps panel stats in its store (``MemoryStore`` serializes them to
JSON, the database and cache stores persist them), so everything here is made
of str, int, float, bool, None, lists and dicts, rounded for display once, and
the template only lays it out.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from async_probe.events import Callsite, ThreadHop
from async_probe.report import Report
from async_probe.summary import cache_fix

_HOOKS = frozenset(
    {
        "process_request",
        "process_response",
        "process_view",
        "process_exception",
        "process_template_response",
    }
)
# A hop shorter than this still gets a visible bar on the timeline.
_MIN_BAR_PCT = 0.4


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def _site(callsite: Callsite | None) -> str | None:
    return None if callsite is None else str(callsite)


def middleware_of(hop: ThreadHop) -> str:
    """The middleware a middleware hop belongs to: its hook name stripped."""
    module, _, last = hop.target.rpartition(".")
    return module if last in _HOOKS else hop.target


def _timeline(hop: ThreadHop, start_ns: int, span_ns: int) -> dict[str, float]:
    offset = max(0.0, (hop.at_ns - start_ns) / span_ns * 100)
    wait = hop.wait_s * 1e9 / span_ns * 100
    run = max(hop.run_s * 1e9 / span_ns * 100, _MIN_BAR_PCT)
    offset = min(offset, 100 - run)
    return {
        "start_ms": round((hop.at_ns - start_ns) / 1e6, 3),
        "bar_x": round(offset, 3),
        "bar_wait": round(min(wait, 100 - offset), 3),
        "bar_run_x": round(min(offset + wait, 100 - run), 3),
        "bar_run": round(run, 3),
    }


def _hops(report: Report, start_ns: int, end_ns: int) -> list[dict[str, Any]]:
    span = max(end_ns - start_ns, 1)
    rows = []
    for number, hop in enumerate(report.hops, 1):
        rows.append(
            {
                "n": number,
                "direction": hop.direction,
                "cause": hop.cause,
                "target": hop.target,
                "thread_sensitive": hop.thread_sensitive,
                "wait_ms": _ms(hop.wait_s),
                "run_ms": _ms(hop.run_s),
                "callsite": _site(hop.callsite),
                **_timeline(hop, start_ns, span),
            }
        )
    return rows


def _by_cause(report: Report) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for hop in report.hops:
        row = rows.setdefault(hop.cause, {"cause": hop.cause, "hops": 0, "ms": 0.0})
        row["hops"] += 1
        row["ms"] += (hop.wait_s + hop.run_s) * 1000
    for row in rows.values():
        row["ms"] = round(row["ms"], 3)
    return sorted(rows.values(), key=lambda row: (-row["hops"], row["cause"]))


def _by_target(report: Report) -> list[dict[str, Any]]:
    # Middleware are totalled per class (what "this middleware costs N hops"
    # means); every other hop per target.
    counts: Counter[tuple[str, str]] = Counter()
    for hop in report.hops:
        if hop.cause == "middleware" or (
            hop.cause == "auth" and hop.target.rpartition(".")[2] in _HOOKS
        ):
            counts["middleware", middleware_of(hop)] += 1
        else:
            counts[hop.cause, hop.target] += 1
    return [
        {"cause": cause, "target": target, "hops": count}
        for (cause, target), count in sorted(
            counts.items(), key=lambda item: (-item[1], item[0])
        )
    ]


def _load_groups(report: Report, stacks: bool) -> list[dict[str, Any]]:
    rows = []
    for number, group in enumerate(report.load_groups, 1):
        first = group.loads[0]
        rows.append(
            {
                "n": number,
                "label": group.label,
                "kind": group.kind,
                "count": group.count,
                "n_plus_one": group.count > 1,
                "callsite": _site(group.callsite),
                "origin": _site(first.origin),
                "contexts": list(group.contexts),
                "async_view": first.async_view,
                "suggestion": group.suggestion,
                "stack": "\n".join(first.stack) if stacks else "",
            }
        )
    return rows


def _cache_calls(report: Report) -> list[dict[str, Any]]:
    return [
        {
            "n": number,
            "method": call.method,
            "alias": call.alias,
            # The panel is a development tool: show the key as the code wrote it.
            "key": call.raw_key if call.raw_key is not None else call.key,
            "duration_ms": _ms(call.duration_s),
            "blocking": call.blocking,
            "context": call.context,
            "callsite": _site(call.callsite),
            "fix": cache_fix(call) if call.blocking else "",
        }
        for number, call in enumerate(report.cache, 1)
    ]


def build(
    report: Report, start_ns: int, end_ns: int, *, final: bool, stacks: bool
) -> dict[str, Any]:
    """Everything the panel shows about one request, from its report.

    ``start_ns`` / ``end_ns`` bound the timeline (the request scope's start and
    end, or now for a snapshot taken while it is still open); ``final`` says the
    scope has closed, so nothing more will be added to these numbers.
    """
    counts = {
        "thread_hops": report.thread_hops,
        "lazy_loads": report.lazy_loads,
        "blocking_cache_calls": report.blocking_cache_calls,
        "cache_calls": report.cache_calls,
        "dropped_events": report.dropped_events,
    }
    return {
        "recorded": True,
        "final": final,
        "counts": counts,
        "request": {
            "method": report.method,
            "path": report.path,
            "status": report.status,
            "view": report.view,
            "async_view": report.async_view,
        },
        "duration_ms": round((end_ns - start_ns) / 1e6, 3),
        "hop_wait_ms": _ms(report.hop_wait_s),
        "hop_run_ms": _ms(report.hop_run_s),
        "hops": _hops(report, start_ns, end_ns),
        "hops_by_cause": _by_cause(report),
        "hops_by_target": _by_target(report),
        "load_groups": _load_groups(report, stacks),
        "n_plus_one_groups": sum(1 for g in report.load_groups if g.count > 1),
        "cache_calls": _cache_calls(report),
        "stacks": stacks,
    }


def not_recorded(reason: str) -> dict[str, Any]:
    """Stats for a request the probe did not record, saying why."""
    return {"recorded": False, "reason": reason}
