"""``ProbeASGIWrapper``: one scope per HTTP request, around the whole ASGI app.

Django makes hops outside the middleware chain: the ``request_started`` signal's
sync receivers and the response close (which sends ``request_finished``) each
cross into a worker thread. Only a scope opened around the application sees
them. The wrapper itself makes no hop: it is plain async code.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from .scope import RequestScope

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
# Loose on purpose: Django's ASGIHandler, Channels' routers and Starlette apps
# all type their three arguments differently.
ASGIApp = Callable[..., Awaitable[None]]

#: Set once a wrapper exists: the system checks treat the project as ASGI.
wrapped = False


class ProbeASGIWrapper:
    def __init__(self, app: ASGIApp) -> None:
        global wrapped
        self.app = app
        wrapped = True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        probe_scope = RequestScope.enter(
            scope.get("method", "GET"), scope.get("path", ""), sender=type(self)
        )
        if probe_scope is None:
            await self.app(scope, receive, send)
            return
        info = probe_scope.info

        async def send_and_note_status(message: Message) -> None:
            if message.get("type") == "http.response.start":
                info.status = message.get("status")
            await send(message)

        try:
            await self.app(scope, receive, send_and_note_status)
        finally:
            probe_scope.exit()
