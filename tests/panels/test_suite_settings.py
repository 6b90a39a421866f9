"""The settings the panel's tests run under (``--ds tests.panels.settings``)."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.panels.conftest import TOOLBAR_INSTALLED


@pytest.mark.skipif(
    not TOOLBAR_INSTALLED,
    reason="the panel's tests need the toolbar: pytest tests/panels "
    "--ds tests.panels.settings",
)
def test_probe_first_toolbar_second_panel_listed() -> None:
    assert settings.MIDDLEWARE[:2] == [
        "async_probe.middleware.AsyncProbeMiddleware",
        "debug_toolbar.middleware.DebugToolbarMiddleware",
    ]
    assert settings.DEBUG_TOOLBAR_PANELS[-1] == "panels.AsyncProbePanel"
    assert "panels" in settings.INSTALLED_APPS
