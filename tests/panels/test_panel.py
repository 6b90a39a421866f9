"""The panel through the toolbar's own machinery: its middleware, its store, its
render-panel and sidebar views, under ASGI, WSGI and both test clients."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.wsgi import get_wsgi_application
from django.test import AsyncClient, Client, override_settings

from async_probe.report import Report
from panels import AsyncProbePanel
from panels.panel import NO_SCOPE, OFF
from tests.drivers import asgi_request, wsgi_request
from tests.panels.conftest import PANEL_ID, stored_panel, stored_stats
from tests.panels.settings import PROBE, TOOLBAR

SIGNAL = ("signal", "django.core.signals.request_started")
CLOSE = ("response", "django.http.response.JsonResponse.close")
ORM = ("orm", "django.db.models.query.QuerySet._fetch_all")  # the async for
VIEWS = Path(__file__).resolve().parent.parent / "testapp" / "views.py"


def views_line(text: str, view: str) -> str:
    """``tests/testapp/views.py:N`` for the first line holding ``text`` in ``view``
    (found, not hard-coded: the test views grow)."""
    lines = VIEWS.read_text().splitlines()
    start = next(n for n, line in enumerate(lines) if f"def {view}(" in line)
    number = next(n for n in range(start, len(lines)) if text in lines[n]) + 1
    return f"tests/testapp/views.py:{number}"


BOOKS_QUERY = views_line("async for book in Book.objects", "async_books_loop")
BOOK_LOADS = {
    "n": 1,
    "label": "testapp.Book.author",
    "kind": "forward",
    "count": 3,
    "n_plus_one": True,
    "callsite": views_line("book.author", "async_books_loop"),
    "origin": BOOKS_QUERY,
    "contexts": ["event_loop"],
    "async_view": True,
    "suggestion": f'add .select_related("author") at {BOOKS_QUERY}',
    "stack": "",
}


def hops_of(report: Report) -> list[tuple[str, str]]:
    return [(hop.cause, hop.target) for hop in report.hops]


def counts_of(report: Report) -> dict[str, int]:
    return {
        "thread_hops": report.thread_hops,
        "lazy_loads": report.lazy_loads,
        "blocking_cache_calls": report.blocking_cache_calls,
        "cache_calls": report.cache_calls,
        "dropped_events": report.dropped_events,
    }


def same_origin_as(report: Report) -> dict[str, Any]:
    """BOOK_LOADS with the origin the report found. Under the sync test client the
    queryset runs on the client's own thread (asgiref's thread-sensitive
    executor), where the origin lookup finds the test's frame; the panel shows
    whatever the report says, which is what these tests check."""
    (group,) = report.load_groups
    origin = group.loads[0].origin
    return {**BOOK_LOADS, "origin": str(origin), "suggestion": group.suggestion}


def render_panel(client: Client, headers: Any) -> str:
    """The panel's HTML as the toolbar's render-panel view serves it."""
    response = client.get(
        "/__debug__/render_panel/",
        {"request_id": headers["djdt-request-id"], "panel_id": PANEL_ID},
    )
    assert response.status_code == 200
    content: str = response.json()["content"]
    return content


def sidebar_subtitle(client: Client, headers: Any) -> str:
    """The panel's subtitle in the sidebar the toolbar loads for a fetch()."""
    response = client.get(
        "/__debug__/history_sidebar/",
        {"request_id": headers["djdt-request-id"], "exclude_history": "True"},
    )
    assert response.status_code == 200
    button = response.json()[PANEL_ID]["button"]
    match = re.search(r"<small>(.*?)</small>", button)
    assert match is not None, button
    return match.group(1)


def summary(html: str) -> tuple[str, str, str]:
    """The hops, lazy loads and blocking cache calls cells of the summary."""
    return (cell(html, "hops"), cell(html, "lazy"), cell(html, "blocking"))


def cell(html: str, name: str) -> str:
    match = re.search(rf'<td id="djdt-async-probe-{name}">(.*?)</td>', html)
    assert match is not None, name
    return match.group(1)


# ASGI ----------------------------------------------------------------------


async def test_asgi_lazy_loads(
    asgi_app: Callable[[], Any], reports: list[Report], library: Any
) -> None:
    response = await asgi_request(asgi_app(), "/async_books_loop/")
    assert response.json() == {"errors": 3}
    report = reports[-1]
    assert hops_of(report) == [SIGNAL, ORM, CLOSE]

    stats = stored_stats(response.headers)
    assert stats["final"] is True
    assert (
        stats["counts"]
        == counts_of(report)
        == {
            "thread_hops": 3,
            "lazy_loads": 3,
            "blocking_cache_calls": 0,
            "cache_calls": 0,
            "dropped_events": 0,
        }
    )
    assert stats["load_groups"] == [BOOK_LOADS]
    assert stats["n_plus_one_groups"] == 1
    assert [(h["cause"], h["target"]) for h in stats["hops"]] == [SIGNAL, ORM, CLOSE]
    assert stats["request"] == {
        "method": "GET",
        "path": "/async_books_loop/",
        "status": 200,
        "view": "tests.testapp.views.async_books_loop",
        "async_view": True,
    }

    panel = stored_panel(response.headers)
    assert panel.nav_subtitle == "3 hops, 3 lazy, 0 blocking"
    html = panel.content
    assert summary(html) == ("3", "3", "0")
    assert "<code>testapp.Book.author</code>" in html
    assert "3 <strong>N+1</strong>" in html
    assert f"add .select_related(&quot;author&quot;) at {BOOKS_QUERY}" in html
    assert f"<code>{BOOK_LOADS['callsite']}</code>" in html
    assert "djdt-highlighted djDebugRowWarning" in html


