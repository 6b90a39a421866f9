"""A bounded load generator: fixed concurrency, keep-alive, fixed duration.

``wrk`` when it is on PATH (C, so it leaves the most CPU to the server on a
small machine), else a small asyncio client on raw sockets. Both report
completed requests per second and count every non-200 response as an error.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Load:
    requests: int
    seconds: float
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def available(seconds: float) -> str:
    """wrk when installed and the runs last whole seconds (all wrk accepts)."""
    whole = seconds >= 1 and float(seconds).is_integer()
    return "wrk" if shutil.which("wrk") and whole else "python"


def run(tool: str, port: int, path: str, seconds: float, connections: int) -> Load:
    if tool == "wrk":
        return _wrk(port, path, seconds, connections)
    return asyncio.run(_python(port, path, seconds, connections))


_REQUESTS = re.compile(r"(\d+) requests in ([\d.]+)(us|ms|s|m)\b")
_NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")
_SOCKET_ERRORS = re.compile(
    r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"
)
_UNIT = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def _wrk(port: int, path: str, seconds: float, connections: int) -> Load:
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = _REQUESTS.search(out)
    if found is None:
        raise RuntimeError(f"cannot read wrk's output:\n{out}")
    errors = sum(int(n) for n in _NON_2XX.findall(out))
    socket_errors = _SOCKET_ERRORS.search(out)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return Load(
        int(found.group(1)), float(found.group(2)) * _UNIT[found.group(3)], errors
    )


async def _python(port: int, path: str, seconds: float, connections: int) -> Load:
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode("ascii")
    deadline = time.perf_counter() + seconds
    done = [0]
    errors = [0]

    async def one_connection() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.perf_counter() < deadline:
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head[9:12])
                length = 0
                for line in head.split(b"\r\n"):
                    if line[:15].lower() == b"content-length:":
                        length = int(line[15:])
                await reader.readexactly(length)
                done[0] += 1
                errors[0] += status != 200
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(one_connection() for _ in range(connections)))
    return Load(done[0], time.perf_counter() - start, errors[0])
