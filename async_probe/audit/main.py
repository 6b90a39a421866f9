"""The audit from start to exit status; the management command only parses options.

Exit status: 0 clean; 1 when an async view lazily loaded or made a blocking
cache call, or an endpoint's budget regressed against the baseline; 2 when some
input was bad (an unknown URL name or user, a path that matches no route, a
malformed file, a request that raised). Bad input is reported and skipped: every
other endpoint still runs and is reported, and 2 wins over 1 because a gate
that skipped endpoints has not checked them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connections

from ..chain import middleware_costs
from . import baseline, tables
from .endpoints import Endpoint, InputError, from_url_option, read_file
from .progress import TerminalProgress
from .routes import Skipped, discover
from .runner import Result, Runner, hop_price_s

Emit = Callable[[str], None]
OK, FINDINGS, BAD_INPUT = 0, 1, 2


@dataclass
class Options:
    urls: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    user: str | None = None
    repeat: int = 5
    warmup: int = 1
    wsgi: bool = False
    #: None: the text report; "-": JSON on stdout instead; a path: both, the
    #: JSON written to that file.
    json: str | None = None
    baseline: str | None = None
    write_baseline: bool = False


@dataclass
class Outcome:
    status: int
    message: str
    results: list[Result]


class SetupError(Exception):
    """The audit cannot run at all (no request would measure anything)."""


def check_setup() -> None:
    from ..conf import get_settings
    from ..instrument import is_installed

    if not get_settings().enabled or not is_installed():
        raise SetupError(
            "async_probe is not recording: add 'async_probe' to INSTALLED_APPS and "
            "leave ASYNC_PROBE['ENABLED'] True"
        )
    for alias in connections:
        db = connections[alias].settings_dict
        name = str(db.get("NAME") or "")
        if "sqlite" in db.get("ENGINE", "") and _private_memory(name):
            raise SetupError(
                f"database {alias!r} is SQLite in memory ({name}): every request "
                "runs in a thread of its own and would see its own empty database. "
                "Point NAME at a file, or use another database."
            )


def _private_memory(name: str) -> bool:
    if name in ("", ":memory:"):
        return True
    return "mode=memory" in name and "cache=shared" not in name


def collect(options: Options) -> tuple[list[Endpoint], list[Skipped], list[InputError]]:
    endpoints: list[Endpoint] = []
    errors: list[InputError] = []
    for value in options.urls:
        try:
            endpoints.append(from_url_option(value, options.user))
        except InputError as exc:
            errors.append(exc)
    for path in options.files:
        found, bad = read_file(path)
        endpoints += found
        errors += bad
    if options.urls or options.files:
        return endpoints, [], errors
    found, skipped = discover(options.user)
    return found, skipped, errors


def run(
    options: Options, out: Emit, err: Emit, progress: TerminalProgress | None = None
) -> Outcome:
    check_setup()
    endpoints, skipped, errors = collect(options)
    runner = Runner(options.repeat, options.warmup, progress)
    results = runner.run_asgi(endpoints)
    if options.wsgi:
        results += runner.run_wsgi(endpoints)
    errors += runner.errors
    if progress is not None:
        progress.clear()
    comparison, baseline_lines = _baseline(options, results, errors)

    rows = json.dumps([result.as_dict() for result in results], indent=2)
    if options.json == "-":
        out(rows)
        for line in [*tables.skipped(skipped), *baseline_lines]:
            err(line)
    else:
        _print_text(options, results, skipped, baseline_lines, out)
        if options.json is not None:
            Path(options.json).write_text(rows + "\n")
    for error in errors:
        err(f"error: {error}")
    return _outcome(results, errors, comparison)


def _baseline(
    options: Options, results: list[Result], errors: list[InputError]
) -> tuple[baseline.Comparison | None, list[str]]:
    path = options.baseline
    if path is None:
        return None, []
    if options.write_baseline or not Path(path).exists():
        if errors:
            return None, [f"Not writing the baseline {path}: fix the errors first."]
        baseline.write(path, results)
        return None, [f"Wrote the baseline {path} ({len(results)} endpoints)."]
    try:
        comparison = baseline.compare(results, baseline.load(path))
    except InputError as exc:
        errors.append(exc)
        return None, []
    return comparison, comparison.lines(path)


def _print_text(
    options: Options,
    results: list[Result],
    skipped: list[Skipped],
    baseline_lines: list[str],
    out: Emit,
) -> None:
    db = connections["default"]
    out(
        f"async_probe audit: {_settings_name()}, database "
        f"{db.vendor} {db.settings_dict.get('NAME')}; {options.warmup} warm-up + "
        f"{_plural(options.repeat, 'measured run')} per endpoint"
    )
    for handler in ("asgi", "wsgi"):
        rows = [result for result in results if result.handler == handler]
        if not rows:
            continue
        out("")
        out(f"{handler.upper()} ({_plural(len(rows), 'endpoint')})")
        for line in tables.table(rows):
            out(line)
        if not all(result.stable for result in rows):
            out("* counts differed between runs; the last run's are shown")
    out("")
    asgi_results = [result for result in results if result.handler == "asgi"]
    costs = middleware_costs(list(settings.MIDDLEWARE), is_async=True)
    for line in tables.fix_first(results, costs, hop_price_s(asgi_results)):
        out(line)
    for section in (tables.skipped(skipped), baseline_lines):
        if section:
            out("")
            for line in section:
                out(line)


def _settings_name() -> str:
    return settings.SETTINGS_MODULE or os.environ.get(
        "DJANGO_SETTINGS_MODULE", "settings"
    )


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _outcome(
    results: list[Result],
    errors: list[InputError],
    comparison: baseline.Comparison | None,
) -> Outcome:
    if errors:
        return Outcome(
            BAD_INPUT,
            f"{_plural(len(errors), 'input error')}, listed above; the other "
            "endpoints ran",
            results,
        )
    problems = []
    findings = [result.key for result in results if result.finding]
    if findings:
        problems.append(
            f"{_plural(len(findings), 'async view endpoint')} lazily loaded or made "
            f"blocking cache calls: {', '.join(findings)}"
        )
    if comparison is not None and comparison.regressions:
        problems.append(
            f"{_plural(len(comparison.regressions), 'endpoint')} went over the "
            "baseline budget: " + "; ".join(comparison.regressions)
        )
    if problems:
        return Outcome(FINDINGS, "; ".join(problems), results)
    return Outcome(
        OK, f"{_plural(len(results), 'endpoint')} audited, nothing to fail on", results
    )
