#!/usr/bin/env python
"""Run the whole suite: the library's tests, then the reference backend's (with
the pytest plugin's strict mode on), first on SQLite + local memory, then again
on PostgreSQL + Redis.

PostgreSQL and Redis are used when reachable. With ASYNC_PROBE_REQUIRE_SERVICES=1
(set by .ci/run) a missing service is a failure; otherwise that pass is skipped
with a one-line reason.

    python scripts/run-tests.py [--db sqlite|postgresql|all] [pytest args...]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/async_probe"
)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
SUITES = {
    "library": ["tests", "--ignore=tests/panels"],
    # The panel's tests need the toolbar installed at start-up.
    "panels": ["tests/panels", "--ds=tests.panels.settings"],
    "oj": ["oj", "--ds=oj.settings", "--async-probe-strict"],
}


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def services_missing() -> list[str]:
    missing = []
    if not reachable("127.0.0.1", 5432):
        missing.append("PostgreSQL at 127.0.0.1:5432")
    if not reachable("127.0.0.1", 6379):
        missing.append("Redis at 127.0.0.1:6379")
    return missing


def run(label: str, args: list[str], env: dict[str, str]) -> int:
    print(f"\n=== {label}: pytest {' '.join(args)}", flush=True)
    started = time.monotonic()
    code = subprocess.call([sys.executable, "-m", "pytest", *args], cwd=ROOT, env=env)
    print(f"=== {label}: exit {code} in {time.monotonic() - started:.0f}s", flush=True)
    return code


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql", "all"], default="all")
    parser.add_argument("--suite", choices=[*SUITES, "all"], default="all")
    options, extra = parser.parse_known_args()
    required = os.environ.get("ASYNC_PROBE_REQUIRE_SERVICES") == "1"
    base_env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")
    }
    passes: list[tuple[str, dict[str, str]]] = []
    if options.db in ("sqlite", "all"):
        passes.append(("sqlite", base_env))
    if options.db in ("postgresql", "all"):
        missing = services_missing()
        if missing and required:
            print(f"FAIL: required services are down: {', '.join(missing)}")
            return 1
        if missing:
            down = ", ".join(missing)
            print(f"skipping the PostgreSQL + Redis pass: {down} not reachable")
        else:
            passes.append(
                (
                    "postgresql",
                    {**base_env, "DATABASE_URL": PG_URL, "REDIS_URL": REDIS_URL},
                )
            )
    suites = (
        SUITES if options.suite == "all" else {options.suite: SUITES[options.suite]}
    )
    failures = []
    for db, env in passes:
        for name, args in suites.items():
            label = f"{name} on {db}"
            if run(label, [*args, *extra], env) != 0:
                failures.append(label)
    if failures:
        print(f"\nFAILED: {', '.join(failures)}")
        return 1
    print("\nall passes green")
    return 0


if __name__ == "__main__":
    sys.exit(main())
