"""The URLconf's argument-free routes: what the audit requests when given no list.

Only routes that a bare ``GET`` can reach are requested. Everything else is
skipped with a reason the audit prints: routes that need arguments (converters,
regex groups), regexes that are not a literal path, class-based views without a
``get`` handler, and the routes of tools rather than of the project (the admin,
static and media files, django-debug-toolbar), whose costs are not the
project's to fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

from .endpoints import Endpoint, make

# (view module prefix or URL namespace, why a route there is skipped)
_TOOL_MODULES = (
    ("django.contrib.admin.", "Django admin"),
    ("django.contrib.admindocs.", "Django admin docs"),
    ("django.contrib.staticfiles.", "static files"),
    ("django.views.static.", "static files"),
    ("debug_toolbar.", "debug toolbar"),
)
_TOOL_NAMESPACES = {"admin": "Django admin", "djdt": "debug toolbar"}
_REGEX_META = re.compile(r"[\^$*+?{}\[\]|()]")
_ESCAPED = re.compile(r"\\(\W)")


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


def discover(user: str | None = None) -> tuple[list[Endpoint], list[Skipped]]:
    """``GET`` endpoints for the root URLconf's argument-free routes, in order."""
    endpoints: list[Endpoint] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()
    for found in _walk(get_resolver().url_patterns, "/", "/", ()):
        if isinstance(found, Skipped):
            skipped.append(found)
        elif found not in seen:  # Django serves the first of two equal routes
            seen.add(found)
            endpoints.append(make("GET", found, user=user, source="urlconf"))
    return endpoints, skipped


def _walk(
    patterns: list[Any], prefix: str, shown: str, namespaces: tuple[str, ...]
) -> Iterator[str | Skipped]:
    """Literal paths to request, and Skipped entries (one per admin site or
    per include that takes arguments, not one per route inside it)."""
    for pattern in patterns:
        literal = _literal(pattern.pattern)
        path = None if literal is None else prefix + literal
        text = shown + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace:
                inner = (*namespaces, pattern.namespace)
            else:
                inner = namespaces
            tool = _tool_namespace(inner)
            if tool is not None:
                yield Skipped(text, tool)
            elif path is None:
                yield Skipped(text, _why_not_literal(pattern.pattern))
            else:
                yield from _walk(pattern.url_patterns, path, text, inner)
        elif path is None:
            yield Skipped(text, _why_not_literal(pattern.pattern))
        else:
            reason = _skip_reason(path, pattern)
            yield path if reason is None else Skipped(path, reason)


def _literal(pattern: Any) -> str | None:
    """The path a pattern matches when it takes no arguments, else None."""
    if getattr(pattern, "converters", None):
        return None
    if isinstance(pattern, RegexPattern):
        if pattern.regex.groups:
            return None
        text = str(pattern).removeprefix("^").removesuffix(r"\Z").removesuffix("$")
        # '.' counts as literal: ^robots.txt$ matches the path robots.txt too.
        if _REGEX_META.search(_ESCAPED.sub("", text)):
            return None
        return _ESCAPED.sub(r"\1", text)
    return str(pattern)


def _why_not_literal(pattern: Any) -> str:
    if getattr(pattern, "converters", None) or (
        isinstance(pattern, RegexPattern) and pattern.regex.groups
    ):
        return "needs arguments"
    return "regular expression, not a literal path"


def _tool_namespace(namespaces: tuple[str, ...]) -> str | None:
    for ns in namespaces:
        if ns in _TOOL_NAMESPACES:
            return _TOOL_NAMESPACES[ns]
    return None


def _skip_reason(path: str, pattern: URLPattern) -> str | None:
    callback = getattr(pattern, "callback", None)
    module = getattr(callback, "__module__", "") or ""
    for prefix, reason in _TOOL_MODULES:
        if module.startswith(prefix):
            return reason
    for setting in ("STATIC_URL", "MEDIA_URL"):
        url = getattr(settings, setting, None)
        if (
            url
            and str(url).startswith("/")
            and str(url) != "/"
            and path.startswith(str(url))
        ):
            return f"under {setting}"
    if not _has_get(callback):
        return "no GET handler"
    return None


def _has_get(callback: Any) -> bool:
    actions = getattr(callback, "actions", None)  # DRF viewsets
    if isinstance(actions, dict):
        return "get" in actions
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is None:
        return True  # a function view: only a request can tell
    return hasattr(view_class, "get")
