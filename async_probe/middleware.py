"""``AsyncProbeMiddleware``: the request scope inside Django's middleware chain.

Dual-mode, so Django never adapts it (it adds no hop of its own under ASGI or
WSGI) unless a sync-only middleware sits below it. Put it first in MIDDLEWARE.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from .faults import fault
from .scope import RequestScope, join


def add_server_timing(response: HttpResponseBase, scope: RequestScope) -> None:
    """Append the request's counts so far to ``Server-Timing`` (when DEBUG), so
    the browser's devtools show them for every response, API calls included.

    Three metrics: ``aprobe-hops`` (``dur``: hop wait + run time),
    ``aprobe-lazy`` and ``aprobe-blocking`` (``dur``: time in blocking cache
    calls), each with the count in ``desc``. Hops Django makes after the
    middleware returns (the response close under ProbeASGIWrapper) come too
    late for a header; the report and the panel have them.
    """
    try:
        if not settings.DEBUG:
            return
        report = scope.collector.report()
        blocking_s = sum(c.duration_s for c in report.cache if c.blocking)
        metrics = (
            f"aprobe-hops;dur={(report.hop_wait_s + report.hop_run_s) * 1000:.3f};"
            f'desc="thread hops: {report.thread_hops}", '
            f'aprobe-lazy;desc="lazy loads: {report.lazy_loads}", '
            f"aprobe-blocking;dur={blocking_s * 1000:.3f};"
            f'desc="blocking cache calls: {report.blocking_cache_calls} '
            f'of {report.cache_calls}"'
        )
        existing = response.headers.get("Server-Timing")
        response.headers["Server-Timing"] = (
            f"{existing}, {metrics}" if existing else metrics
        )
    except Exception as exc:
        fault("middleware.server_timing", exc)


class AsyncProbeMiddleware:
    sync_capable = True
    async_capable = True

    def __init__(
        self,
        get_response: Callable[[HttpRequest], HttpResponseBase]
        | Callable[[HttpRequest], Awaitable[HttpResponseBase]],
    ) -> None:
        self.get_response = get_response
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self.async_mode:
            # ProbeASGIWrapper opened the scope and notes the status; unless
            # DEBUG wants the Server-Timing header there is nothing left for us
            # to do, so we hand back the next layer's coroutine and add no
            # frame of our own, which every suspension of the request (each
            # hop) would otherwise pass through twice.
            try:
                if join(request) is not None and not settings.DEBUG:
                    return self.get_response(request)
            except Exception as exc:
                fault("middleware.join", exc)
            return self.__acall__(request)
        scope = RequestScope.enter(
            request.method or "GET", request.path, sender=type(self), request=request
        )
        if scope is None:
            return self.get_response(request)
        status = None
        try:
            response: HttpResponseBase = self.get_response(request)  # type: ignore[assignment]
            status = response.status_code
            add_server_timing(response, scope)
        finally:
            scope.exit(status)
        return response

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        scope = RequestScope.enter(
            request.method or "GET", request.path, sender=type(self), request=request
        )
        if scope is None:
            return await self.get_response(request)  # type: ignore[no-any-return,misc]
        status = None
        try:
            response: HttpResponseBase = await self.get_response(request)  # type: ignore[misc]
            status = response.status_code
            add_server_timing(response, scope)
        finally:
            scope.exit(status)
        return response
