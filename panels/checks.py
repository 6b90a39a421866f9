"""System check for running the toolbar next to async views.

``async_probe.W010``: the toolbar's ``DatabaseStore`` in an ASGI project. The
store reads and writes its history table from the toolbar's middleware, which
under ASGI runs on the event loop, where Django raises
``SynchronousOnlyOperation``: every request the toolbar is shown for fails. The
``MemoryStore`` (the default) works under both handlers.
"""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Warning
from django.utils.module_loading import import_string

from async_probe.checks import is_asgi_project

DATABASE_STORE = "debug_toolbar.store.DatabaseStore"
MEMORY_STORE = "debug_toolbar.store.MemoryStore"


def _is_database_store(path: str) -> bool:
    if path == DATABASE_STORE:
        return True
    try:
        from debug_toolbar.store import DatabaseStore

        store = import_string(path)
    except ImportError:
        return False  # the toolbar reports a store it cannot import
    return isinstance(store, type) and issubclass(store, DatabaseStore)


def check_toolbar_store(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        from debug_toolbar import settings as dt_settings
    except ImportError:
        return []
    store = str(dt_settings.get_config().get("TOOLBAR_STORE_CLASS", MEMORY_STORE))
    if not is_asgi_project() or not _is_database_store(store):
        return []
    return [
        Warning(
            f"DEBUG_TOOLBAR_CONFIG['TOOLBAR_STORE_CLASS'] is {store!r} in an ASGI "
            "project: the toolbar's middleware would query the database on the "
            "event loop, and Django raises SynchronousOnlyOperation there, so "
            "every request the toolbar is shown for fails.",
            hint=f"Use {MEMORY_STORE!r} (the default) while serving over ASGI.",
            obj=store,
            id="async_probe.W010",
        )
    ]
