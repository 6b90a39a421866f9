"""``AsyncProbeMiddleware``: the request scope inside Django's middleware chain.

Dual-mode, so Django never adapts it (it adds no hop of its own under ASGI or
WSGI) unless a sync-only middleware sits below it. Put it first in MIDDLEWARE.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponseBase

from .scope import RequestScope


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
        finally:
            scope.exit(status)
        return response
