"""The README's main job, end to end: ``scripts/demo.py --markdown``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("rest_framework", reason="the oj extra is not installed")
pytest.importorskip("dj_database_url", reason="the oj extra is not installed")

REPO = Path(__file__).resolve().parents[2]


def test_demo_prints_the_before_after_table() -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "scripts/demo.py", "--markdown"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert lines[:2] == [
        "| endpoint | view | thread hops | lazy loads | blocking cache calls |",
        "|---|---|---:|---:|---:|",
    ]
    rows = {}
    for line in lines[2:]:
        endpoint, view, hops, lazy, blocking = line.strip("| ").split(" | ")
        rows[endpoint.strip("`")] = (view, hops, lazy, blocking)
    assert len(rows) == 18
    # The hardened variant: no lazy load, no blocking cache call anywhere.
    for _view, _hops, lazy, blocking in rows.values():
        assert lazy.endswith(("→ 0", "→ **0**")) and blocking.endswith(
            ("→ 0", "→ **0**")
        )
    # The legacy detail views lazily load created_by / user (oj's Task 1 tests),
    # the Task 4 views read the cache with the sync API on the event loop.
    assert rows["GET /api/announcement?id=1"][2] == "1 → **0**"
    assert rows["GET /api/contest?id=2"][2] == "1 → **0**"
    assert rows["GET /api/problem/tags"][3] == "1 → **0**"
    assert rows["GET /api/comment/statistics?problem_id=8"][3] == "1 → **0**"
    # Task 6 turned sync list views async.
    assert rows["GET /api/contests?limit=10"][0] == "sync → async"
