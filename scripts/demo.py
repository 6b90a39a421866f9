#!/usr/bin/env python
"""The main job: audit the reference backend before and after the async hardening.

    python scripts/demo.py              # set up, audit both variants, compare
    python scripts/demo.py --markdown   # the README's before/after table only
    python scripts/demo.py --keep       # keep the temporary database and audits

Runs on embedded defaults: a fresh SQLite database in a temporary directory,
migrated and seeded with ``manage.py seed_demo``, and the local-memory cache.
``manage.py async_probe_audit`` then requests the same endpoints in-process
through the ASGI handler of the legacy variant (``oj.settings.legacy``, the
plan's starting point) and of the hardened one (``oj.settings``), and this
script prints their counts side by side. Each audit runs one warm-up request per
endpoint and five measured ones, so the counts are a warm request's: cache hit,
session already recorded. Timings are indicative only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
VARIANTS = (("legacy", "oj.settings.legacy"), ("hardened", "oj.settings"))
APPKEY = "oj-demo-open-api-appkey"  # oj.utils.demo_data.OPEN_API_APPKEY


def endpoints(db: Path) -> list[dict[str, Any]]:
    """The demo's requests: every async endpoint family of the plan, a few views
    it keeps sync, anonymous and logged in. Ids the seed draws at random are
    looked up in the seeded database."""
    with sqlite3.connect(db) as conn:
        flowchart_id, owner, problem_id = conn.execute(
            "SELECT f.id, u.username, f.problem_id FROM flowchart_submission f "
            "JOIN user u ON u.id = f.user_id WHERE f.status = 2 "
            "ORDER BY f.create_time DESC LIMIT 1"
        ).fetchone()
        (recipient,) = conn.execute(
            "SELECT u.username FROM message m JOIN user u ON u.id = m.recipient_id "
            "GROUP BY u.username ORDER BY COUNT(*) DESC, u.username LIMIT 1"
        ).fetchone()
    return [
        {"path": "/api/announcement?limit=10"},
        {"path": "/api/announcement?id=1"},
        {"path": "/api/contests?limit=10"},
        {"path": "/api/contest?id=2"},
        {"path": "/api/problem/tags"},
        {"path": "/api/problem?limit=10"},
        {"path": "/api/problem?problem_id=1001", "user": "student01"},
        {"path": "/api/comment?problem_id=8", "user": "student01"},
        {"path": "/api/comment/statistics?problem_id=8"},
        {"path": "/api/submissions?limit=10", "user": "student01"},
        {"path": "/api/submissions?limit=10", "headers": {"appkey": APPKEY}},
        {"path": "/api/message?limit=10", "user": recipient},
        {"path": "/api/flowchart/submissions?limit=10", "user": owner},
        {"path": f"/api/flowchart/submission?id={flowchart_id}", "user": owner},
        {
            "path": f"/api/flowchart/submission/detail?problem_id={problem_id}",
            "user": owner,
        },
        {"path": "/api/profile", "user": "student01"},
        {"path": "/api/contest/access?contest_id=4", "user": "student01"},
        {"path": "/api/admin/user?limit=10", "user": "root"},
    ]


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def setup(tmp: Path) -> dict[str, str]:
    drop = ("REDIS_URL", "DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["DATABASE_URL"] = f"sqlite:///{tmp / 'db.sqlite3'}"
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(REPO), env.get("PYTHONPATH")])
    )
    for args in (("migrate", "--no-input", "-v0"), ("seed_demo",)):
        say(f"  manage.py {' '.join(args)}")
        done = manage(env, *args)
        if done.returncode != 0:
            sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return env


def audit(env: dict[str, str], tmp: Path, variant: str, settings: str) -> Any:
    """Run the audit; return (rows, text report). Exit status 1 is expected where
    async views lazily load or block (the legacy variant); 2 or a crash is not."""
    rows_file = tmp / f"{variant}.json"
    say(f"  manage.py async_probe_audit --settings {settings}")
    done = manage(
        env,
        "async_probe_audit",
        "--settings",
        settings,
        "--file",
        str(tmp / "endpoints.json"),
        "--json",
        str(rows_file),
        "--skip-checks",
    )
    (tmp / f"{variant}.txt").write_text(done.stdout)
    # stderr also holds the legacy views' own error logs (SynchronousOnlyOperation
    # tracebacks): keep it in the file, show only the audit's own lines.
    (tmp / f"{variant}.stderr.txt").write_text(done.stderr)
    if done.returncode not in (0, 1) or not rows_file.exists():
        ours = [line for line in done.stderr.splitlines() if _ours(line)]
        sys.exit(
            f"the {variant} audit failed (exit status {done.returncode}):\n"
            + "\n".join(ours or done.stderr.splitlines()[-20:])
        )
    return json.loads(rows_file.read_text()), done.stdout, done.returncode


def _ours(line: str) -> bool:
    return line.startswith(("error:", "CommandError:"))


def key(row: dict[str, Any]) -> str:
    who = f" as {row['user']}" if row["user"] else ""
    extra = f" with {', '.join(row['headers'])}" if row["headers"] else ""
    return f"{row['method']} {row['path']}{who}{extra}"


def shorten(label: str) -> str:
    """Long random ids (the seed's 32-hex keys) cut to 8 characters."""
    return re.sub(r"\b([0-9a-f]{8})[0-9a-f]{24}\b", r"\1...", label)


def kind(before: dict[str, Any], after: dict[str, Any]) -> str:
    names = [
        {True: "async", False: "sync", None: "-"}[r["async_view"]]
        for r in (before, after)
    ]
    return names[1] if names[0] == names[1] else f"{names[0]} -> {names[1]}"


def compare(legacy: list[dict[str, Any]], hardened: list[dict[str, Any]]) -> list[Any]:
    after = {key(row): row for row in hardened}
    pairs = []
    for before in legacy:
        row = after.get(key(before))
        if row is not None:
            pairs.append((key(before), before, row))
    return pairs


def change(before: Any, after: Any) -> str:
    return f"{before} -> {after}"


def side_by_side(pairs: list[Any]) -> list[str]:
    header = ("endpoint", "view", "hops", "lazy loads", "blocking calls", "ms")
    table = [header]
    for label, before, after in pairs:
        table.append(
            (
                shorten(label),
                kind(before, after),
                change(before["thread_hops"], after["thread_hops"]),
                change(before["lazy_loads"], after["lazy_loads"]),
                change(before["blocking_cache_calls"], after["blocking_cache_calls"]),
                f"{before['median_ms']:.1f} -> {after['median_ms']:.1f}",
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    return [
        "  ".join(
            cell.ljust(width) for cell, width in zip(row, widths, strict=True)
        ).rstrip()
        for row in table
    ]


def markdown(pairs: list[Any]) -> list[str]:
    lines = [
        "| endpoint | view | thread hops | lazy loads | blocking cache calls |",
        "|---|---|---:|---:|---:|",
    ]
    for label, before, after in pairs:
        cells = [
            f"`{shorten(label)}`",
            kind(before, after).replace("->", "→"),
            *(
                _md_change(before[name], after[name])
                for name in ("thread_hops", "lazy_loads", "blocking_cache_calls")
            ),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _md_change(before: int, after: int) -> str:
    return f"{before} → **{after}**" if before != after else f"{before} → {after}"


def section(text: str, title: str) -> list[str]:
    lines = text.splitlines()
    if title not in lines:
        return []
    start = lines.index(title)
    end = next((i for i in range(start, len(lines)) if not lines[i]), len(lines))
    return lines[start:end]


def totals(rows: list[dict[str, Any]]) -> str:
    async_rows = [row for row in rows if row["async_view"]]
    flagged = sum(1 for r in async_rows if r["lazy_loads"] or r["blocking_cache_calls"])
    return (
        f"{sum(r['thread_hops'] for r in rows)} hops, "
        f"{sum(r['lazy_loads'] for r in rows)} lazy loads, "
        f"{sum(r['blocking_cache_calls'] for r in rows)} blocking cache calls; "
        f"{flagged} of {len(async_rows)} async views lazily load or block"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--markdown", action="store_true", help="print the README's Markdown table"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary directory"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="async-probe-demo-"))
    try:
        say(f"Setting up the reference backend on SQLite in {tmp}")
        env = setup(tmp)
        (tmp / "endpoints.json").write_text(json.dumps(endpoints(tmp / "db.sqlite3")))
        say("Auditing both variants through the ASGI handler")
        legacy, legacy_text, _ = audit(env, tmp, *VARIANTS[0])
        hardened, hardened_text, hardened_status = audit(env, tmp, *VARIANTS[1])
        pairs = compare(legacy, hardened)
        if args.markdown:
            print("\n".join(markdown(pairs)))
            return 0
        report(pairs, legacy, hardened, legacy_text, hardened_text)
        print(f"\nDone in {time.perf_counter() - started:.0f} s.", end="")
        print(f" The full audits are in {tmp}." if args.keep else "")
        # The demo fails when the hardened variant does not pass its own audit.
        return 0 if hardened_status == 0 else 1
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


def report(
    pairs: list[Any],
    legacy: list[dict[str, Any]],
    hardened: list[dict[str, Any]],
    legacy_text: str,
    hardened_text: str,
) -> None:
    print()
    print("async_probe audit of the oj reference backend: legacy -> hardened")
    print("(each endpoint: 1 warm-up request, then the median of 5; ms indicative)")
    print()
    print("\n".join(side_by_side(pairs)))
    print()
    print(f"legacy:   {totals(legacy)}")
    print(f"hardened: {totals(hardened)}")
    for name, text in (("legacy", legacy_text), ("hardened", hardened_text)):
        lines = section(text, "What to fix first")
        if lines:
            print(f"\n[{name}] " + "\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
