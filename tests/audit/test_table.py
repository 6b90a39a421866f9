"""The audit's rows against the scenarios tests/test_scenarios.py pins, exactly."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings

from async_probe.report import Report
from tests.audit.helpers import PROBE, STARTPROJECT, audit, line_of
from tests.drivers import asgi_request

PATHS = ["/async_plain/", "/sync_plain/", "/async_books_loop/", "/async_cache/"]
LOOP_QUERY = line_of('books = [book async for book in Book.objects.order_by("id")]')
LOOP_LOAD = line_of("book.author  # noqa: B018")
CACHE_SET = line_of('backend.set("probe:key", 1)')


def section(out: str, title: str) -> list[str]:
    lines = out[out.index(title) :].splitlines()
    return lines[: lines.index("")] if "" in lines else lines


def urls(*paths: str) -> list[str]:
    return [arg for path in paths for arg in ("--url", path)]


@override_settings(MIDDLEWARE=[PROBE])
def test_json_rows_have_the_scenarios_exact_counts(library: Any) -> None:
    run = audit(*urls(*PATHS), "--json", "--repeat", "2")
    assert run.status == 1  # /async_books_loop/ and /async_cache/ are findings
    rows = {row["path"]: row for row in run.json()}
    fields = (
        "status",
        "async_view",
        "thread_hops",
        "lazy_loads",
        "blocking_cache_calls",
    )
    assert {path: tuple(rows[path][f] for f in fields) for path in PATHS} == {
        "/async_plain/": (200, True, 2, 0, 0),
        "/sync_plain/": (200, False, 3, 0, 0),
        "/async_books_loop/": (200, True, 3, 3, 0),
        "/async_cache/": (200, True, 3, 0, 1),
    }
    plain = rows["/async_plain/"]
    assert plain["method"] == "GET"
    assert plain["view"] == "tests.testapp.views.async_plain"
    assert plain["hops_by_cause"] == {"signal": 1, "response": 1}
    assert (plain["handler"], plain["runs"], plain["stable"], plain["user"]) == (
        "asgi",
        2,
        True,
        None,
    )
    assert rows["/sync_plain/"]["hops_by_cause"] == {
        "signal": 1,
        "view": 1,
        "response": 1,
    }
    assert rows["/async_cache/"]["hops_by_cause"] == {
        "signal": 1,
        "cache": 1,
        "response": 1,
    }
    assert rows["/async_cache/"]["cache_calls"] == 2
    (group,) = rows["/async_books_loop/"]["lazy_load_groups"]
    assert group == {
        "label": "testapp.Book.author",
        "kind": "forward",
        "count": 3,
        "contexts": ["event_loop"],
        "callsite": LOOP_LOAD,
        "suggestion": f'add .select_related("author") at {LOOP_QUERY}',
    }
    assert isinstance(plain["median_ms"], float)
    assert "GET /async_books_loop/, GET /async_cache/" in run.message


@override_settings(MIDDLEWARE=[PROBE])
def test_text_table_and_what_to_fix_first(library: Any) -> None:
    run = audit(*urls(*PATHS), "--repeat", "2")
    assert run.status == 1
    assert run.rows() == {
        "GET /async_plain/": ["async", "200", "2", "signal 1, response 1", "0", "0"],
        "GET /sync_plain/": [
            "sync",
            "200",
            "3",
            "signal 1, view 1, response 1",
            "0",
            "0",
        ],
        "GET /async_books_loop/": [
            "async",
            "200",
            "3",
            "signal 1, orm 1, response 1",
            "3",
            "0",
        ],
        "GET /async_cache/": [
            "async",
            "200",
            "3",
            "signal 1, cache 1, response 1",
            "0",
            "1",
        ],
    }
    fix = section(run.out, "What to fix first")
    assert fix == [
        "What to fix first",
        "  Lazy loads (an async view's are bugs: on the event loop Django raises)",
        "    3x testapp.Book.author (forward, event_loop, async view) at "
        f"{LOOP_LOAD} (N+1)",
        "        in GET /async_books_loop/",
        f'        fix: add .select_related("author") at {LOOP_QUERY}',
        "  Blocking cache calls (each stalls every request on the event loop)",
        f"    1x cache.set() on 'default' at {CACHE_SET}",
        "        in GET /async_cache/",
        "        fix: await cache.aset(...) instead, or move it off the event loop",
    ]


@override_settings(MIDDLEWARE=[PROBE, *STARTPROJECT])
def test_middleware_costs_priced_at_the_measured_hop(transactional_db: None) -> None:
    run = audit("--url", "/async_plain/", "--repeat", "3")
    assert run.status == 0, run.err
    assert run.rows()["GET /async_plain/"] == [
        "async",
        "200",
        "15",
        "middleware 13, signal 1, response 1",
        "0",
        "0",
    ]
    lines = section(run.out, "What to fix first")
    assert lines[1].startswith(
        "  Middleware: 13 thread hops on every request under ASGI ("
    )
    assert [line.split("  ")[-1] for line in lines[3:]] == [
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ]
    assert [line.split()[0] for line in lines[3:]] == [
        "3",
        "2",
        "2",
        "2",
        "2",
        "1",
        "1",
    ]


SYNC_ONLY = "tests.testapp.middleware.SyncOnlyMiddleware"


@override_settings(MIDDLEWARE=[PROBE, *STARTPROJECT[:2], SYNC_ONLY, *STARTPROJECT[2:]])
def test_a_sync_only_middleware_comes_first_with_its_hops(
    transactional_db: None,
) -> None:
    run = audit("--url", "/async_plain/", "--repeat", "1")
    assert run.rows()["GET /async_plain/"][2] == "13"
    lines = section(run.out, "What to fix first")
    assert lines[2].endswith(f"  {SYNC_ONLY} (sync-only)")
    assert lines[2].split()[:2] == ["2", "hops"]
    assert lines[3] == (
        "        async_to_sync back into the async chain below it; "
        "sync_to_async from the handler into AsyncProbeMiddleware"
    )
    assert [line.split()[0] for line in lines[5:]] == ["3", "2", "2", "1", "1"]


@override_settings(MIDDLEWARE=[PROBE])
def test_wsgi_rows(transactional_db: None) -> None:
    run = audit("--url", "/async_plain/", "--url", "/sync_plain/", "--wsgi", "--json")
    assert run.status == 0, run.err
    rows = {(row["handler"], row["path"]): row for row in run.json()}
    assert {key: row["hops_by_cause"] for key, row in rows.items()} == {
        ("asgi", "/async_plain/"): {"signal": 1, "response": 1},
        ("asgi", "/sync_plain/"): {"signal": 1, "view": 1, "response": 1},
        ("wsgi", "/async_plain/"): {"view": 1},
        ("wsgi", "/sync_plain/"): {},
    }


@override_settings(MIDDLEWARE=[PROBE, *STARTPROJECT])
@pytest.mark.parametrize(
    "path",
    [
        "/async_plain/",
        "/sync_plain/",
        "/async_books_loop/",
        "/async_books_worker/",
        "/async_orm/",
        "/async_cache/",
    ],
)
def test_each_row_equals_the_report_under_the_asgi_wrapper(
    path: str, asgi_app: Callable[[], Any], reports: list[Report], library: Any
) -> None:
    """The contract: the audit opens the same scope as ProbeASGIWrapper, so a row's
    counts are that request's report there, request_started and close included."""
    (row,) = audit("--url", path, "--json", "--repeat", "1").json()
    asyncio.run(asgi_request(asgi_app(), path))
    report = reports[-1]
    assert report.path == path
    assert (
        row["thread_hops"],
        row["lazy_loads"],
        row["blocking_cache_calls"],
        row["cache_calls"],
        row["hops_by_cause"],
        row["view"],
        row["async_view"],
        row["status"],
    ) == (
        report.thread_hops,
        report.lazy_loads,
        report.blocking_cache_calls,
        report.cache_calls,
        report.hops_by_cause,
        report.view,
        report.async_view,
        report.status,
    )
    assert row["hops_by_cause"]["signal"] == row["hops_by_cause"]["response"] == 1
