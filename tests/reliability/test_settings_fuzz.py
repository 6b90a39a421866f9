"""Hypothesis over ``ASYNC_PROBE``: whatever it holds, start-up and requests never
crash, and every unknown key or invalid value gets a system check naming it.

The validity rules below are written from the documented contract (README /
DESIGN), not read from async_probe.conf, so they check it rather than echo it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.apps import apps
from django.core.checks import Error
from django.core.wsgi import get_wsgi_application
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from async_probe import otel
from async_probe.asgi import ProbeASGIWrapper
from async_probe.checks import check_middleware, check_settings
from async_probe.conf import get_settings
from tests.drivers import asgi_request, wsgi_request

from .conftest import PROBE

THRESHOLD_KEYS = (
    "thread_hops",
    "lazy_loads",
    "blocking_cache_calls",
    "cache_calls",
    "hop_wait_ms",
)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _bool(value: Any) -> bool:
    return isinstance(value, bool)


VALID = {
    "ENABLED": _bool,
    "LAZY_LOADS": lambda v: isinstance(v, str) and v in ("record", "warn", "raise"),
    "CALLSITES": _bool,
    "STACKS": _bool,
    "MAX_EVENTS": lambda v: _number(v) and isinstance(v, int) and v >= 1,
    "IGNORE": lambda v: (
        isinstance(v, list | tuple) and all(isinstance(p, str) and p.strip() for p in v)
    ),
    "REDACT_CACHE_KEYS": _bool,
    "OTEL": lambda v: _bool(v) or (isinstance(v, str) and v == "auto"),
    "THRESHOLDS": lambda v: (
        isinstance(v, Mapping)
        and all(
            isinstance(k, str)
            and k in THRESHOLD_KEYS
            and _number(b)
            and not math.isnan(b)
            and b >= 0
            for k, b in v.items()
        )
    ),
    "HOP_SPANS": _bool,
    "HOP_TIMING": _bool,
}

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.binary(max_size=4),
)
junk = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.tuples(inner, inner),
        st.dictionaries(
            st.one_of(st.text(max_size=8), st.integers()), inner, max_size=3
        ),
    ),
    max_leaves=8,
)
good = {
    "ENABLED": st.booleans(),
    "LAZY_LOADS": st.sampled_from(["record", "warn", "raise"]),
    "CALLSITES": st.booleans(),
    "STACKS": st.booleans(),
    "MAX_EVENTS": st.integers(1, 5000),
    "IGNORE": st.lists(st.text(min_size=1, max_size=20), max_size=3),
    "REDACT_CACHE_KEYS": st.booleans(),
    "OTEL": st.sampled_from([True, False, "auto"]),
    "THRESHOLDS": st.dictionaries(
        st.sampled_from(THRESHOLD_KEYS),
        st.floats(-1, 1e6) | st.integers(-1, 100),
        max_size=3,
    ),
    "HOP_SPANS": st.booleans(),
    "HOP_TIMING": st.booleans(),
}
known_entry = st.sampled_from(sorted(VALID)).flatmap(
    lambda key: st.tuples(st.just(key), good[key] | junk)
)
# Keys users really get wrong: case, spelling, types.
unknown_key = st.one_of(
    st.text(max_size=16),
    st.sampled_from(["enabled", "CALLSITE", "MAX_EVENT", "Otel"]),
    st.integers(),
)
entries = st.lists(st.one_of(known_entry, st.tuples(unknown_key, junk)), max_size=6)
configs = st.one_of(entries.map(dict), junk)


@pytest.fixture(scope="module")
def apps_ready() -> Iterator[None]:
    """Restore the OTel sink that re-running ready() may replace."""
    previous = otel.installed()
    yield
    otel.uninstall()
    if previous is not None:
        previous.connect()


def expected_problem_keys(raw: Any) -> set[Any] | None:
    """The keys that must each get a check; None when ASYNC_PROBE is not a dict."""
    if raw is None:
        return set()
    if not isinstance(raw, Mapping):
        return None
    return {
        key for key, value in raw.items() if key not in VALID or not VALID[key](value)
    }


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=configs)
def test_any_async_probe_setting_is_reported_and_never_crashes(
    raw: Any, apps_ready: None, db: None
) -> None:
    with override_settings(ASYNC_PROBE=raw, MIDDLEWARE=[PROBE]):
        # Start-up: the app's ready() reads the settings (install, sinks).
        apps.get_app_config("async_probe").ready()
        messages = check_settings() + check_middleware()
        errors = [m for m in messages if isinstance(m, Error)]
        expected = expected_problem_keys(raw)
        if expected is None:
            assert [e.id for e in errors] == ["async_probe.E001"]
            assert "ASYNC_PROBE must be a dict" in errors[0].msg
        else:
            assert len(errors) == len(expected), [e.msg for e in errors]
            for key in expected:
                assert any(repr(key) in e.msg for e in errors), (
                    key,
                    [e.msg for e in errors],
                )
            for error in errors:
                assert error.id in ("async_probe.E002", "async_probe.E003")
        get_settings()  # never raises: bad values fall back to their defaults
        # Requests: a sync view under WSGI, an async one under ASGI.
        assert wsgi_request(get_wsgi_application(), "/sync_cache/").status == 200
        from django.core.asgi import get_asgi_application

        app = ProbeASGIWrapper(get_asgi_application())
        assert async_to_sync(asgi_request)(app, "/async_plain/").status == 200
