"""The command as a user runs it: a real process, a terminal or not."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.test import override_settings

from async_probe.audit.progress import TerminalProgress
from tests.audit.helpers import PROBE, audit

REPO = Path(__file__).resolve().parents[2]


def test_sqlite_in_memory_is_refused_with_the_reason() -> None:
    """tests.settings use SQLite ":memory:" outside pytest: every request of the
    audit runs in a thread of its own and would see an empty database."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "django", "async_probe_audit", "--url", "/async_plain/"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        "CommandError: database 'default' is SQLite in memory (:memory:): every "
        "request runs in a thread of its own and would see its own empty database. "
        "Point NAME at a file, or use another database.\n"
    )


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_rewrites_one_line_and_clears_it() -> None:
    written: list[str] = []
    progress = TerminalProgress(written.append, width=20)
    progress(1, 2, "ASGI GET /a/")
    progress(2, 2, "ASGI GET /a/very/long/path/")
    progress.clear()
    progress.clear()  # idempotent
    assert written == [
        "\r\x1b[K[1/2] ASGI GET /a/",
        "\r\x1b[K[2/2] ASGI GET /a...",
        "\r\x1b[K",
    ]


@override_settings(MIDDLEWARE=[PROBE])
def test_progress_only_on_a_terminal(transactional_db: None) -> None:
    args = ("--url", "/async_plain/", "--url", "/sync_plain/", "--repeat", "1")
    on_terminal = audit(*args, stdout=Terminal())
    assert on_terminal.out.startswith(
        "\r\x1b[K[1/2] ASGI GET /async_plain/"
        "\r\x1b[K[2/2] ASGI GET /sync_plain/"
        "\r\x1b[Kasync_probe audit: "
    )
    piped = audit(*args)
    assert "\r" not in piped.out and "[1/2]" not in piped.out
    assert piped.out.startswith("async_probe audit: ")


def test_json_output_is_only_json(transactional_db: None, settings: Any) -> None:
    settings.MIDDLEWARE = [PROBE]
    run = audit("--url", "/async_plain/", "--json", "--repeat", "1")
    assert [row["path"] for row in run.json()] == ["/async_plain/"]


def test_json_to_a_file_alongside_the_tables(
    transactional_db: None, settings: Any, tmp_path: Path
) -> None:
    import json

    settings.MIDDLEWARE = [PROBE]
    path = tmp_path / "audit.json"
    run = audit("--url", "/async_plain/", "--json", str(path), "--repeat", "1")
    assert run.status == 0
    assert "GET /async_plain/" in run.rows()
    (row,) = json.loads(path.read_text())
    assert (row["path"], row["thread_hops"]) == ("/async_plain/", 2)
