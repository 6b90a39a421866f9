from __future__ import annotations

from django.apps import AppConfig
from django.core import checks


class PanelsConfig(AppConfig):
    """The django-debug-toolbar panel. Add ``"panels"`` to INSTALLED_APPS (after
    ``"debug_toolbar"`` and ``"async_probe"``) and ``"panels.AsyncProbePanel"``
    to DEBUG_TOOLBAR_PANELS."""

    name = "panels"
    # "panels" alone would clash with a project's own app of that name.
    label = "async_probe_panels"
    verbose_name = "async_probe toolbar panel"

    def ready(self) -> None:
        from async_probe.signals import report_ready

        from . import instrument
        from .checks import check_toolbar_store
        from .panel import on_report_ready

        checks.register(check_toolbar_store, "async_probe")
        report_ready.connect(on_report_ready, dispatch_uid="async_probe.panels")
        # Patch once, here, like async_probe's own instruments: from now on the
        # toolbar's middleware keeps its own work out of every request's report.
        instrument.install()
