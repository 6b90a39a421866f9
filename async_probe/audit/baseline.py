"""Budgets per endpoint, kept in a JSON file and compared on the next run.

The file maps each endpoint's key (``GET /api/x?id=1 as alice``, with `` [wsgi]``
for WSGI rows) to its three counts. A count above its budget is a regression;
counts below it are reported so the budget can be tightened with
``--write-baseline``. Endpoints new since the baseline are listed, not failed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .endpoints import InputError
from .runner import Result

VERSION = 1
BUDGETS = ("thread_hops", "lazy_loads", "blocking_cache_calls")


@dataclass
class Comparison:
    regressions: list[str] = field(default_factory=list)
    improvements: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def lines(self, path: str) -> list[str]:
        lines: list[str] = []
        if self.regressions:
            lines.append(f"Regressions against the baseline {path}:")
            lines += [f"  {line}" for line in self.regressions]
        if self.improvements:
            lines.append(
                f"Better than the baseline {path} (tighten it with --write-baseline):"
            )
            lines += [f"  {line}" for line in self.improvements]
        if self.new:
            lines.append(f"Not in the baseline {path} (no budget yet):")
            lines += [f"  {key}" for key in self.new]
        if self.missing:
            lines.append(f"In the baseline {path} but not audited this time:")
            lines += [f"  {key}" for key in self.missing]
        if not lines:
            lines.append(f"Every endpoint is within the baseline {path}.")
        return lines


def budgets(results: Sequence[Result]) -> dict[str, dict[str, int]]:
    return {
        result.key: dict(zip(BUDGETS, result.counts, strict=True)) for result in results
    }


def write(path: str, results: Sequence[Result]) -> None:
    data = {"version": VERSION, "endpoints": budgets(results)}
    Path(path).write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


def load(path: str) -> dict[str, dict[str, int]]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(
            f"baseline {path}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg})"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"baseline {path}: cannot read it ({exc})") from None
    endpoints = data.get("endpoints") if isinstance(data, dict) else None
    if not isinstance(endpoints, dict) or data.get("version") != VERSION:
        raise InputError(
            f"baseline {path}: expected {{'version': {VERSION}, 'endpoints': {{...}}}}"
            " as written by --write-baseline"
        )
    for key, counts in endpoints.items():
        if not isinstance(counts, dict) or not all(
            isinstance(counts.get(name), int) for name in BUDGETS
        ):
            raise InputError(
                f"baseline {path}: {key!r} needs integer {', '.join(BUDGETS)}"
            )
    return endpoints


def compare(
    results: Sequence[Result], baseline: dict[str, dict[str, int]]
) -> Comparison:
    comparison = Comparison()
    current = budgets(results)
    for key, counts in current.items():
        budget = baseline.get(key)
        if budget is None:
            comparison.new.append(key)
            continue
        worse = [
            f"{name} {budget[name]} -> {counts[name]} (+{counts[name] - budget[name]})"
            for name in BUDGETS
            if counts[name] > budget[name]
        ]
        better = [
            f"{name} {budget[name]} -> {counts[name]}"
            for name in BUDGETS
            if counts[name] < budget[name]
        ]
        if worse:
            comparison.regressions.append(f"{key}: {', '.join(worse)}")
        if better:
            comparison.improvements.append(f"{key}: {', '.join(better)}")
    comparison.missing = [key for key in baseline if key not in current]
    return comparison
