"""async_probe: the thread hops, lazy loads and blocking cache calls of every request.

from async_probe import probe

with probe() as report:
    ...
report.thread_hops, report.lazy_loads, report.blocking_cache_calls
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0.dev0"
__all__ = [
    "CacheCall",
    "Callsite",
    "LazyLoad",
    "LazyLoadError",
    "Report",
    "ThreadHop",
    "install",
    "is_installed",
    "probe",
    "uninstall",
]

if TYPE_CHECKING:
    from .collector import probe
    from .events import CacheCall, Callsite, LazyLoad, ThreadHop
    from .exceptions import LazyLoadError
    from .instrument import install, is_installed, uninstall
    from .report import Report

# Importing Django's models at package import time would break settings that
# list "async_probe" in INSTALLED_APPS; resolve the public names on first use.
_LAZY = {
    "probe": "collector",
    "CacheCall": "events",
    "Callsite": "events",
    "LazyLoad": "events",
    "ThreadHop": "events",
    "LazyLoadError": "exceptions",
    "install": "instrument",
    "is_installed": "instrument",
    "uninstall": "instrument",
    "Report": "report",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'async_probe' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
