"""The exception ``LAZY_LOADS = "raise"`` raises at the access."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .events import LazyLoad


class LazyLoadError(Exception):
    """An async view touched a relation that was not loaded with its queryset.

    Raised at the attribute access, before the query runs, when
    ``ASYNC_PROBE["LAZY_LOADS"] == "raise"``. ``event`` is the recorded
    :class:`~async_probe.events.LazyLoad`.
    """

    def __init__(self, event: LazyLoad) -> None:
        self.event = event
        where = f" at {event.callsite}" if event.callsite else ""
        super().__init__(
            f"Lazy load of {event.model}.{event.field} ({event.kind}) in an async "
            f"view{where}, on the {event.context.replace('_', ' ')}. "
            f"Fix: {event.suggestion}."
        )
