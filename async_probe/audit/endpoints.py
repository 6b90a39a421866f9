"""What the audit requests: endpoints from ``--url`` values and ``--file`` files.

Two file formats, told apart by the first character that is not blank:

- JSON (starts with ``[``): a list of objects with ``path`` (required; may carry
  a query string) and optional ``method`` (default ``GET``), ``body`` (a string,
  or any JSON value, sent as JSON), ``content_type``, ``user`` (log in as this
  username) and ``headers`` (an object of header names to values).
- Lines: one endpoint per line, ``METHOD PATH [as USER] [BODY]``; blank lines
  and lines starting with ``#`` are skipped; ``BODY`` is the rest of the line,
  sent as JSON when it parses as JSON. The method may be left out (``GET``).

A bad line or entry is reported by file and line and skipped; the rest runs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.urls import NoReverseMatch, reverse

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
LINE_FORMAT = "[METHOD] /path[?query] [as USER] [BODY]"


class InputError(Exception):
    """Bad audit input; the message names what was wrong and where it came from."""


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    query: str = ""
    body: bytes = b""
    content_type: str | None = None
    user: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    #: Where the endpoint was given ("--url", "endpoints.txt:3", "urlconf").
    source: str = field(default="", compare=False)

    @property
    def url(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path

    @property
    def label(self) -> str:
        """Unique per endpoint: the baseline key and the table's first column."""
        who = f" as {self.user}" if self.user else ""
        # Header names, not values: an appkey or a token stays out of the output.
        extra = f" with {', '.join(self.header_names)}" if self.headers else ""
        return f"{self.method} {self.url}{who}{extra}"

    @property
    def header_names(self) -> list[str]:
        return [name for name, _ in self.headers]


def make(
    method: str,
    url: str,
    *,
    body: Any = None,
    content_type: str | None = None,
    user: str | None = None,
    headers: dict[str, str] | None = None,
    source: str = "",
) -> Endpoint:
    method = method.upper()
    if method not in METHODS:
        raise InputError(f"{source}: unknown HTTP method {method!r}")
    if not url.startswith("/"):
        raise InputError(f"{source}: path {url!r} must start with '/'")
    parts = urlsplit(url)
    raw, content_type = _encode_body(body, content_type)
    return Endpoint(
        method=method,
        path=parts.path,
        query=parts.query,
        body=raw,
        content_type=content_type,
        user=user or None,
        headers=tuple(sorted((headers or {}).items())),
        source=source,
    )


def _encode_body(body: Any, content_type: str | None) -> tuple[bytes, str | None]:
    if body is None or body == "":
        return b"", content_type
    if isinstance(body, str):
        if content_type is None:
            content_type = "application/json" if _is_json(body) else "text/plain"
        return body.encode(), content_type
    return json.dumps(body).encode(), content_type or "application/json"


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def from_url_option(value: str, user: str | None = None) -> Endpoint:
    """A ``--url`` value: a path (``/api/x?id=1``) or a URL name (``api-x``)."""
    source = f"--url {value}"
    if value.startswith("/"):
        return make("GET", value, user=user, source=source)
    name, _, query = value.partition("?")
    try:
        path = reverse(name)
    except NoReverseMatch:
        raise InputError(_no_reverse_message(name)) from None
    return make("GET", f"{path}?{query}" if query else path, user=user, source=source)


def _no_reverse_message(name: str) -> str:
    from django.urls import get_resolver

    if name in get_resolver().reverse_dict or (":" in name and _namespaced(name)):
        return f"URL name {name!r} needs arguments: give --url the path instead"
    return f"unknown URL name {name!r} (not a path either: paths start with '/')"


def _namespaced(name: str) -> bool:
    from django.urls import get_resolver

    *namespaces, view = name.split(":")
    resolver = get_resolver()
    for ns in namespaces:
        found = resolver.namespace_dict.get(ns)
        if found is None:
            return False
        resolver = found[1]
    return view in resolver.reverse_dict


def read_file(path: str) -> tuple[list[Endpoint], list[InputError]]:
    """Endpoints of an endpoints file, and the errors of its bad entries."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [InputError(f"endpoints file {path}: cannot read it ({exc})")]
    if text.lstrip().startswith("["):
        return _read_json(path, text)
    return _read_lines(path, text)


def _read_json(path: str, text: str) -> tuple[list[Endpoint], list[InputError]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        message = f"{path}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg})"
        return [], [InputError(message)]
    if not isinstance(data, list):
        return [], [InputError(f"{path}: expected a JSON list of endpoint objects")]
    endpoints: list[Endpoint] = []
    errors: list[InputError] = []
    for index, entry in enumerate(data):
        source = f"{path}[{index}]"
        try:
            endpoints.append(_from_object(entry, source))
        except InputError as exc:
            errors.append(exc)
    return endpoints, errors


_KEYS = frozenset({"method", "path", "body", "content_type", "user", "headers"})


def _from_object(entry: Any, source: str) -> Endpoint:
    if not isinstance(entry, dict):
        raise InputError(f"{source}: expected an object with a 'path', got {entry!r}")
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise InputError(
            f"{source}: unknown key(s) {', '.join(unknown)}; allowed: "
            f"{', '.join(sorted(_KEYS))}"
        )
    url = entry.get("path")
    if not isinstance(url, str):
        raise InputError(f"{source}: 'path' must be a string, got {url!r}")
    headers = entry.get("headers") or {}
    if not isinstance(headers, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
    ):
        raise InputError(f"{source}: 'headers' must map header names to strings")
    for key in ("method", "user", "content_type"):
        if not isinstance(entry.get(key, ""), str):
            raise InputError(f"{source}: {key!r} must be a string")
    return make(
        entry.get("method", "GET"),
        url,
        body=entry.get("body"),
        content_type=entry.get("content_type"),
        user=entry.get("user"),
        headers={k.lower(): v for k, v in headers.items()},
        source=source,
    )


def _read_lines(path: str, text: str) -> tuple[list[Endpoint], list[InputError]]:
    endpoints: list[Endpoint] = []
    errors: list[InputError] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            endpoints.append(parse_line(line, f"{path}:{lineno}"))
        except InputError as exc:
            errors.append(exc)
    return endpoints, errors


def parse_line(line: str, source: str) -> Endpoint:
    words = line.split(None, 1)
    method = "GET"
    if words[0].upper() in METHODS and len(words) > 1:
        method, line = words[0], words[1]
    url, _, rest = line.partition(" ")
    if not url.startswith("/"):
        raise InputError(f"{source}: expected {LINE_FORMAT!r}, got {line!r}")
    rest = rest.strip()
    user = None
    if rest.startswith("as ") or rest == "as":
        _, _, rest = rest.partition(" ")
        user, _, rest = rest.strip().partition(" ")
        if not user:
            raise InputError(f"{source}: 'as' needs a username, got {line!r}")
    return make(method, url, body=rest.strip() or None, user=user, source=source)
