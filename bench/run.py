"""Run the whole benchmark and write bench/RESULTS.md.

    python -m bench            # full run (~16 min on 2 cores): the table we quote
    python -m bench --quick    # < 2 min, indicative only

Every level (see :mod:`bench.levels`) runs in processes of its own: an
in-process worker (ASGI driven the way a server would, and WSGI) and a uvicorn
server on 127.0.0.1 under a bounded load generator. Runs are interleaved (each
round runs every level once, in a rotating order; in the full run every round
has fresh processes), a cell is the median over rounds, and a ratio is the
median of per-round ratios to the uninstrumented level.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import levels, loadgen, machine, render
from .servers import ROOT, Uvicorn, Worker, environment

ENDPOINTS = ("/deep/", "/plain/", "/sync/")
MODES = ("asgi", "wsgi", "uvicorn")
# rounds, seconds per in-process run, seconds per uvicorn run, micro rounds
PROFILES = {"quick": (3, 0.15, 0.4, 5), "full": (7, 1.0, 2.0, 21)}


@dataclass
class Plan:
    names: list[str]
    envs: dict[str, dict[str, str]]
    modes: list[str]
    endpoints: list[str]
    rounds: int
    seconds: float
    server_seconds: float
    tool: str
    connections: int
    tmp: Path
    fresh: bool
    samples: dict[tuple[str, str, str], list[float]] = field(
        default_factory=lambda: defaultdict(list)
    )


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__.split("\n\n")[0]
    )
    p.add_argument("--quick", action="store_true", help="< 2 minutes, indicative")
    p.add_argument("--rounds", type=int, help="interleaved rounds")
    p.add_argument("--seconds", type=float, help="seconds per in-process run")
    p.add_argument("--server-seconds", type=float, help="seconds per uvicorn run")
    p.add_argument("--levels", help="subset of: " + ", ".join(levels.BY_NAME))
    p.add_argument("--modes", default=",".join(MODES), help="of asgi,wsgi,uvicorn")
    p.add_argument("--endpoints", default=",".join(ENDPOINTS))
    p.add_argument("--connections", type=int, default=8, help="load concurrency")
    p.add_argument("--loadgen", choices=("auto", "wrk", "python"), default="auto")
    p.add_argument("--database", default="sqlite", help="sqlite or a postgres:// URL")
    p.add_argument("--redis", help="redis:// URL for the cache (default: local memory)")
    p.add_argument("--no-micro", action="store_true", help="skip per-event costs")
    p.add_argument(
        "--fresh",
        action=argparse.BooleanOptionalAction,
        help="new processes every round (default: on, off with --quick)",
    )
    p.add_argument(
        "--output",
        help="default: bench/RESULTS.md, or bench/RESULTS-quick.md with --quick "
        "(so a smoke run never replaces the table that is quoted)",
    )
    p.add_argument(
        "--render",
        metavar="JSON",
        help="only rewrite --output from the raw data a run saved next to it",
    )
    return p.parse_args(argv)


def save(
    path: Path, run: dict[str, Any], host: dict[str, str], data: dict[str, Any]
) -> None:
    """The raw numbers beside the Markdown, so the table can be re-rendered."""
    samples = [
        {"mode": m, "path": p, "level": lv, "rates": rates}
        for (m, p, lv), rates in data["samples"].items()
    ]
    raw = {"run": run, "host": host, **data, "samples": samples}
    path.write_text(json.dumps(raw, indent=1, default=list) + "\n")


def rerender(source: Path, output: Path) -> None:
    raw = json.loads(source.read_text())
    data = {**raw, "samples": {}}
    for row in raw["samples"]:
        data["samples"][(row["mode"], row["path"], row["level"])] = row["rates"]
    chosen = [levels.get(name) for name in raw["levels"]]
    pending = raw["pending"]
    data.pop("run"), data.pop("host")
    output.write_text(render.results(raw["run"], raw["host"], chosen, pending, data))


def prepare_database(url: str, tmp: Path) -> str:
    if url == "sqlite":
        return str(tmp / "bench.sqlite3")
    if not url.startswith("postgres"):
        raise SystemExit(f"--database must be sqlite or a postgres:// URL, not {url!r}")
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        query = "SELECT 1 FROM pg_database WHERE datname = %s"
        if not conn.execute(query, [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return url


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def rotated(items: list[str], r: int) -> list[str]:
    k = r % len(items)
    return items[k:] + items[:k]


def batches(plan: Plan) -> list[range]:
    """Rounds grouped by the processes that serve them: with ``fresh``, new
    processes every round, so a process that happens to run fast or slow (memory
    placement, the CPU it lands on) weighs on one round, not on all of them."""
    if plan.fresh:
        return [range(r, r + 1) for r in range(plan.rounds)]
    return [range(plan.rounds)]


def run_inprocess(plan: Plan, modes: list[str]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for rounds in batches(plan):
        with ExitStack() as stack:
            workers = {}
            for name in plan.names:
                log_file = stack.enter_context(
                    open(plan.tmp / f"worker-{name}.log", "ab")
                )
                workers[name] = Worker(name, plan.envs[name], log_file)
                stack.callback(workers[name].stop)
            for name, worker in workers.items():
                worker.wait_ready()
                for path in plan.endpoints:
                    answer = worker.ask(cmd="describe", path=path)
                    seen.setdefault(name, {})[path] = answer["report"]
                    for mode in modes:  # warm-up
                        worker.ask(cmd="run", mode=mode, path=path, seconds=0.1)
            for r in rounds:
                log(f"in-process round {r + 1}/{plan.rounds}")
                for mode in modes:
                    for path in plan.endpoints:
                        for name in rotated(plan.names, r):
                            out = workers[name].ask(
                                cmd="run", mode=mode, path=path, seconds=plan.seconds
                            )
                            if out["errors"]:
                                message = (
                                    f"{name} {mode} {path}: {out['errors']} errors"
                                )
                                raise RuntimeError(message)
                            rate = out["count"] / out["elapsed"]
                            plan.samples[(mode, path, name)].append(rate)
    return seen


def run_uvicorn(plan: Plan) -> None:
    warm = 1 if plan.tool == "wrk" else 0.3
    for rounds in batches(plan):
        with ExitStack() as stack:
            servers = {}
            for name in plan.names:
                log_file = stack.enter_context(
                    open(plan.tmp / f"uvicorn-{name}.log", "ab")
                )
                servers[name] = Uvicorn(name, plan.envs[name], log_file)
                stack.callback(servers[name].stop)
            for server in servers.values():
                server.wait_ready()
                for path in plan.endpoints:  # warm-up
                    loadgen.run(plan.tool, server.port, path, warm, plan.connections)
            for r in rounds:
                log(f"uvicorn round {r + 1}/{plan.rounds}")
                for path in plan.endpoints:
                    for name in rotated(plan.names, r):
                        port = servers[name].port
                        load = loadgen.run(
                            plan.tool, port, path, plan.server_seconds, plan.connections
                        )
                        if load.errors:
                            message = f"{name} uvicorn {path}: {load.errors} errors"
                            raise RuntimeError(message)
                        plan.samples[("uvicorn", path, name)].append(load.rate)


def run_micro(env: dict[str, str], rounds: int) -> dict[str, Any]:
    log("per-event costs")
    command = [sys.executable, "-m", "bench.micro", "--json", "--rounds", str(rounds)]
    out = subprocess.run(
        command, cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    profile = "quick" if args.quick else "full"
    if args.output is None:
        name = "RESULTS-quick.md" if args.quick else "RESULTS.md"
        args.output = str(ROOT / "bench" / name)
    if args.render:
        rerender(Path(args.render), Path(args.output))
        return 0
    rounds, seconds, server_seconds, micro_rounds = PROFILES[profile]
    server_seconds = args.server_seconds or server_seconds
    wanted = args.levels.split(",") if args.levels else list(levels.BY_NAME)
    chosen = [levels.get("off")] + [levels.get(n) for n in wanted if n != "off"]
    pending = {lv.name: why for lv in chosen if (why := lv.pending())}
    started = time.monotonic()
    host = machine.describe()
    host["load average at start"] = machine.load_average()
    with tempfile.TemporaryDirectory(prefix="async-probe-bench-") as tmpdir:
        tmp = Path(tmpdir)
        database = prepare_database(args.database, tmp)
        extra = {"BENCH_REDIS_URL": args.redis} if args.redis else {}
        plan = Plan(
            names=[lv.name for lv in chosen if lv.name not in pending],
            envs={lv.name: environment(lv.name, database, extra) for lv in chosen},
            modes=[m for m in args.modes.split(",") if m],
            endpoints=[e for e in args.endpoints.split(",") if e],
            rounds=args.rounds or rounds,
            seconds=args.seconds or seconds,
            server_seconds=server_seconds,
            tool=loadgen.available(server_seconds)
            if args.loadgen == "auto"
            else args.loadgen,
            connections=args.connections,
            tmp=tmp,
            fresh=args.fresh if args.fresh is not None else profile == "full",
        )
        setup = [sys.executable, "-m", "bench.worker", "--setup"]
        subprocess.run(setup, cwd=ROOT, env=plan.envs["off"], check=True)
        log(f"levels: {', '.join(plan.names)}; pending: {', '.join(pending) or 'none'}")
        seen: dict[str, Any] = {}
        inprocess = [m for m in plan.modes if m in ("asgi", "wsgi")]
        if inprocess:
            seen = run_inprocess(plan, inprocess)
        if "uvicorn" in plan.modes:
            run_uvicorn(plan)
        micro = None
        if not args.no_micro:
            micro_env = plan.envs.get("callsites") or environment(
                "callsites", database, extra
            )
            micro = run_micro(micro_env, micro_rounds)
    host["load average at end"] = machine.load_average()
    run = {
        "profile": profile,
        "command": " ".join(
            ["python -m bench", *(sys.argv[1:] if argv is None else argv)]
        ),
        "rounds": plan.rounds,
        "seconds": plan.seconds,
        "server_seconds": plan.server_seconds,
        "connections": plan.connections,
        "loadgen": plan.tool,
        "fresh": plan.fresh,
        "uvicorn_args": Uvicorn.ARGS,
        "database": "SQLite (file)" if args.database == "sqlite" else "PostgreSQL",
        "cache": "Redis" if args.redis else "local memory",
        "minutes": (time.monotonic() - started) / 60,
    }
    data = {
        "samples": plan.samples,
        "modes": plan.modes,
        "endpoints": plan.endpoints,
        "seen": seen,
        "micro": micro,
        "levels": [lv.name for lv in chosen],
        "pending": pending,
    }
    text = render.results(run, host, chosen, pending, data)
    output = Path(args.output)
    output.write_text(text)
    save(output.with_suffix(".json"), run, host, data)
    print(text)
    log(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
