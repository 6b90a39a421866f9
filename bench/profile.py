"""Where a level's time goes: sample a worker with py-spy and attribute each
sample to async_probe or not.

    python -m bench.profile --level count --path /plain/ [--mode asgi] [--seconds 20]

py-spy samples every thread holding the GIL (``--gil``: CPU time, not waiting).
A sample counts as the probe's when, walking from the innermost frame outwards
past the standard library (contextvars, dataclasses, threading, hashlib...), the
first frame of a package is in async_probe/. Work async_probe merely wraps
(Django's middleware inside a hop) reaches a Django or asgiref frame first and
is not counted; Django helpers the probe itself calls (settings access) are
counted as Django's, so the share is a slight underestimate.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from .servers import ROOT, environment


def owner(frame: str) -> str | None:
    """'probe:<file>:<function>', 'other', or None for transparent frames.

    py-spy names files relative to their sys.path entry ("async_probe/scope.py",
    "asyncio/events.py"), so the first component tells whose code it is.
    """
    name, _, where = frame.rpartition(" (")
    filename = where.rsplit(":", 1)[0]
    if filename.startswith("async_probe/"):
        return f"probe:{filename[len('async_probe/') :]}:{name}"
    top = filename.split("/", 1)[0].removesuffix(".py")
    if filename.startswith("<") or top in sys.stdlib_module_names:
        return None
    return "other"


# Inclusive shares worth knowing: everything under report_ready (the sinks,
# whatever library code they call, e.g. the OpenTelemetry SDK).
SINKS = "send_report (async_probe/scope.py"


def attribute(collapsed: str) -> tuple[Counter[str], int]:
    where: Counter[str] = Counter()
    total = 0
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue  # py-spy's raw format: a frame name may hold spaces
        n = int(count)
        total += n
        if SINKS in stack:
            where["sinks"] += n
        for frame in reversed(stack.split(";")):
            found = owner(frame)
            if found is not None:
                where[found] += n
                break
    return where, total


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench.profile", description=__doc__.split("\n\n")[0]
    )
    p.add_argument("--level", default="count")
    p.add_argument("--mode", default="asgi", choices=("asgi", "wsgi"))
    p.add_argument("--path", default="/plain/")
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--rate", type=int, default=997, help="samples per second")
    args = p.parse_args(argv)
    if (
        shutil.which("py-spy") is None
        and not Path(sys.executable).with_name("py-spy").exists()
    ):
        raise SystemExit("py-spy is not installed: pip install py-spy")
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    with tempfile.TemporaryDirectory(prefix="async-probe-profile-") as tmp:
        database = str(Path(tmp) / "bench.sqlite3")
        env = environment(args.level, database, {})
        subprocess.run(
            [sys.executable, "-m", "bench.worker", "--setup"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        out = Path(tmp) / "stacks.txt"
        subprocess.run(
            [
                spy,
                "record",
                "--gil",
                "--nonblocking",
                "-r",
                str(args.rate),
                "-f",
                "raw",
                "-o",
                str(out),
                "--",
                sys.executable,
                "-m",
                "bench.worker",
                "--for",
                args.mode,
                args.path,
                str(args.seconds),
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        where, total = attribute(out.read_text())
    probe = sum(n for key, n in where.items() if key.startswith("probe:"))
    share = probe / total if total else 0.0
    where_run = f"{args.level} {args.mode} {args.path}"
    sinks = where["sinks"] / total if total else 0.0
    print(f"{where_run}: {total} samples, async_probe {share:.1%}")
    print(f"  (report_ready sinks, inclusive of the libraries they call: {sinks:.1%})")
    for key, n in where.most_common():
        if key.startswith("probe:"):
            print(f"  {n / total:6.2%}  {key[6:]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
