"""The processes the harness drives: in-process workers and uvicorn servers."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent


def environment(level: str, database: str, extra: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    env["BENCH_LEVEL"] = level
    env["BENCH_DATABASE"] = database
    env["DJANGO_SETTINGS_MODULE"] = "bench.project.settings"
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), env.get("PYTHONPATH")])
    )
    # The harness measures; nothing should turn warnings into errors here.
    env.pop("PYTHONWARNINGS", None)
    # The same string hashing in every process, so dict and set layouts (and
    # their speed) do not differ between levels by chance.
    env["PYTHONHASHSEED"] = "0"
    return env


class Worker:
    """``python -m bench.worker`` for one level, spoken to over a pipe."""

    def __init__(self, level: str, env: dict[str, str], log: IO[bytes]) -> None:
        self.level = level
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.worker"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )

    def wait_ready(self) -> None:
        self._read()

    def ask(self, **command: Any) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        return self._read()

    def _read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"worker {self.level} exited ({self.process.wait()})")
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"worker {self.level}: {answer['error']}")
        return answer

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError, BrokenPipeError, ValueError):
            self.ask(cmd="quit")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Uvicorn:
    """``uvicorn bench.project.asgi:application`` for one level on 127.0.0.1."""

    ARGS = ("--no-access-log", "--log-level", "warning", "--lifespan", "off")

    def __init__(
        self,
        level: str,
        env: dict[str, str],
        log: IO[bytes],
        prefix: tuple[str, ...] = (),
    ) -> None:
        self.level = level
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                *prefix,  # e.g. valgrind, for bench.instructions
                sys.executable,
                "-m",
                "uvicorn",
                "bench.project.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                *self.ARGS,
            ],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.port}/plain/"
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"uvicorn for {self.level} exited ({self.process.returncode})"
                )
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn for {self.level} did not answer {url}")
            time.sleep(0.2)

    def stop(self, timeout: float = 10.0) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