async def test_asgi_cache_calls(
    asgi_app: Callable[[], Any], reports: list[Report], transactional_db: None
) -> None:
    response = await asgi_request(asgi_app(), "/async_cache/")
    assert response.json() == {"value": 1}
    report = reports[-1]
    stats = stored_stats(response.headers)
    assert stats["counts"] == counts_of(report)
    assert (
        stats["counts"]["cache_calls"],
        stats["counts"]["blocking_cache_calls"],
    ) == (2, 1)
    assert [(h["cause"], h["direction"]) for h in stats["hops"]] == [
        ("signal", "sync_to_async"),
        ("cache", "sync_to_async"),
        ("response", "sync_to_async"),
    ]
    blocking, through_hop = stats["cache_calls"]
    assert blocking == {
        "n": 1,
        "method": "set",
        "alias": "default",
        "key": "probe:key",  # raw: the panel is a development tool
        "duration_ms": blocking["duration_ms"],
        "blocking": True,
        "context": "event_loop",
        "callsite": views_line("backend.set(", "async_cache"),
        "fix": "await cache.aset(...) instead, or move it off the event loop",
    }
    assert (through_hop["method"], through_hop["blocking"], through_hop["context"]) == (
        "get",
        False,
        "worker",
    )
    assert stats["hops_by_cause"] == [
        {"cause": "cache", "hops": 1, "ms": stats["hops_by_cause"][0]["ms"]},
        {"cause": "response", "hops": 1, "ms": stats["hops_by_cause"][1]["ms"]},
        {"cause": "signal", "hops": 1, "ms": stats["hops_by_cause"][2]["ms"]},
    ]
    html = stored_panel(response.headers).content
    assert cell(html, "blocking") == "1" and cell(html, "cache") == "2"
    assert "<strong>blocking</strong>: await cache.aset(...)" in html
    assert "<code>probe:key</code>" in html


@override_settings(
    MIDDLEWARE=[
        PROBE,
        TOOLBAR,
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
    ]
)
async def test_asgi_hops_per_middleware(
    asgi_app: Callable[[], Any], reports: list[Report], transactional_db: None
) -> None:
    response = await asgi_request(asgi_app(), "/async_plain/")
    stats = stored_stats(response.headers)
    assert stats["counts"]["thread_hops"] == reports[-1].thread_hops == 7
    assert stats["hops_by_target"] == [
        {
            "cause": "middleware",
            "target": "django.middleware.csrf.CsrfViewMiddleware",
            "hops": 3,
        },
        {
            "cause": "middleware",
            "target": "django.contrib.sessions.middleware.SessionMiddleware",
            "hops": 2,
        },
        {
            "cause": "response",
            "target": "django.http.response.JsonResponse.close",
            "hops": 1,
        },
        {"cause": "signal", "target": "django.core.signals.request_started", "hops": 1},
    ]
    # The timeline keeps every hop inside the request's bar.
    for hop in stats["hops"]:
        assert hop["bar_x"] >= 0 and hop["bar_run_x"] + hop["bar_run"] <= 100
    assert [hop["n"] for hop in stats["hops"]] == [1, 2, 3, 4, 5, 6, 7]


async def test_html_page_shows_the_snapshot_then_the_final_report(
    asgi_app: Callable[[], Any], reports: list[Report], transactional_db: None
) -> None:
    """The toolbar rendered into the page is a snapshot taken inside the request
    (before the response close); the store then holds the final report."""
    response = await asgi_request(asgi_app(), "/async_page/")
    page = response.body.decode()
    assert 'id="djdt-AsyncProbePanel"' in page
    assert "<small>1 hop, 0 lazy, 0 blocking so far</small>" in page  # request_started
    assert reports[-1].thread_hops == 2  # and the response close
    panel = stored_panel(response.headers)
    assert panel.nav_subtitle == "2 hops, 0 lazy, 0 blocking"
    assert [h["cause"] for h in stored_stats(response.headers)["hops"]] == [
        "signal",
        "response",
    ]


@override_settings(ASYNC_PROBE={"STACKS": True})
async def test_stacks_are_expandable_when_on(
    asgi_app: Callable[[], Any], reports: list[Report], library: Any
) -> None:
    response = await asgi_request(asgi_app(), "/async_books_loop/")
    (group,) = stored_stats(response.headers)["load_groups"]
    lines = group["stack"].splitlines()
    # Innermost last: the access in the view, then the probe's own frames.
    assert f"{BOOK_LOADS['callsite']} in async_books_loop" in lines
    assert lines.index(f"{BOOK_LOADS['callsite']} in async_books_loop") > 0
    html = stored_panel(response.headers).content
    toggle = (
        'class="djToggleSwitch" data-toggle-name="asyncProbeLoad" data-toggle-id="1"'
    )
    assert toggle in html
    assert (
        '<tr class="djUnselected djToggleDetails_1" id="asyncProbeLoadStack_1">' in html
    )
    assert '<pre class="djdt-stack">' in html


