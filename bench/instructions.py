"""Instructions per request, counted by valgrind's callgrind.

Requests per second on a shared machine move by a few percent from run to run;
the number of instructions a request executes barely moves, so this gives the
probe's cost per request to a fraction of a percent where the timed benchmark
cannot resolve it. For each level it runs the in-process ASGI driver under
``valgrind --tool=callgrind`` twice, once with ``--warm`` requests and once with
``--warm + --requests``, and divides the difference by ``--requests``, which
leaves out start-up and the first requests' caches. Levels run two at a time.

    python -m bench.instructions [--path /plain/] [--levels off,idle,count,callsites]
                                 [--server uvicorn]

With ``--server uvicorn`` the process counted is ``uvicorn
bench.project.asgi:application`` itself, served over HTTP/1.1 keep-alive by a
client in this process (whose instructions are not counted): the same
subtraction of two runs, so the figure is the server's work per request,
HTTP parsing and the event loop included, which is the denominator the
issue's "per request under uvicorn" targets mean.

The ratio column is instructions without instrumentation divided by
instructions with it: the throughput a CPU-bound server would keep if every
instruction cost the same (on this machine the timed ratios of
``python -m bench`` track it within their noise). Threads make the count vary a
little between runs (the event loop polls a different number of times); run it
twice to see by how much.
"""

from __future__ import annotations

import argparse
import contextvars
import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .servers import ROOT, Uvicorn, environment

LEVELS = ("off", "idle", "count", "callsites")
_COLLECTED = re.compile(r"Collected : (\d+)")


def serve(path: str, requests: int) -> None:
    """The measured process: ``requests`` in-process ASGI requests to ``path``."""
    from bench.drivers import asgi_get
    from bench.worker import Worker

    worker = Worker()

    async def run() -> None:
        for _ in range(requests):
            status, _ = await asgi_get(worker.asgi, path)
            if status != 200:
                raise SystemExit(f"{path} answered {status}")

    worker.runner.run(run(), context=contextvars.copy_context())


def count(level: str, database: str, path: str, requests: int) -> int:
    """Instructions callgrind collected for a process serving ``requests``."""
    result = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            "-m",
            "bench.instructions",
            "--serve",
            path,
            str(requests),
        ],
        cwd=ROOT,
        env=environment(level, database, {}),
        capture_output=True,
        text=True,
        check=False,
    )
    found = _COLLECTED.search(result.stderr)
    if result.returncode != 0 or found is None:
        raise SystemExit(f"{level}: callgrind run failed:\n{result.stderr[-2000:]}")
    return int(found.group(1))


def count_uvicorn(level: str, database: str, path: str, requests: int) -> int:
    """Instructions callgrind collected for a uvicorn server answering
    ``requests`` sequential requests (plus the one that found it ready)."""
    with tempfile.TemporaryFile() as log:
        server = Uvicorn(
            level,
            environment(level, database, {}),
            log,
            prefix=("valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"),
        )
        try:
            server.wait_ready(timeout=900)  # Django starts slowly under valgrind
            connection = http.client.HTTPConnection(
                "127.0.0.1", server.port, timeout=120
            )
            for _ in range(requests):
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    raise SystemExit(f"{level}: {path} answered {response.status}")
            connection.close()
        finally:
            server.stop(timeout=300)
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    found = _COLLECTED.search(output)
    if found is None:
        raise SystemExit(f"{level}: callgrind run failed:\n{output[-2000:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench.instructions", description=__doc__.split("\n\n")[0]
    )
    p.add_argument("--path", default="/plain/")
    p.add_argument("--levels", default=",".join(LEVELS))
    p.add_argument("--warm", type=int, default=20)
    p.add_argument("--requests", type=int, default=400)
    p.add_argument(
        "--server",
        choices=("none", "uvicorn"),
        default="none",
        help="count a uvicorn server's instructions instead of the in-process driver",
    )
    p.add_argument("--serve", nargs=2, metavar=("PATH", "N"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.serve:
        serve(args.serve[0], int(args.serve[1]))
        return 0
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    levels = args.levels.split(",")
    if levels[0] != "off":
        levels.insert(0, "off")
    with tempfile.TemporaryDirectory(prefix="async-probe-instructions-") as tmp:
        database = str(Path(tmp) / "bench.sqlite3")
        subprocess.run(
            [sys.executable, "-m", "bench.worker", "--setup"],
            cwd=ROOT,
            env=environment("off", database, {}),
            check=True,
        )
        jobs = [
            (level, n)
            for level in levels
            for n in (args.warm, args.warm + args.requests)
        ]
        measure = count_uvicorn if args.server == "uvicorn" else count
        with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
            totals = list(
                pool.map(lambda job: measure(job[0], database, args.path, job[1]), jobs)
            )
    per_request = {
        level: (totals[2 * i + 1] - totals[2 * i]) / args.requests
        for i, level in enumerate(levels)
    }
    base = per_request["off"]
    where = "uvicorn over HTTP" if args.server == "uvicorn" else "in-process ASGI"
    print(
        f"{args.path}, {where}: instructions per request "
        f"({args.requests} requests, callgrind)"
    )
    print(f"{'level':10} {'instructions':>14} {'vs off':>8} {'ratio':>7}")
    for level, value in per_request.items():
        change = (value - base) / base
        print(f"{level:10} {value:14,.0f} {change:+8.1%} {base / value:6.3f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
