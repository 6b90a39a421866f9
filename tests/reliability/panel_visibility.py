"""Run with DJANGO_SETTINGS_MODULE=tests.panels.settings (the toolbar installed):
serve the same HTML page with the toolbar's show callback saying yes and no,
under ASGI and WSGI, and print what each response and the toolbar's store got.

A script, not a test module: the toolbar patches Django at start-up, which the
library's own test process must not see (see tests/panels/settings.py).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import django

django.setup()

from debug_toolbar.store import get_store  # noqa: E402
from django.core.asgi import get_asgi_application  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

from async_probe.asgi import ProbeASGIWrapper  # noqa: E402
from async_probe.report import Report  # noqa: E402
from async_probe.signals import report_ready  # noqa: E402
from panels.panel import PANEL_ATTR  # noqa: E402
from tests.drivers import Response, asgi_request  # noqa: E402

HIDDEN = [(b"x-toolbar", b"off")]
MARKERS = ("djDebug", "AsyncProbePanel", "Async probe", "async_probe")


def wsgi_page(hidden: bool) -> Response:
    import io
    from wsgiref.util import setup_testing_defaults

    environ: dict[str, Any] = {"PATH_INFO": "/async_page/", "wsgi.input": io.BytesIO()}
    if hidden:
        environ["HTTP_X_TOOLBAR"] = "off"
    setup_testing_defaults(environ)
    started: dict[str, Any] = {}

    def start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
        started.update(status=int(status.split()[0]), headers=dict(headers))
        return lambda data: None

    body = b"".join(app_wsgi(environ, start_response))
    return Response(started["status"], started["headers"], body)


def describe(response: Response, reports: list[tuple[Any, Report]]) -> dict[str, Any]:
    request, report = reports[-1]
    text = response.body.decode() + json.dumps(response.headers)
    return {
        "status": response.status,
        "markers": [m for m in MARKERS if m in text],
        "panel_waiting": request is not None and hasattr(request, PANEL_ATTR),
        "counted": report.thread_hops if report.is_request else None,
    }


app_wsgi = get_wsgi_application()
app_asgi = ProbeASGIWrapper(get_asgi_application())
reports: list[tuple[Any, Report]] = []


def keep(sender: Any, report: Report, request: Any = None, **kwargs: Any) -> None:
    reports.append((request, report))


report_ready.connect(keep)
result: dict[str, Any] = {}
for mode in ("asgi", "wsgi"):
    for hidden in (False, True):
        stored = len(list(get_store().request_ids()))
        if mode == "asgi":
            response = asyncio.run(
                asgi_request(
                    app_asgi, "/async_page/", headers=HIDDEN if hidden else None
                )
            )
        else:
            response = wsgi_page(hidden)
        outcome = describe(response, reports)
        outcome["stored"] = len(list(get_store().request_ids())) - stored
        result[f"{mode} {'hidden' if hidden else 'shown'}"] = outcome
print(json.dumps(result))
