from __future__ import annotations

from django.apps import AppConfig, apps
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


class PanelsConfig(AppConfig):
    """The django-debug-toolbar panel: add ``"panels"`` to INSTALLED_APPS next to
    ``"debug_toolbar"`` and ``"async_probe"``, and ``"panels.AsyncProbePanel"``
    to DEBUG_TOOLBAR_PANELS."""

    name = "panels"
    # "panels" alone would clash with a project's own app of that name.
    label = "async_probe_panels"
    verbose_name = "async_probe toolbar panel"

    def ready(self) -> None:
        if not apps.is_installed("debug_toolbar"):
            raise ImproperlyConfigured(
                "'panels' (the async_probe toolbar panel) needs 'debug_toolbar' in "
                "INSTALLED_APPS; install the panel only where the toolbar is."
            )
        from async_probe.signals import report_ready

        from . import instrument
        from .checks import check_toolbar_store
        from .panel import on_report_ready

        checks.register(check_toolbar_store, "async_probe")
        report_ready.connect(on_report_ready, dispatch_uid="async_probe.panels")
        # Patch once, here, like async_probe's own instruments: from now on the
        # toolbar's middleware keeps its own work out of every request's report.
        instrument.install()
