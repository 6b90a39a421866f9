"""What the probe must never show: cache keys (unless asked), SQL parameters,
cookies; and no panel where the toolbar's show callback says no."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from tests.drivers import asgi_request

from .conftest import PROBE, Seen
from .urls import CACHE_KEY, COOKIE, SEARCH

ROOT = Path(__file__).resolve().parents[2]
SECRETS = (CACHE_KEY, SEARCH, COOKIE)


@pytest.fixture
def spans() -> Iterator[Any]:
    """The OTel sink on a tracer provider of the test's own, in-memory exporter."""
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
        InMemorySpanExporter,
    )

    from async_probe import otel

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    previous = otel.installed()
    otel.install(tracer_provider=provider)
    yield exporter
    otel.uninstall()
    if previous is not None:
        previous.connect()


@pytest.fixture
def secret_book(transactional_db: None) -> None:
    from tests.testapp.models import Author, Book

    Book.objects.create(title=SEARCH, author=Author.objects.create(name="Ann"))


def leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


@override_settings(
    ROOT_URLCONF="tests.reliability.urls",
    MIDDLEWARE=[PROBE],
    # Every sink on: spans with a child per hop, a warning per lazy-load site,
    # a warning per request over budget.
    ASYNC_PROBE={
        "OTEL": True,
        "HOP_SPANS": True,
        "STACKS": True,
        "LAZY_LOADS": "warn",
        "THRESHOLDS": {"cache_calls": 0, "lazy_loads": 0, "thread_hops": 0},
    },
)
async def test_no_cache_key_sql_parameter_or_cookie_leaves_the_probe(
    asgi_app: Any,
    seen: list[Seen],
    secret_book: None,
    spans: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG):
        response = await asgi_request(
            asgi_app(),
            "/secret_work/",
            headers=[
                (b"x-search", SEARCH.encode()),
                (b"cookie", f"sessionid={COOKIE}".encode()),
            ],
        )
    # The secrets were really used: the cookie reached the cache, the search the SQL.
    assert response.json() == {"names": ["Ann"], "token_seen": True}
    (s,) = seen
    report = s.report
    assert (report.cache_calls, report.lazy_loads) == (2, 1)
    assert [call.raw_key for call in report.cache] == [
        CACHE_KEY,
        CACHE_KEY,
    ]  # panel-only
    assert all(call.key and call.key.startswith("<redacted:") for call in report.cache)

    texts = {
        "as_dict": json.dumps(report.as_dict()),
        "str": str(report),
        "repr": repr(report) + "".join(repr(e) for e in report.events),
        "logs": "\n".join(
            r.getMessage()
            + (logging.Formatter().formatException(r.exc_info) if r.exc_info else "")
            for r in caplog.records
        ),
    }
    assert [r for r in caplog.records if r.name == "async_probe.report"], (
        "the log sink spoke"
    )
    finished = spans.get_finished_spans()
    assert len(finished) == 1 + report.thread_hops  # the request's span and one per hop
    texts["spans"] = "\n".join(span.to_json() for span in finished)
    assert {where: leaks(text) for where, text in texts.items()} == {
        where: [] for where in texts
    }


@override_settings(
    ROOT_URLCONF="tests.reliability.urls",
    MIDDLEWARE=[PROBE],
    ASYNC_PROBE={"REDACT_CACHE_KEYS": False},
)
async def test_cache_keys_are_shown_only_when_asked(
    asgi_app: Any, seen: list[Seen], secret_book: None
) -> None:
    await asgi_request(
        asgi_app(),
        "/secret_work/",
        headers=[
            (b"x-search", SEARCH.encode()),
            (b"cookie", f"sessionid={COOKIE}".encode()),
        ],
    )
    (s,) = seen
    assert [call.key for call in s.report.cache] == [CACHE_KEY, CACHE_KEY]
    assert leaks(json.dumps(s.report.as_dict())) == [CACHE_KEY]


def test_no_panel_where_the_toolbar_show_callback_says_no() -> None:
    """The toolbar's settings (tests.panels.settings) in a process of their own."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.panels.settings",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    )
    out = subprocess.run(
        [sys.executable, "-m", "tests.reliability.panel_visibility"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    shown_markers = ["djDebug", "AsyncProbePanel", "Async probe"]
    for mode, hops in (("asgi", 2), ("wsgi", 1)):
        assert result[f"{mode} shown"] == {
            "status": 200,
            "markers": shown_markers,
            "panel_waiting": False,
            "counted": hops,
            "stored": 1,
        }
        # Hidden: nothing of the toolbar or the panel in the page or its headers,
        # nothing stored for the toolbar to show later; the probe still counts.
        assert result[f"{mode} hidden"] == {
            "status": 200,
            "markers": [],
            "panel_waiting": False,
            "counted": hops,
            "stored": 0,
        }
