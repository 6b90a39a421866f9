"""Name a hop from what it runs: ``cause`` (who crossed) and ``target``.

Framework hops (middleware hooks, chain adapters, signals, the response close)
are named from the callable itself, never from a stack walk: they have no
application frame above them, so a walk would run to the top of the stack for
nothing. Only hops that application code starts (ORM, cache, auth, user) get a
callsite. Names are cached per code object or per (class, function), so the
cost per hop is a dict lookup.
"""

from __future__ import annotations

import functools
from typing import Any

from django.core.cache.backends.base import BaseCache
from django.core.handlers.base import BaseHandler
from django.db.models import Model
from django.db.models.manager import BaseManager
from django.db.models.query import QuerySet
from django.dispatch import Signal
from django.http.response import HttpResponseBase
from django.utils.deprecation import MiddlewareMixin

from ._patching import original_of

# Causes whose hops are started by application code and so get a callsite.
CALLSITE_CAUSES = frozenset({"orm", "cache", "auth", "user"})
_MIDDLEWARE_HOOKS = frozenset(
    {
        "process_request",
        "process_response",
        "process_view",
        "process_exception",
        "process_template_response",
    }
)
_SIGNAL_CLOSURES = frozenset(
    {"Signal.asend.<locals>.sync_send", "Signal.send.<locals>.asend"}
)

_names: dict[Any, tuple[str, str]] = {}
_alive: list[Any] = []
_signal_names: dict[int, str] | None = None


def dotted(obj: Any) -> str:
    module = getattr(obj, "__module__", None) or "?"
    qualname = getattr(obj, "__qualname__", None) or type(obj).__qualname__
    return f"{module}.{qualname}"


def _known_signals() -> dict[int, str]:
    global _signal_names
    if _signal_names is None:
        import importlib

        found: dict[int, str] = {}
        for module_name in (
            "django.core.signals",
            "django.db.models.signals",
            "django.db.backends.signals",
            "django.test.signals",
            "django.contrib.auth.signals",
        ):
            try:
                module = importlib.import_module(module_name)
            except Exception:
                continue
            for attr, value in vars(module).items():
                if isinstance(value, Signal):
                    found.setdefault(id(value), f"{module_name}.{attr}")
        _signal_names = found
    return _signal_names


def _signal_target(func: Any) -> str:
    code = func.__code__
    try:
        signal = func.__closure__[code.co_freevars.index("self")].cell_contents
    except (ValueError, TypeError, IndexError):
        return "django.dispatch.Signal"
    return _known_signals().get(id(signal)) or f"signal {signal!r}"


def _is_middleware(obj: Any) -> bool:
    return isinstance(obj, MiddlewareMixin) or (
        hasattr(obj, "get_response") and callable(obj)
    )


def _classify_bound(owner: Any, func: Any, name: str) -> tuple[str, str]:
    target = f"{dotted(type(owner))}.{name}"
    if isinstance(owner, HttpResponseBase):
        return "response", target
    if isinstance(owner, BaseHandler):
        return "middleware", target
    if isinstance(owner, BaseCache):
        return "cache", target
    if isinstance(owner, QuerySet | Model | BaseManager):
        return "orm", target
    if name in _MIDDLEWARE_HOOKS or _is_middleware(owner):
        return "middleware", target
    module = getattr(original_of(func), "__module__", "") or ""
    if module.startswith("django.db.") or module.startswith(
        "django.contrib.contenttypes"
    ):
        return "orm", target
    if module.startswith("django.contrib.auth"):
        return "auth", target
    return "user", target


def _classify_function(func: Any) -> tuple[str, str]:
    module = getattr(func, "__module__", "") or ""
    qualname = getattr(func, "__qualname__", "")
    if qualname in _SIGNAL_CLOSURES and module == "django.dispatch.dispatcher":
        return "signal", ""  # target depends on the closure: see describe()
    target = f"{module}.{qualname}"
    if module == "django.utils.log" and qualname == "log_response":
        return "response", target
    if module.startswith("django.core.handlers"):
        # The chain's own plumbing, e.g. response_for_exception when a view raises.
        return "middleware", target
    if module.startswith("django.db."):
        return "orm", target
    if module.startswith("django.core.cache"):
        return "cache", target
    if module.startswith("django.contrib.auth"):
        return "auth", target
    return "user", target


def describe(func: Any) -> tuple[str, str]:
    """``(cause, target)`` for the callable a hop runs."""
    # Fast path, one dict lookup: a bound method (middleware hooks, ORM and
    # cache methods) or a plain undecorated function seen before.
    inner = getattr(func, "__func__", None)
    if inner is not None:
        named = _names.get((type(func.__self__), inner))
    elif getattr(func, "__wrapped__", None) is None:
        code = getattr(func, "__code__", None)
        # id(): hashing a code object hashes its bytecode, every time.
        named = None if code is None else _names.get(id(code))
        if named is not None and named[0] == "signal":
            return "signal", _signal_target(func)
    else:
        named = None
    return named if named is not None else _describe(func)


def _describe(func: Any) -> tuple[str, str]:
    for _ in range(10):  # decorators and Django's convert_exception_to_response
        if isinstance(func, functools.partial):
            func = func.func
        elif getattr(func, "__self__", None) is None and hasattr(func, "__wrapped__"):
            func = func.__wrapped__
        else:
            break
    owner = getattr(func, "__self__", None)
    inner = getattr(func, "__func__", None)
    if owner is not None and inner is not None:
        key: Any = (type(owner), inner)
        named = _names.get(key)
        if named is None:
            named = _classify_bound(owner, inner, getattr(inner, "__name__", "?"))
    elif hasattr(func, "__code__"):
        key = id(func.__code__)
        named = _names.get(key)
        if named is None:
            _alive.append(func.__code__)  # keeps the id unique while cached
            named = _classify_function(func)
        if named[0] == "signal":
            _names[key] = named
            return "signal", _signal_target(func)
    else:
        # A callable object: Django adapting a middleware instance, or
        # application code passing one.
        key = type(func)
        named = _names.get(key)
        if named is None:
            cause = "middleware" if _is_middleware(func) else "user"
            named = (cause, dotted(type(func)))
    if len(_names) > 10_000:  # bounded: closures share code objects anyway
        _names.clear()
        _alive.clear()
    _names[key] = named
    return named


def is_view(func: Any, view_func: Any) -> bool:
    """Is ``func`` the view Django resolved (maybe wrapped by ATOMIC_REQUESTS)?"""
    if view_func is None:
        return False
    return func is view_func or getattr(func, "__wrapped__", None) is view_func
