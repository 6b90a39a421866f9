"""Run the audit command in-process and return its exit status and output."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

from django.core.management import CommandError, call_command

PROBE = "async_probe.middleware.AsyncProbeMiddleware"
STARTPROJECT = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]


@dataclass
class Run:
    status: int
    out: str
    err: str
    message: str = ""

    def json(self) -> Any:
        return json.loads(self.out)

    def rows(self) -> dict[str, list[str]]:
        """The first table's rows by endpoint, cells split on runs of 2+ spaces,
        without the timing column (the only one that is not exact)."""
        import re

        rows: dict[str, list[str]] = {}
        lines = self.out.splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("endpoint"))
        for line in lines[start + 1 :]:
            if not line.strip():
                break
            cells = re.split(r"\s{2,}", line.strip())
            rows[cells[0]] = cells[1:-1]
        return rows


def audit(*args: str, stdout: io.StringIO | None = None) -> Run:
    out, err = stdout or io.StringIO(), io.StringIO()
    try:
        call_command("async_probe_audit", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return Run(exc.returncode, out.getvalue(), err.getvalue(), str(exc))
    return Run(0, out.getvalue(), err.getvalue())


def line_of(snippet: str, path: str = "tests/testapp/views.py") -> str:
    """``path:lineno`` of the first line holding ``snippet`` (the views may move)."""
    from pathlib import Path

    lines = (Path(__file__).resolve().parents[2] / path).read_text().splitlines()
    lineno = next(n for n, line in enumerate(lines, 1) if snippet in line)
    return f"{path}:{lineno}"