# The test clients and WSGI ---------------------------------------------------


def test_client_through_render_panel_and_sidebar(
    client: Client, reports: list[Report], library: Any
) -> None:
    response = client.get("/async_books_loop/")
    report = reports[-1]
    # The sync client runs the async view through async_to_sync.
    assert [(h.direction, h.cause) for h in report.hops] == [
        ("async_to_sync", "view"),
        ("sync_to_async", "orm"),
    ]
    stats = stored_stats(response.headers)
    assert stats["final"] is True
    assert stats["counts"] == counts_of(report)
    assert (stats["counts"]["thread_hops"], stats["counts"]["lazy_loads"]) == (2, 3)
    assert stats["load_groups"] == [same_origin_as(report)]

    html = render_panel(client, response.headers)
    assert summary(html) == ("2", "3", "0")
    assert "<td><code>async_to_sync</code></td>" in html
    assert "<code>tests.testapp.views.async_books_loop</code>" in html
    assert sidebar_subtitle(client, response.headers) == "2 hops, 3 lazy, 0 blocking"


async def test_async_client(
    async_client: AsyncClient, reports: list[Report], library: Any
) -> None:
    response = await async_client.get("/async_books_loop/")
    report = reports[-1]
    stats = stored_stats(response.headers)
    assert stats["counts"] == counts_of(report)
    # Without ProbeASGIWrapper only the chain is seen: no request_started, no close.
    assert [(h["cause"], h["target"]) for h in stats["hops"]] == [ORM]
    assert stats["counts"]["lazy_loads"] == 3
    panel = stored_panel(response.headers)
    assert panel.nav_subtitle == "1 hop, 3 lazy, 0 blocking"
    assert "Thread hops in order (1)" in panel.content


def test_wsgi_sync_view(reports: list[Report], library: Any) -> None:
    response = wsgi_request(get_wsgi_application(), "/sync_books/")
    report = reports[-1]
    stats = stored_stats(response.headers)
    assert stats["counts"] == counts_of(report)
    assert stats["counts"] == {
        "thread_hops": 0,
        "lazy_loads": 3,
        "blocking_cache_calls": 0,
        "cache_calls": 0,
        "dropped_events": 0,
    }
    (group,) = stats["load_groups"]
    assert (group["label"], group["contexts"], group["async_view"]) == (
        "testapp.Book.author",
        ["sync"],
        False,
    )


# When the probe is missing or below the toolbar -------------------------------


@override_settings(MIDDLEWARE=[TOOLBAR])
def test_without_a_request_scope_the_panel_says_why(client: Client, db: None) -> None:
    response = client.get("/sync_plain/")
    stats = stored_stats(response.headers)
    assert stats == {"recorded": False, "reason": NO_SCOPE}
    panel = stored_panel(response.headers)
    assert panel.nav_subtitle == "not recorded"
    assert "AsyncProbeMiddleware first in MIDDLEWARE" in panel.content


@override_settings(ASYNC_PROBE={"ENABLED": False})
def test_with_the_probe_off_the_panel_says_so(client: Client, db: None) -> None:
    response = client.get("/sync_plain/")
    assert stored_stats(response.headers) == {"recorded": False, "reason": OFF}


@override_settings(MIDDLEWARE=[TOOLBAR, PROBE])
def test_toolbar_above_the_probe_shows_the_final_report(
    client: Client, reports: list[Report], library: Any
) -> None:
    response = client.get("/async_books_loop/")
    stats = stored_stats(response.headers)
    assert stats["final"] is True
    assert stats["counts"] == counts_of(reports[-1])
    assert stats["load_groups"] == [same_origin_as(reports[-1])]


def test_panel_class_is_async_capable() -> None:
    assert AsyncProbePanel.is_async is True
    assert AsyncProbePanel.panel_id == PANEL_ID


@pytest.mark.parametrize(
    ("stats", "expected"),
    [
        ({"recorded": False, "reason": "x"}, "not recorded"),
        (
            {
                "recorded": True,
                "final": True,
                "counts": {
                    "thread_hops": 1,
                    "lazy_loads": 2,
                    "blocking_cache_calls": 3,
                },
            },
            "1 hop, 2 lazy, 3 blocking",
        ),
        (
            {
                "recorded": True,
                "final": False,
                "counts": {
                    "thread_hops": 15,
                    "lazy_loads": 0,
                    "blocking_cache_calls": 0,
                },
            },
            "15 hops, 0 lazy, 0 blocking so far",
        ),
    ],
)
def test_subtitle(stats: dict[str, Any], expected: str) -> None:
    from panels.panel import subtitle

    assert subtitle(stats) == expected
