"""The baseline gate: written when missing, passes within budget, fails above it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from tests.audit.helpers import PROBE, STARTPROJECT, audit

URLS = ("--url", "/async_plain/", "--url", "/sync_plain/", "--repeat", "1")
BUDGETS = {
    "GET /async_plain/": {"blocking_cache_calls": 0, "lazy_loads": 0, "thread_hops": 2},
    "GET /sync_plain/": {"blocking_cache_calls": 0, "lazy_loads": 0, "thread_hops": 3},
}


@pytest.fixture(autouse=True)
def _minimal_stack(settings: Any, transactional_db: None) -> None:
    settings.MIDDLEWARE = [PROBE]


def test_a_missing_baseline_is_written_with_each_endpoints_counts(
    tmp_path: Path,
) -> None:
    path = tmp_path / "baseline.json"
    run = audit(*URLS, "--baseline", str(path))
    assert run.status == 0
    assert f"Wrote the baseline {path} (2 endpoints)." in run.out
    assert json.loads(path.read_text()) == {"version": 1, "endpoints": BUDGETS}


def test_within_budget_passes(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    audit(*URLS, "--baseline", str(path))
    run = audit(*URLS, "--baseline", str(path))
    assert run.status == 0
    assert f"Every endpoint is within the baseline {path}." in run.out


def test_a_regression_fails_with_the_endpoint_and_the_counts(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    audit(*URLS, "--baseline", str(path))
    # The same endpoints behind Django's default middleware stack: 13 more hops.
    with override_settings(MIDDLEWARE=[PROBE, *STARTPROJECT]):
        run = audit(*URLS, "--baseline", str(path))
    assert run.status == 1
    regressions = run.out[run.out.index("Regressions") :].splitlines()
    assert regressions[:3] == [
        f"Regressions against the baseline {path}:",
        "  GET /async_plain/: thread_hops 2 -> 15 (+13)",
        "  GET /sync_plain/: thread_hops 3 -> 16 (+13)",
    ]
    assert run.message == (
        "async_probe audit: 2 endpoints went over the baseline budget: "
        "GET /async_plain/: thread_hops 2 -> 15 (+13); "
        "GET /sync_plain/: thread_hops 3 -> 16 (+13)"
    )
    # The failed run leaves the budgets alone.
    assert json.loads(path.read_text())["endpoints"] == BUDGETS


def test_improvements_new_and_missing_endpoints_pass(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    budgets = {
        "GET /async_plain/": {**BUDGETS["GET /async_plain/"], "thread_hops": 5},
        "GET /gone/": BUDGETS["GET /sync_plain/"],
    }
    path.write_text(json.dumps({"version": 1, "endpoints": budgets}))
    run = audit(*URLS, "--baseline", str(path))
    assert run.status == 0
    tail = run.out[run.out.index("Better than") :].splitlines()
    assert tail[:6] == [
        f"Better than the baseline {path} (tighten it with --write-baseline):",
        "  GET /async_plain/: thread_hops 5 -> 2",
        f"Not in the baseline {path} (no budget yet):",
        "  GET /sync_plain/",
        f"In the baseline {path} but not audited this time:",
        "  GET /gone/",
    ]


def test_write_baseline_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"version": 1, "endpoints": {}}))
    assert audit(*URLS, "--baseline", str(path), "--write-baseline").status == 0
    assert json.loads(path.read_text())["endpoints"] == BUDGETS


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "{not json",
            ":1:2: not valid JSON (Expecting property name enclosed in double quotes)",
        ),
        (
            '{"endpoints": {}}',
            ": expected {'version': 1, 'endpoints': {...}} "
            "as written by --write-baseline",
        ),
        (
            '{"version": 1, "endpoints": {"GET /x/": {"thread_hops": "2"}}}',
            ": 'GET /x/' needs integer thread_hops, lazy_loads, blocking_cache_calls",
        ),
    ],
)
def test_a_malformed_baseline_is_bad_input(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(content)
    run = audit(*URLS, "--baseline", str(path))
    assert run.status == 2
    assert run.err.splitlines() == [f"error: baseline {path}{message}"]
    assert "GET /async_plain/" in run.rows()  # the audit itself still ran


def test_write_baseline_needs_a_file() -> None:
    run = audit(*URLS, "--write-baseline")
    assert (run.status, run.message) == (2, "--write-baseline needs --baseline FILE")
