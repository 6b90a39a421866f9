"""The request's view: which one, and is it async.

``BaseHandler.resolve_request`` is where Django learns the view, for every
handler (ASGI, WSGI, both test clients). We note it on the open request scope so
that lazy loads can tell an async view from a sync one and the hop that runs the
view can be named after it.
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import iscoroutinefunction
from django.core.handlers.base import BaseHandler
from django.http import HttpRequest

from ..collector import Collector, _scopes, request_of
from ..faults import fault
from ._patching import PatchSet

_patches = PatchSet("handler")


def view_name(callback: Any) -> str:
    target = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    target = target or callback
    module = getattr(target, "__module__", "?")
    name = getattr(target, "__qualname__", None) or type(target).__qualname__
    return f"{module}.{name}"


# (name, is async) per view callable: URL patterns hold the same callables for
# the life of the process, and asking whether one is a coroutine function is a
# chain of calls into inspect. Bounded for projects that build views on the fly.
_views: dict[Any, tuple[str, bool]] = {}


def _view_facts(callback: Any) -> tuple[str, bool]:
    try:
        facts = _views.get(callback)
    except TypeError:  # a callable object that is not hashable
        return view_name(callback), iscoroutinefunction(callback)
    if facts is None:
        if len(_views) >= 1000:
            _views.clear()
        facts = _views[callback] = (view_name(callback), iscoroutinefunction(callback))
    return facts


def note_view(collector: Collector, request: HttpRequest, callback: Any) -> None:
    info = collector.request
    if info is None:
        return
    facts = _view_facts(callback)
    info.view_func = callback
    info.view, info.async_view = facts
    info._label = None
    if info.request is None:
        info.request = request


def _wrap(original: Any) -> Any:
    def resolve_request(self: BaseHandler, request: HttpRequest) -> Any:
        resolved = original(self, request)
        scopes = _scopes.get()
        if scopes:  # idle (no scope): one ContextVar read, no call of ours
            try:
                collector = request_of(scopes)
                if collector is not None:
                    note_view(collector, request, resolved.func)
            except Exception as exc:
                fault("handler.resolve_request", exc)
        return resolved

    resolve_request.__wrapped__ = original  # type: ignore[attr-defined]
    return resolve_request


def install() -> None:
    if _patches.active:
        return
    _patches.patch(
        BaseHandler, "resolve_request", _wrap(BaseHandler.__dict__["resolve_request"])
    )


def uninstall() -> None:
    _patches.restore()


def is_installed() -> bool:
    return _patches.active
