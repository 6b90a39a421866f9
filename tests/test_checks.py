from __future__ import annotations

import pytest
from django.core import checks
from django.test import override_settings

from async_probe.chain import middleware_costs
from async_probe.checks import check_middleware, check_settings

PROBE = "async_probe.middleware.AsyncProbeMiddleware"


def ids(messages: list[checks.CheckMessage]) -> list[str]:
    return [m.id or "" for m in messages]


@override_settings(ASYNC_PROBE={"LAZY_LOADS": "loud", "COLOUR": True, "MAX_EVENTS": 10})
def test_settings_errors() -> None:
    messages = check_settings()
    assert ids(messages) == ["async_probe.E003", "async_probe.E002"]
    assert all(m.level == checks.ERROR for m in messages)
    assert (
        "'LAZY_LOADS'" in messages[0].msg
        and "'record', 'warn', 'raise'" in messages[0].msg
    )


@override_settings(ASYNC_PROBE=("ENABLED", False))
def test_settings_not_a_dict() -> None:
    assert ids(check_settings()) == ["async_probe.E001"]


def test_registered_with_django() -> None:
    with override_settings(ASYNC_PROBE={"NOPE": 1}):
        found = checks.run_checks(tags=["async_probe"])
    assert "async_probe.E002" in ids(found)


@override_settings(
    ASGI_APPLICATION="tests.asgi.application",
    MIDDLEWARE=[
        PROBE,
        "django.middleware.common.CommonMiddleware",
        "tests.testapp.middleware.SyncOnlyMiddleware",
    ],
)
def test_sync_only_middleware_under_asgi_is_a_warning_with_its_cost() -> None:
    (message,) = check_middleware()
    assert message.id == "async_probe.W001"
    assert message.msg.startswith(
        "tests.testapp.middleware.SyncOnlyMiddleware is sync-only: under ASGI every "
        "request crosses threads for it, 2 thread hop(s) per request"
    )


@override_settings(
    MIDDLEWARE=[PROBE, "tests.testapp.middleware.SyncOnlyMiddleware"],
)
def test_no_asgi_no_middleware_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    # A ProbeASGIWrapper built in this process also marks the project as ASGI.
    monkeypatch.setattr("async_probe.asgi.wrapped", False)
    assert check_middleware() == []


@override_settings(MIDDLEWARE=["django.middleware.common.CommonMiddleware", PROBE])
def test_probe_middleware_not_first() -> None:
    (message,) = check_middleware()
    assert message.id == "async_probe.W003"
    assert "django.middleware.common.CommonMiddleware" in message.msg


def test_chain_costs_of_the_startproject_stack() -> None:
    costs = middleware_costs(
        [
            PROBE,
            "django.middleware.security.SecurityMiddleware",
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
            "django.middleware.clickjacking.XFrameOptionsMiddleware",
        ]
    )
    assert [c.hops for c in costs] == [0, 2, 2, 2, 3, 1, 2, 1]
    assert costs[4].reasons == [
        "process_request via sync_to_async",
        "process_response via sync_to_async",
        "process_view via sync_to_async",
    ]
    assert sum(c.hops for c in middleware_costs([PROBE], is_async=False)) == 0
