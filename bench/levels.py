"""The instrumentation levels the benchmark compares, one process each.

Each level is a set of changes to :mod:`bench.project.settings` plus, for the
OpenTelemetry levels, a tracer provider set up before Django loads its
middleware. ``off`` is plain Django (async_probe not even in INSTALLED_APPS) and
is the denominator of every ratio.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from typing import Any

PROBE_MIDDLEWARE = "async_probe.middleware.AsyncProbeMiddleware"


@dataclass(frozen=True)
class Level:
    name: str
    label: str
    apps: tuple[str, ...] = ()
    middleware_first: tuple[str, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    # ProbeASGIWrapper around the ASGI application (async_probe's full request scope).
    wrapper: bool = False
    tracer: bool = (
        False  # OpenTelemetry SDK tracer + meter providers (nothing exported)
    )
    otel_django: bool = False  # opentelemetry-instrumentation-django
    needs: tuple[str, ...] = ()  # importable modules; missing ones mark it pending

    def pending(self) -> str | None:
        """Why this level cannot run here, or None."""
        for module in self.needs:
            try:
                found = importlib.util.find_spec(module) is not None
            except ModuleNotFoundError:
                found = False
            if not found:
                return f"pending: {module} not available"
        return None


_PROBE = ("async_probe",)
_SCOPE = (PROBE_MIDDLEWARE,)

LEVELS: tuple[Level, ...] = (
    Level("off", "no instrumentation"),
    # A second uninstrumented process: its ratio to "off" is the noise floor of
    # the run (an A/A test), so a 1 % target is read against it.
    Level("control", "no instrumentation, second process (A/A noise check)"),
    Level(
        "idle",
        "async_probe installed, idle (patches in, no scope)",
        apps=_PROBE,
    ),
    Level(
        "count",
        "async_probe counting (CALLSITES=False, HOP_TIMING=False)",
        apps=_PROBE,
        middleware_first=_SCOPE,
        settings={"ASYNC_PROBE": {"CALLSITES": False, "HOP_TIMING": False}},
        wrapper=True,
    ),
    Level(
        "callsites",
        "async_probe defaults (counts, callsites, hop timing)",
        apps=_PROBE,
        middleware_first=_SCOPE,
        wrapper=True,
    ),
    Level(
        "full",
        "async_probe full (STACKS, OTel sink, LAZY_LOADS=warn)",
        apps=_PROBE,
        middleware_first=_SCOPE,
        settings={"ASYNC_PROBE": {"STACKS": True, "OTEL": True, "LAZY_LOADS": "warn"}},
        wrapper=True,
        tracer=True,
        needs=("async_probe.otel", "opentelemetry.sdk"),
    ),
    Level(
        "otel",
        "async_probe defaults + the OTel sink (SDK providers, nothing exported)",
        apps=_PROBE,
        middleware_first=_SCOPE,
        settings={"ASYNC_PROBE": {"OTEL": True}},
        wrapper=True,
        tracer=True,
        needs=("async_probe.otel", "opentelemetry.sdk"),
    ),
    Level(
        "zeal",
        "django-zeal (warning mode)",
        apps=("zeal",),
        middleware_first=("zeal.middleware.zeal_middleware",),
        settings={"ZEAL_RAISE": False},
        needs=("zeal",),
    ),
    Level(
        "toolbar",
        "django-debug-toolbar (SQL + cache panels)",
        apps=("debug_toolbar",),
        middleware_first=("debug_toolbar.middleware.DebugToolbarMiddleware",),
        settings={
            "DEBUG_TOOLBAR_PANELS": [
                "debug_toolbar.panels.sql.SQLPanel",
                "debug_toolbar.panels.cache.CachePanel",
            ],
            "DEBUG_TOOLBAR_CONFIG": {
                "SHOW_TOOLBAR_CALLBACK": "bench.project.settings.always",
                "IS_RUNNING_TESTS": False,
            },
        },
        needs=("debug_toolbar",),
    ),
    Level(
        "otel-django",
        "opentelemetry-instrumentation-django",
        tracer=True,
        otel_django=True,
        needs=("opentelemetry.instrumentation.django", "opentelemetry.sdk"),
    ),
)

BY_NAME = {level.name: level for level in LEVELS}


def get(name: str) -> Level:
    try:
        return BY_NAME[name]
    except KeyError:
        raise SystemExit(
            f"unknown level {name!r}; choose from {', '.join(BY_NAME)}"
        ) from None
