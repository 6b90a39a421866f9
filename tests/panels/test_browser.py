"""The panel in a real browser: Debian's Chromium driven by Playwright against
the oj backend served by uvicorn (``oj.settings.toolbar``) on 127.0.0.1.

Opens the demo page, presses the button whose API call lazily loads a relation,
waits for the toolbar to switch to that call (``UPDATE_ON_FETCH``), opens the
panel and checks the numbers shown against the report of the same request. Saves
a screenshot to ``artifacts/panel.png``; with ``ASYNC_PROBE_UPDATE_SCREENSHOT=1``
also to ``docs/panel.png`` (the README's picture).

Skips when Chromium or Playwright is missing, except under
``ASYNC_PROBE_REQUIRE_SERVICES=1`` (CI), where that is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REQUIRE_SERVICES

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PANEL = "#djdt-AsyncProbePanel"


def missing(what: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{what} is required here (ASYNC_PROBE_REQUIRE_SERVICES=1)")
    pytest.skip(f"{what} is missing")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for(url: str, server: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            output = server.communicate()[0].decode()
            pytest.fail(f"uvicorn exited with {server.returncode}:\n{output}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"uvicorn did not answer {url}")


@pytest.fixture(scope="module")
def oj_env() -> Iterator[dict[str, str]]:
    """A migrated, seeded SQLite database for oj.settings.toolbar."""
    directory = tempfile.TemporaryDirectory()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "PYTEST_VERSION")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="oj.settings.toolbar",
        DATABASE_URL=f"sqlite:///{directory.name}/oj.sqlite3",
        # testserver: the in-process replica of the request (oj_report.py).
        OJ_ALLOWED_HOSTS="127.0.0.1,testserver",
        PYTHONPATH=str(ROOT),
    )
    for command in (["migrate", "-v0"], ["seed_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    yield env
    directory.cleanup()


@pytest.fixture(scope="module")
def server(oj_env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "oj.asgi:application",
            "--host=127.0.0.1",
            f"--port={port}",
            "--lifespan=off",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=oj_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/demo/", process)
        yield base
    finally:
        process.terminate()
        try:
            process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        missing(f"Chromium ({CHROMIUM}; apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright for Python (pip install playwright)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


def report_of(url: str, env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.panels.oj_report", url],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_panel_shows_the_lazy_load_of_a_fetch_call(
    browser: Any, server: str, oj_env: dict[str, str]
) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 960})
    try:
        page.goto(f"{server}/demo/")
        page.wait_for_selector("#djDebugToolbar", state="visible")
        page.click("#legacy-announcement")
        page.wait_for_function(
            "document.getElementById('last-request-id').textContent !== ''"
        )
        url = page.text_content("#last-url")
        request_id = page.text_content("#last-request-id")
        assert url is not None and url.startswith("/legacy/api/announcement?id=")
        # The toolbar switched to that call: its sidebar came from the store.
        page.wait_for_selector(
            f'#djDebug[data-request-id="{request_id}"]', state="attached"
        )
        expected = report_of(url, oj_env)
        assert expected["lazy_loads"] == 1, expected
        assert expected["load_labels"] == ["announcement.Announcement.created_by"]

        subtitle = page.text_content(f"{PANEL} small")
        assert subtitle == (
            f"{expected['thread_hops']} hops, {expected['lazy_loads']} lazy, "
            f"{expected['blocking_cache_calls']} blocking"
        )
        timing = page.text_content("#last-server-timing")
        assert timing is not None and "lazy loads: 1" in timing

        page.click(f"{PANEL} a")
        page.wait_for_selector("#djdt-async-probe-hops", state="visible")
        shown = {
            "thread_hops": int(page.text_content("#djdt-async-probe-hops") or -1),
            "lazy_loads": int(page.text_content("#djdt-async-probe-lazy") or -1),
            "blocking_cache_calls": int(
                page.text_content("#djdt-async-probe-blocking") or -1
            ),
            "cache_calls": int(page.text_content("#djdt-async-probe-cache") or -1),
        }
        assert shown == {key: expected[key] for key in shown}
        loads = page.text_content("#AsyncProbePanel .djdt-async-probe-loads") or ""
        assert "announcement.Announcement.created_by" in loads
        assert "event_loop" in loads
        assert 'select_related("created_by")' in loads

        artifacts = ROOT / "artifacts"
        artifacts.mkdir(exist_ok=True)
        page.screenshot(path=str(artifacts / "panel.png"))
        if os.environ.get("ASYNC_PROBE_UPDATE_SCREENSHOT") == "1":
            shutil.copyfile(artifacts / "panel.png", ROOT / "docs" / "panel.png")
    finally:
        page.close()
