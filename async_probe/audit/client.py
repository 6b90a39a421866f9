"""Drive the project's own handlers in-process, the way a server would.

ASGI: one ``http`` scope per request, the body in one ``http.request`` message,
and ``http.disconnect`` only once the response is complete (as uvicorn does), so
Django's disconnect listener does not cut the view short. WSGI: a PEP 3333
environ and the response iterable closed after reading (which is when Django
sends ``request_finished``).

Logged-in requests carry a session cookie made like the test client's
``force_login`` does it, and unsafe methods a CSRF cookie and header, so that
the audit measures the view, not a 403.
"""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.conf import settings
from django.utils.crypto import get_random_string

from .endpoints import Endpoint, InputError

Message = MutableMapping[str, Any]
ASGIApp = Callable[..., Awaitable[None]]
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


@dataclass
class Sent:
    """One request's outcome as the client saw it."""

    status: int
    elapsed_s: float


def server_name() -> str:
    """A host name the project accepts (the test client's 'testserver' is only
    allowed under the test runner)."""
    for host in settings.ALLOWED_HOSTS:
        if host == "*":
            break
        if host.startswith("."):
            return host[1:]
        return host
    return "localhost"


class Sessions:
    """A session cookie per username, made once per audit."""

    def __init__(self) -> None:
        self._cookies: dict[str, str] = {}

    def cookie(self, username: str) -> str:
        if username not in self._cookies:
            self._cookies[username] = _login(username)
        return self._cookies[username]


def _login(username: str) -> str:
    from django.apps import apps

    if not apps.is_installed("django.contrib.sessions"):
        raise InputError(
            f"cannot log in as {username!r}: django.contrib.sessions is not installed"
        )
    from django.contrib.auth import get_user_model, load_backend, login
    from django.http import HttpRequest

    model = get_user_model()
    try:
        user = model._default_manager.get_by_natural_key(username)
    except model.DoesNotExist:
        raise InputError(
            f"user {username!r} does not exist ({model._meta.label}."
            f"{model.USERNAME_FIELD})"
        ) from None
    backend = next(
        (
            path
            for path in settings.AUTHENTICATION_BACKENDS
            if hasattr(load_backend(path), "get_user")
        ),
        None,
    )
    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    login(request, user, backend)
    request.session.save()
    return f"{settings.SESSION_COOKIE_NAME}={request.session.session_key}"


def request_headers(endpoint: Endpoint, sessions: Sessions) -> list[tuple[str, str]]:
    headers = [("host", server_name())]
    cookies = []
    if endpoint.user:
        cookies.append(sessions.cookie(endpoint.user))
    if endpoint.method not in _SAFE_METHODS:
        # Django accepts the unmasked 32-character secret in the header.
        token = get_random_string(32)
        cookies.append(f"{settings.CSRF_COOKIE_NAME}={token}")
        header = settings.CSRF_HEADER_NAME.removeprefix("HTTP_").replace("_", "-")
        headers.append((header.lower(), token))
    if cookies:
        headers.append(("cookie", "; ".join(cookies)))
    if endpoint.body:
        headers.append(("content-length", str(len(endpoint.body))))
        if endpoint.content_type:
            headers.append(("content-type", endpoint.content_type))
    headers.extend(endpoint.headers)
    return headers


async def asgi_call(
    app: ASGIApp, endpoint: Endpoint, headers: list[tuple[str, str]]
) -> Sent:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": endpoint.method,
        "scheme": "http",
        "path": endpoint.path,
        "raw_path": endpoint.path.encode(),
        "query_string": endpoint.query.encode(),
        "root_path": "",
        "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers],
        "client": ("127.0.0.1", 50000),
        "server": (server_name(), 80),
    }
    incoming: list[Message] = [
        {"type": "http.request", "body": endpoint.body, "more_body": False}
    ]
    done = asyncio.Event()
    status = 0

    async def receive() -> Message:
        if incoming:
            return incoming.pop(0)
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body" and not message.get("more_body"):
            done.set()

    started = time.perf_counter()
    try:
        await app(scope, receive, send)
    finally:
        done.set()
    return Sent(status, time.perf_counter() - started)


def wsgi_call(app: Any, endpoint: Endpoint, headers: list[tuple[str, str]]) -> Sent:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": endpoint.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": endpoint.path,
        "QUERY_STRING": endpoint.query,
        "SERVER_NAME": server_name(),
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(endpoint.body),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in headers:
        key = name.upper().replace("-", "_")
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            environ[key] = value
        else:
            environ[f"HTTP_{key}"] = value
    status = 0

    def start_response(line: str, _headers: Any, exc_info: Any = None) -> Any:
        nonlocal status
        status = int(line.split()[0])
        return lambda data: None

    started = time.perf_counter()
    chunks = app(environ, start_response)
    try:
        for _ in chunks:
            pass
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
    return Sent(status, time.perf_counter() - started)
