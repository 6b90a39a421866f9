"""django-debug-toolbar panel for async_probe: ``panels.AsyncProbePanel``.

The panel class is imported on first use, so listing ``"panels"`` in
INSTALLED_APPS does not import the toolbar while Django loads its apps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .panel import AsyncProbePanel

__all__ = ["AsyncProbePanel"]


def __getattr__(name: str) -> Any:
    if name == "AsyncProbePanel":
        from .panel import AsyncProbePanel

        return AsyncProbePanel
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
