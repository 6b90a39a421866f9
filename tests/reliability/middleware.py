"""Stand in for the toolbar: mark the request as having a panel waiting for its
report, so the panel's ``report_ready`` receiver takes its full path."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import markcoroutinefunction


class Panel:
    """What the receiver calls on the toolbar's panel."""

    def __init__(self) -> None:
        self.stats: list[dict[str, Any]] = []

    def record_stats(self, stats: dict[str, Any]) -> None:
        self.stats.append(stats)


class PanelWaiting:
    sync_capable = False
    async_capable = True

    def __init__(self, get_response: Callable[[Any], Awaitable[Any]]) -> None:
        self.get_response = get_response
        markcoroutinefunction(self)

    async def __call__(self, request: Any) -> Any:
        from panels.panel import PANEL_ATTR

        setattr(request, PANEL_ATTR, Panel())
        return await self.get_response(request)
