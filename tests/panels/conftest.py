"""Fixtures for the panel's tests (run with ``--ds tests.panels.settings``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

PANEL_ID = "AsyncProbePanel"
TOOLBAR_INSTALLED = "debug_toolbar" in settings.INSTALLED_APPS


# Under the library's own settings the toolbar is not installed, and its modules
# cannot even be imported (its store defines a model): collect only the test that
# says how to run the rest.
collect_ignore = (
    []
    if TOOLBAR_INSTALLED
    else [
        path.name
        for path in Path(__file__).parent.glob("*.py")
        if path.name not in ("conftest.py", "__init__.py", "test_suite_settings.py")
    ]
)


@pytest.fixture(autouse=True)
def _toolbar_patches_unchanged() -> Iterator[None]:
    """Every test leaves the panel app's toolbar patches as it found them."""
    if not TOOLBAR_INSTALLED:
        yield
        return
    from panels import instrument
    from tests.conftest import _layers

    def layers() -> dict[Any, tuple[int, Any]]:
        return {
            point: _layers(value) for point, value in instrument.patch_state().items()
        }

    before = layers()
    yield
    # Installed once over the same originals (a reinstall makes new wrappers).
    assert layers() == before, "a test changed the toolbar patches"
    assert instrument.is_installed(), "a test left the toolbar patches uninstalled"


@pytest.fixture(autouse=True)
def _empty_toolbar_store() -> Iterator[None]:
    if not TOOLBAR_INSTALLED:
        yield
        return
    from debug_toolbar.store import get_store

    get_store().clear()
    yield
    get_store().clear()


def stored_stats(headers: Any) -> dict[str, Any]:
    """The panel's stats as the toolbar stored them for the response's request."""
    from debug_toolbar.store import get_store

    stats: dict[str, Any] = get_store().panel(headers["djdt-request-id"], PANEL_ID)
    return stats


def stored_panel(headers: Any) -> Any:
    """The panel as the toolbar loads it back from its store (the history view)."""
    from debug_toolbar.toolbar import DebugToolbar

    toolbar = DebugToolbar.fetch(headers["djdt-request-id"], PANEL_ID)
    assert toolbar is not None, "the toolbar did not store this request"
    return toolbar.get_panel_by_id(PANEL_ID)
