"""The audit against the reference backend: its numbers are the ones oj's own
tests pin. Each budgeted oj test makes its request in a fresh session on a cold
cache; the audit does too here (one run, no warm-up, a user per logged-in row,
a new process per variant), against a migrated and seeded temporary SQLite file."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("rest_framework", reason="the oj extra is not installed")
pytest.importorskip("dj_database_url", reason="the oj extra is not installed")

REPO = Path(__file__).resolve().parents[2]
APPKEY = "oj-demo-open-api-appkey"  # oj.utils.demo_data.OPEN_API_APPKEY

# (endpoint, the oj test file, the text of the call that pins its hops, which
# occurrence of that text). Requests and data match the oj test's: e.g. the
# seeded announcement 1 is visible, student04 has submissions to list.
HARDENED = [
    (
        {"path": "/api/announcement?limit=2"},
        "announcement",
        '"/api/announcement?limit=2"',
        0,
    ),
    (
        {"path": "/api/announcement?id=1"},
        "announcement",
        'f"/api/announcement?id={announcement.id}"',
        0,
    ),
    ({"path": "/api/contests?limit=10"}, "contest", '"/api/contests?limit=10"', 0),
    (
        {"path": "/api/contest?id=1"},
        "contest",
        'f"/api/contest?id={self.contest.id}", hops=',
        0,
    ),
    ({"path": "/api/contest?id=999999"}, "contest", '"/api/contest?id=999999"', 0),
    ({"path": "/api/contest"}, "contest", 'f"/api/contest{query}"', 0),
    ({"path": "/api/problem/tags"}, "problem", 'self.aget("/api/problem/tags"', 0),
    (
        {"path": "/api/problem/tags?keyword=ma"},
        "problem",
        '"/api/problem/tags?keyword=ma"',
        0,
    ),
    ({"path": "/api/problem"}, "problem", 'self.aget("/api/problem", hops=', 0),
    (
        {"path": "/api/problem?limit=10&tag=Loop"},
        "problem",
        '"/api/problem?limit=10&tag=Loop"',
        0,
    ),
    (
        {"path": "/api/problem?limit=10&sort=_id", "user": "student01"},
        "problem",
        '"/api/problem?limit=10&sort=_id"',
        0,
    ),
    (
        {"path": "/api/problem?problem_id=1001", "user": "student02"},
        "problem",
        '"/api/problem?problem_id=1001"',
        0,
    ),
    ({"path": "/api/submissions?limit=10"}, "submission", "self.get(hops=", 0),
    (
        {"path": "/api/submissions?limit=10", "user": "disabled"},
        "submission",
        "self.get(hops=",
        1,
    ),
    (
        {"path": "/api/submissions?limit=10", "user": "student04"},
        "submission",
        "self.get(hops=",
        2,
    ),
    (
        {"path": "/api/message?limit=10", "user": "student05"},
        "message",
        '"/api/message?limit=10"',
        0,
    ),
    ({"path": "/api/message"}, "message", 'self.aget("/api/message", hops=', 0),
    (
        {"path": "/api/admin/user"},
        "account/test_middleware.py",
        'self.aget("/api/admin/user", hops=',
        0,
    ),
    (
        {"path": "/api/admin/user", "user": "student03"},
        "account/test_middleware.py",
        'self.aget("/api/admin/user", hops=',
        1,
    ),
    (
        {"path": "/api/admin/user?keyword=stud", "user": "root"},
        "account/test_middleware.py",
        '"/api/admin/user?keyword=stud"',
        0,
    ),
    (
        {"path": "/api/submissions?limit=1", "headers": {"appkey": APPKEY}},
        "account/test_middleware.py",
        '"/api/submissions?limit=1", headers={"appkey": "k" * 32}',
        0,
    ),
    (
        {
            "path": "/api/announcement",
            "user": "student06",
            "headers": {"user-agent": "pytest"},
        },
        "account/test_middleware.py",
        '"/api/announcement", headers={"user-agent": "pytest"}',
        0,
    ),
]


def pinned(test_file: str, call: str, occurrence: int) -> int:
    """The ``hops=N`` of the ``occurrence``-th call holding ``call`` in an oj test."""
    if "/" not in test_file:
        test_file = f"{test_file}/test_views.py"
    lines = (REPO / "oj" / test_file).read_text().splitlines()
    starts = [n for n, line in enumerate(lines) if call in line]
    start = starts[occurrence]
    match = re.search(r"hops=(\d+)", "\n".join(lines[start : start + 4]))
    assert match, f"no hops= after {call!r} in oj/{test_file}:{start + 1}"
    return int(match.group(1))


def line_of(path: str, statement: str) -> str:
    lines = (REPO / path).read_text().splitlines()
    return f"{path}:{next(n for n, text in enumerate(lines, 1) if statement in text)}"


@pytest.fixture(scope="module")
def oj_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("oj")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp / 'db.sqlite3'}"
    env["PYTHONPATH"] = str(REPO)
    for command in (["migrate", "-v0"], ["seed_demo"]):
        manage(env, "oj.settings", *command, check=True)
    return env


def manage(env: dict[str, str], settings: str, *args: str, check: bool = False) -> Any:
    return subprocess.run(
        [sys.executable, "manage.py", *args, "--settings", settings],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=check,
    )


def audit_oj(
    env: dict[str, str],
    settings: str,
    endpoints: list[dict[str, Any]],
    tmp_path: Path,
    *extra: str,
) -> tuple[int, list[dict[str, Any]], str]:
    file = tmp_path / "endpoints.json"
    file.write_text(json.dumps(endpoints))
    done = manage(
        env, settings, "async_probe_audit", "--file", str(file), "--json",
        "--warmup", "0", "--repeat", "1", "--skip-checks", *extra,
    )  # fmt: skip
    return done.returncode, json.loads(done.stdout), done.stderr


def test_hardened_variant_numbers_equal_the_pinned_ones(
    oj_env: dict[str, str], tmp_path: Path
) -> None:
    status, rows, stderr = audit_oj(
        oj_env, "oj.settings", [e for e, *_ in HARDENED], tmp_path
    )
    assert status == 0, stderr
    measured = {(row["path"], row["user"]): row for row in rows}
    expected = {}
    got = {}
    for endpoint, test_file, call, occurrence in HARDENED:
        key = (endpoint["path"], endpoint.get("user"))
        row = measured[key]
        assert row["status"] == 200
        expected[key] = (pinned(test_file, call, occurrence), 0, 0)
        got[key] = (row["thread_hops"], row["lazy_loads"], row["blocking_cache_calls"])
    assert got == expected


def test_legacy_variant_lazy_loads_and_blocking_calls_equal_the_pinned_ones(
    oj_env: dict[str, str], tmp_path: Path
) -> None:
    """oj/utils/test_legacy_variant.py: one forward lazy load on the event loop per
    detail view, with the suggestion at the view's query; the tag list's cache
    miss makes two blocking calls (get + set), the statistics of a problem without
    comments one (seeded problem 31, a contest problem, has none, like the test's)."""
    endpoints = [
        {"path": "/api/announcement?id=1"},
        {"path": "/api/contest?id=1"},
        {"path": "/api/problem/tags"},
        {"path": "/api/comment/statistics?problem_id=31"},
    ]
    status, rows, _ = audit_oj(oj_env, "oj.settings.legacy", endpoints, tmp_path)
    assert status == 1  # async views that lazily load and block
    by_path = {row["path"]: row for row in rows}
    for path, model, statement in (
        ("/api/announcement?id=1", "announcement.Announcement", "announcement = await"),
        ("/api/contest?id=1", "contest.Contest", "contest = await"),
    ):
        row = by_path[path]
        assert (row["lazy_loads"], row["blocking_cache_calls"], row["async_view"]) == (
            1,
            0,
            True,
        )
        (group,) = row["lazy_load_groups"]
        view_file = f"oj/{model.split('.')[0]}/views/oj.py"
        assert (group["label"], group["kind"], group["contexts"]) == (
            f"{model}.created_by",
            "forward",
            ["event_loop"],
        )
        assert group["suggestion"] == (
            f'add .select_related("created_by") at {line_of(view_file, statement)}'
        )
    assert by_path["/api/problem/tags"]["blocking_cache_calls"] == 2
    assert by_path["/api/comment/statistics?problem_id=31"]["blocking_cache_calls"] == 1
