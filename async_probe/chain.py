"""What the middleware stack costs in hops per request, worked out statically.

This replays ``BaseHandler.load_middleware``: which middleware Django runs in
which mode, where it must adapt the handler between them, and which hooks a
``MiddlewareMixin`` runs through ``sync_to_async``. The system checks and the
audit use it; the tests check it against measured requests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from asgiref.sync import iscoroutinefunction
from django.utils.deprecation import MiddlewareMixin
from django.utils.module_loading import import_string

# Hooks MiddlewareMixin.__acall__ runs through sync_to_async on every request.
_MIXIN_HOOKS = ("process_request", "process_response")


@dataclass
class MiddlewareCost:
    path: str
    sync_only: bool
    hops: int = 0
    reasons: list[str] = field(default_factory=list)

    def add(self, hops: int, reason: str) -> None:
        self.hops += hops
        self.reasons.append(reason)


def _mixin_hooks(cls: type) -> list[str]:
    # A subclass that brings its own __acall__/__call__ decides for itself.
    if not issubclass(cls, MiddlewareMixin) or "__acall__" in _defined_below_mixin(cls):
        return []
    return [
        hook
        for hook in _MIXIN_HOOKS
        if hasattr(cls, hook) and not iscoroutinefunction(getattr(cls, hook))
    ]


def _defined_below_mixin(cls: type) -> set[str]:
    names: set[str] = set()
    for klass in cls.__mro__:
        if klass is MiddlewareMixin:
            break
        names.update(vars(klass))
    return names


def middleware_costs(paths: list[str], is_async: bool = True) -> list[MiddlewareCost]:
    """Hops each middleware costs per request (a plain 200 response, no errors).

    Under ASGI (``is_async``) every ``sync_to_async`` / ``async_to_sync`` that
    Django puts into the chain is charged to the middleware that needs it.
    """
    costs: list[MiddlewareCost] = []
    handler_is_async = is_async
    below: MiddlewareCost | None = None
    # A sync-only middleware drags every middleware above it that can run sync
    # into sync mode; the hop back into async code at the top of that region is
    # its doing, not theirs.
    region_owner: MiddlewareCost | None = None
    for path in reversed(paths):
        cls = import_string(path)
        can_sync = getattr(cls, "sync_capable", True)
        can_async = getattr(cls, "async_capable", False)
        cost = MiddlewareCost(path, sync_only=not can_async)
        # Django's own rule: sync when it can be and the handler below is sync.
        mw_async = False if not handler_is_async and can_sync else can_async
        if mw_async != handler_is_async:
            if mw_async:
                # An async middleware above a sync region: the region is entered
                # through sync_to_async because of the sync-only one inside it.
                assert below is not None
                owner = region_owner or below
                owner.add(1, f"sync_to_async into {_short(below.path)}")
            else:
                cost.add(1, "async_to_sync back into the async chain below it")
        if not mw_async and not can_async:
            region_owner = cost
        elif mw_async:
            region_owner = None
        if mw_async:
            for hook in _mixin_hooks(cls):
                cost.add(1, f"{hook} via sync_to_async")
        process_view = getattr(cls, "process_view", None)
        if (
            is_async
            and process_view is not None
            and not iscoroutinefunction(process_view)
        ):
            cost.add(1, "process_view via sync_to_async")
        costs.append(cost)
        handler_is_async = mw_async
        below = cost
    if is_async and not handler_is_async and below is not None:
        (region_owner or below).add(
            1, f"sync_to_async from the handler into {_short(below.path)}"
        )
    costs.reverse()
    return costs


def _short(path: str) -> str:
    return path.rsplit(".", 1)[-1]


def total_hops(paths: list[str], is_async: bool = True) -> int:
    return sum(cost.hops for cost in middleware_costs(paths, is_async))
