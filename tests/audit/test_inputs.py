"""Endpoint files, logins, and bad input: named, skipped, and exit status 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from async_probe.audit.endpoints import InputError, parse_line
from tests.audit.helpers import PROBE, STARTPROJECT, audit


@pytest.fixture(autouse=True)
def _stack(settings: Any, transactional_db: None) -> None:
    settings.MIDDLEWARE = [PROBE, *STARTPROJECT]


@pytest.fixture
def ann(transactional_db: None) -> Any:
    from django.contrib.auth.models import User

    return User.objects.create_user("ann", password="pw")


def test_line_format() -> None:
    endpoint = parse_line('POST /api/x?id=1 as ann {"a": 1}', "f:1")
    assert (endpoint.method, endpoint.path, endpoint.query, endpoint.user) == (
        "POST",
        "/api/x",
        "id=1",
        "ann",
    )
    assert (endpoint.body, endpoint.content_type) == (b'{"a": 1}', "application/json")
    assert endpoint.label == "POST /api/x?id=1 as ann"
    plain = parse_line("/api/y text body", "f:2")
    assert (plain.method, plain.body, plain.content_type) == (
        "GET",
        b"text body",
        "text/plain",
    )
    with pytest.raises(InputError, match=r"^f:3: 'as' needs a username, got '/x as'$"):
        parse_line("/x as", "f:3")


def test_url_names_resolve_and_unknown_names_are_named(ann: Any) -> None:
    run = audit("--url", "async_plain", "--url", "nope", "--url", "/sync_plain/")
    assert run.status == 2
    assert list(run.rows()) == ["GET /async_plain/", "GET /sync_plain/"]
    assert run.err.splitlines() == [
        "error: unknown URL name 'nope' (not a path either: paths start with '/')"
    ]
    assert run.message == (
        "async_probe audit: 1 input error, listed above; the other endpoints ran"
    )


def test_a_path_that_matches_no_route(ann: Any) -> None:
    run = audit("--url", "/nope/", "--url", "/async_plain/", "--repeat", "1")
    assert run.status == 2
    assert list(run.rows()) == ["GET /async_plain/"]
    assert run.err.splitlines() == [
        "error: GET /nope/ (--url /nope/): path '/nope/' matches no URL pattern (404)"
    ]


def test_logged_in_requests_and_a_user_that_does_not_exist(
    ann: Any, tmp_path: Path
) -> None:
    from django.contrib.sessions.models import Session

    endpoints = tmp_path / "endpoints.txt"
    endpoints.write_text(
        "# comments and blank lines are skipped\n\n"
        "GET /async_auser/ as ann\n"
        "/async_auser/\n"
        "GET /async_auser/ as ghost\n"
        'POST /async_plain/ as ann {"a": 1}\n'
    )
    run = audit("--file", str(endpoints), "--json", "--repeat", "1")
    assert run.status == 2
    assert run.err.splitlines() == [
        "error: GET /async_auser/ as ghost: user 'ghost' does not exist "
        "(auth.User.username)"
    ]
    rows = {(row["method"], row["user"]): row for row in run.json()}
    assert {key: row["status"] for key, row in rows.items()} == {
        ("GET", "ann"): 200,
        ("GET", None): 200,
        (
            "POST",
            "ann",
        ): 200,  # the CSRF cookie and header got it past CsrfViewMiddleware
    }
    # Logged in, request.auser() loads the session and the user: two hops.
    assert rows["GET", "ann"]["hops_by_cause"].get("auth") == 2
    assert rows["GET", None]["hops_by_cause"].get("auth") is None
    ann.refresh_from_db()
    assert ann.last_login is not None and Session.objects.count() == 1


def test_json_file_and_its_bad_entries(ann: Any, tmp_path: Path) -> None:
    endpoints = tmp_path / "endpoints.json"
    endpoints.write_text(
        json.dumps(
            [
                {"path": "/async_plain/", "headers": {"X-Extra": "1"}},
                {
                    "method": "POST",
                    "path": "/sync_plain/",
                    "user": "ann",
                    "body": {"a": 1},
                },
                {"method": "FETCH", "path": "/async_plain/"},
                {"path": "async_plain/"},
                {"url": "/async_plain/"},
                ["GET", "/async_plain/"],
            ]
        )
    )
    run = audit("--file", str(endpoints), "--repeat", "1")
    assert run.status == 2
    assert list(run.rows()) == [
        "GET /async_plain/ with x-extra",  # header names only, never values
        "POST /sync_plain/ as ann",
    ]
    assert run.err.splitlines() == [
        f"error: {endpoints}[2]: unknown HTTP method 'FETCH'",
        f"error: {endpoints}[3]: path 'async_plain/' must start with '/'",
        f"error: {endpoints}[4]: unknown key(s) url; allowed: body, content_type, "
        "headers, method, path, user",
        f"error: {endpoints}[5]: expected an object with a 'path', got "
        "['GET', '/async_plain/']",
    ]


def test_malformed_files_are_named_and_the_rest_runs(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('[{"path": "/async_plain/"},\n  {"path": }]')
    lines = tmp_path / "lines.txt"
    lines.write_text("GET /async_plain/\nthis is not an endpoint\n")
    missing = tmp_path / "missing.txt"
    run = audit(
        "--file", str(broken), "--file", str(lines), "--file", str(missing),
        "--repeat", "1",
    )  # fmt: skip
    assert run.status == 2
    assert list(run.rows()) == ["GET /async_plain/"]
    assert run.err.splitlines() == [
        f"error: {broken}:2:12: not valid JSON (Expecting value)",
        f"error: {lines}:2: expected '[METHOD] /path[?query] [as USER] [BODY]', "
        "got 'this is not an endpoint'",
        f"error: endpoints file {missing}: cannot read it ([Errno 2] No such file "
        f"or directory: '{missing}')",
    ]


def test_bad_input_wins_over_findings(library: Any) -> None:
    run = audit("--url", "/async_books_loop/", "--url", "nope", "--repeat", "1")
    assert run.status == 2
    assert run.rows()["GET /async_books_loop/"][4] == "3"


def test_repeat_must_be_positive() -> None:
    run = audit("--url", "/async_plain/", "--repeat", "0")
    assert run.status == 1  # argparse's own error through call_command
    assert "argument --repeat: expected an integer >= 1" in run.message
