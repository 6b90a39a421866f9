"""Switching the sink on and off; OTEL = "auto"; failing open; import hygiene."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings
from opentelemetry import metrics, trace
from opentelemetry.sdk.trace import TracerProvider

from async_probe import otel
from async_probe.report import Report
from async_probe.signals import report_ready
from tests.drivers import asgi_request

from .conftest import PROBE, ROOT, Telemetry


def connected() -> list[Any]:
    # Each entry starts with its lookup key, (dispatch_uid, sender id).
    return [
        entry for entry in report_ready.receivers if entry[0][0] == otel.DISPATCH_UID
    ]


def test_install_replaces_and_uninstall_returns_the_sink(telemetry: Telemetry) -> None:
    first = otel.installed()
    assert first is not None and otel.is_installed() and len(connected()) == 1
    second = otel.install(tracer_provider=telemetry.tracer_provider)
    assert otel.installed() is second is not first
    assert len(connected()) == 1
    assert otel.uninstall() is second
    assert (otel.installed(), otel.is_installed(), connected()) == (None, False, [])
    assert otel.uninstall() is None
    assert second.connect() is second and otel.installed() is second


def global_providers_unset() -> bool:
    return (
        isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider)
        and type(metrics.get_meter_provider()).__name__ == "_ProxyMeterProvider"
    )


@pytest.mark.skipif(
    not global_providers_unset(), reason="a global provider is configured"
)
def test_global_providers_are_waited_for() -> None:
    # With nothing configured the sink does nothing (and keeps looking, so SDK
    # set-up that runs after django.setup() is still in time).
    sink = otel.OtelSink()
    assert (sink.tracer(), sink.instruments()) == (None, None)


@pytest.mark.skipif(
    not global_providers_unset(), reason="a global provider is configured"
)
@override_settings(MIDDLEWARE=[PROBE], ASYNC_PROBE={"OTEL": True})
async def test_otel_true_without_a_provider_warns_once(
    asgi_app: Callable[[], Any],
    telemetry: Telemetry,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    transactional_db: None,
) -> None:
    monkeypatch.setattr(otel, "_warned_unconfigured", False)
    otel.install()  # the global providers: none configured in this process
    with caplog.at_level(logging.WARNING, logger="async_probe.otel"):
        await asgi_request(asgi_app(), "/async_plain/")
        await asgi_request(asgi_app(), "/async_plain/")
    (record,) = caplog.records
    assert (
        "no OpenTelemetry TracerProvider or MeterProvider is configured"
        in record.message
    )
    assert telemetry.spans() == []


class BrokenTracerProvider(TracerProvider):
    def get_tracer(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("exporter set-up failed")


@override_settings(MIDDLEWARE=[PROBE])
async def test_a_fault_in_the_sink_never_breaks_the_request(
    asgi_app: Callable[[], Any],
    telemetry: Telemetry,
    reports: list[Report],
    caplog: pytest.LogCaptureFixture,
    transactional_db: None,
) -> None:
    otel.install(
        tracer_provider=BrokenTracerProvider(shutdown_on_exit=False),
        meter_provider=telemetry.meter_provider,
    )
    with caplog.at_level(logging.ERROR, logger="async_probe"):
        first = await asgi_request(asgi_app(), "/async_plain/")
        second = await asgi_request(asgi_app(), "/async_plain/")
    assert (first.status, second.status, len(reports)) == (200, 200, 2)
    (record,) = caplog.records  # logged once per process, not per request
    assert "internal error in otel sink: spans" in record.message
    # Metrics are recorded apart from spans and still work.
    (point,) = telemetry.histograms()["async_probe.request.thread_hops"]
    assert (point.count, point.sum) == (2, 4)


def run_django(
    otel_setting: Any, *, hide_opentelemetry: bool = False
) -> dict[str, Any]:
    """Start Django in a fresh interpreter and report what the OTel side did."""
    script = f"""
import json, sys
if {hide_opentelemetry!r}:
    sys.modules["opentelemetry"] = None  # as if the package were not installed
import django
from django.conf import settings
settings.configure(
    INSTALLED_APPS=["async_probe"], ASYNC_PROBE={{"OTEL": {otel_setting!r}}}
)
django.setup()
from django.core import checks
from async_probe import otel
print(json.dumps({{
    "installed": otel.is_installed(),
    "checks": [m.id for m in checks.run_checks() if m.id.startswith("async_probe.")],
    "modules": sorted(m for m in sys.modules if m.split(".")[0] == "opentelemetry"
                      and sys.modules[m] is not None),
}}))
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_otel_false_imports_nothing_from_opentelemetry() -> None:
    assert run_django(False) == {"installed": False, "checks": [], "modules": []}


def test_auto_installs_but_imports_the_api_only_at_the_first_report() -> None:
    out = run_django("auto")
    assert (out["installed"], out["checks"]) == (True, [])
    # find_spec() loads the (empty) namespace package, nothing more.
    assert out["modules"] == ["opentelemetry"]


def test_without_the_package() -> None:
    assert run_django("auto", hide_opentelemetry=True) == {
        "installed": False,
        "checks": [],
        "modules": [],
    }
    assert run_django(True, hide_opentelemetry=True) == {
        "installed": False,
        "checks": ["async_probe.E010"],
        "modules": [],
    }
