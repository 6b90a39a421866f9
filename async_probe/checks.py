"""System checks: settings problems are errors; costly middleware are warnings.

- ``async_probe.E001``: ``ASYNC_PROBE`` is not a dict.
- ``async_probe.E002``: unknown key in ``ASYNC_PROBE``.
- ``async_probe.E003``: invalid value (the message names the key and what is allowed).
- ``async_probe.W001``: a sync-only middleware in an ASGI project.
- ``async_probe.W002``: a project middleware built on ``MiddlewareMixin`` whose
  sync hooks each cost a hop under ASGI.
- ``async_probe.W003``: ``AsyncProbeMiddleware`` is not first in ``MIDDLEWARE``.

Registered elsewhere: ``async_probe.E010`` (``OTEL`` is True without
opentelemetry-api, :mod:`async_probe.otel`) and ``async_probe.W010`` (the
toolbar's database store under ASGI, :mod:`panels.checks`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning

from . import asgi
from .chain import middleware_costs
from .conf import validate

PROBE_MIDDLEWARE = "async_probe.middleware.AsyncProbeMiddleware"


def check_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    for problem in validate(getattr(settings, "ASYNC_PROBE", None)):
        if problem.key is None:
            code = "async_probe.E001"
        elif "unknown key" in problem.message:
            code = "async_probe.E002"
        else:
            code = "async_probe.E003"
        messages.append(Error(problem.message, hint=problem.hint, id=code))
    return messages


def is_asgi_project() -> bool:
    return bool(getattr(settings, "ASGI_APPLICATION", None)) or asgi.wrapped


def check_middleware(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    middleware = list(getattr(settings, "MIDDLEWARE", None) or [])
    messages: list[CheckMessage] = []
    if PROBE_MIDDLEWARE in middleware and middleware[0] != PROBE_MIDDLEWARE:
        above = ", ".join(middleware[: middleware.index(PROBE_MIDDLEWARE)])
        messages.append(
            Warning(
                f"{PROBE_MIDDLEWARE} is not first in MIDDLEWARE, so the hops of the "
                f"middleware above it ({above}) are not counted under WSGI or the "
                "test clients.",
                hint="Move it to the top of MIDDLEWARE.",
                id="async_probe.W003",
            )
        )
    if not is_asgi_project():
        return messages
    try:
        costs = middleware_costs(middleware, is_async=True)
    except ImportError:
        return messages  # Django's own checks report a bad middleware path
    for cost in costs:
        if cost.path.startswith("django.") or cost.hops == 0:
            continue
        reasons = "; ".join(cost.reasons)
        if cost.sync_only:
            messages.append(
                Warning(
                    f"{cost.path} is sync-only: under ASGI every request crosses "
                    f"threads for it, {cost.hops} thread hop(s) per request "
                    f"({reasons}).",
                    hint="Make it dual-mode: set sync_capable = async_capable = True "
                    "and add an async __acall__ (see the README's middleware recipe).",
                    obj=cost.path,
                    id="async_probe.W001",
                )
            )
        else:
            messages.append(
                Warning(
                    f"{cost.path} runs sync hooks under ASGI: {cost.hops} thread "
                    f"hop(s) per request ({reasons}).",
                    hint="Replace MiddlewareMixin with a dual-mode middleware whose "
                    "async path awaits instead of calling sync code.",
                    obj=cost.path,
                    id="async_probe.W002",
                )
            )
    return messages
