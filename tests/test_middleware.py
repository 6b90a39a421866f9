"""AsyncProbeMiddleware joining the ASGI wrapper's scope, and opening its own."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from async_probe.asgi import ProbeASGIWrapper
from async_probe.middleware import AsyncProbeMiddleware
from async_probe.report import Report
from async_probe.scope import RequestScope
from tests.drivers import asgi_request

PROBE = "async_probe.middleware.AsyncProbeMiddleware"


async def next_layer(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


@pytest.mark.parametrize("debug", [False, True])
async def test_joining_the_wrappers_scope(debug: bool) -> None:
    middleware = AsyncProbeMiddleware(next_layer)
    request = RequestFactory().get("/somewhere/")
    scope = RequestScope.enter("GET", "/somewhere/", sender=ProbeASGIWrapper)
    assert scope is not None
    try:
        with override_settings(DEBUG=debug):
            step = middleware(request)
            # Without DEBUG the middleware hands back the next layer's own
            # coroutine: no frame of ours for every hop's suspension to pass
            # through. With DEBUG it stays in the chain to add Server-Timing.
            expected = AsyncProbeMiddleware.__acall__ if debug else next_layer
            assert step.cr_code is expected.__code__
            response = await step
    finally:
        report = scope.exit(response.status_code)
    assert scope.info.request is request
    assert report is not None and report.status == 200
    assert ("aprobe-hops" in response.headers.get("Server-Timing", "")) is debug


async def test_without_a_scope_the_middleware_opens_one(
    reports: list[Report],
) -> None:
    middleware = AsyncProbeMiddleware(next_layer)
    request = RequestFactory().get("/somewhere/")
    response = await middleware(request)
    (report,) = reports
    assert (report.method, report.path, report.status) == ("GET", "/somewhere/", 200)
    assert response.status_code == 200


@override_settings(MIDDLEWARE=[PROBE])
async def test_receivers_get_the_request_under_the_wrapper(
    asgi_app: Any, transactional_db: None
) -> None:
    from async_probe.signals import report_ready

    seen: list[tuple[Any, Report]] = []

    def receiver(sender: Any, request: Any, report: Report, **kwargs: Any) -> None:
        seen.append((request, report))

    report_ready.connect(receiver, dispatch_uid="tests.middleware")
    try:
        response = await asgi_request(asgi_app(), "/missing-page/")
    finally:
        report_ready.disconnect(dispatch_uid="tests.middleware")
    # No view resolved (a 404): the request still reaches receivers, from the
    # middleware that joined the scope, and the status from the wrapper.
    assert response.status == 404
    ((request, report),) = seen
    assert isinstance(request, HttpRequest) and request.path == "/missing-page/"
    assert (report.status, report.view) == (404, None)
