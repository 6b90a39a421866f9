from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from async_probe.conf import ProbeSettings, build, get_settings, validate


def test_defaults() -> None:
    settings = build(None)
    assert settings == ProbeSettings()
    assert (settings.enabled, settings.lazy_loads, settings.max_events) == (
        True,
        "record",
        1000,
    )
    assert (settings.callsites, settings.stacks, settings.redact_cache_keys) == (
        True,
        False,
        True,
    )


def test_read_at_access_time() -> None:
    assert get_settings().max_events == 1000
    with override_settings(ASYNC_PROBE={"MAX_EVENTS": 5}):
        assert get_settings().max_events == 5
    assert get_settings().max_events == 1000


def test_invalid_values_fall_back_to_defaults_at_runtime() -> None:
    settings = build({"MAX_EVENTS": "lots", "LAZY_LOADS": "raise", "NOPE": 1})
    assert settings.max_events == 1000 and settings.lazy_loads == "raise"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "ASYNC_PROBE must be a dict, not list."),
        ({"LAZY_LOAD": "raise"}, "ASYNC_PROBE has an unknown key 'LAZY_LOAD'."),
        (
            {"LAZY_LOADS": "explode"},
            "ASYNC_PROBE['LAZY_LOADS'] is 'explode'; "
            "it must be 'record', 'warn', 'raise'.",
        ),
        (
            {"MAX_EVENTS": 0},
            "ASYNC_PROBE['MAX_EVENTS'] is 0; it must be an integer >= 1.",
        ),
        (
            {"ENABLED": "yes"},
            "ASYNC_PROBE['ENABLED'] is 'yes'; it must be True or False.",
        ),
        (
            {"OTEL": "on"},
            "ASYNC_PROBE['OTEL'] is 'on'; it must be True, False or 'auto'.",
        ),
        ({"IGNORE": "oj.*"}, "ASYNC_PROBE['IGNORE'] is 'oj.*'; it must be a list of"),
        (
            {"THRESHOLDS": {"hops": 3}},
            "ASYNC_PROBE['THRESHOLDS'] is {'hops': 3}; it must be",
        ),
    ],
)
def test_validation_messages_name_the_key(raw: Any, message: str) -> None:
    (problem,) = validate(raw)
    assert problem.message.startswith(message)


def test_unknown_key_hint_suggests_the_close_one() -> None:
    (problem,) = validate({"LAZY_LOAD": "raise"})
    assert problem.hint.startswith("Did you mean 'LAZY_LOADS'?")


def test_ignore_patterns_compile_once() -> None:
    settings = build({"IGNORE": ["auth.User.*", "*.Book.author"]})
    assert settings.ignores("auth.User", "groups")
    assert settings.ignores("testapp.Book", "author")
    assert not settings.ignores("testapp.Book", "publisher")
