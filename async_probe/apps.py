from __future__ import annotations

from django.apps import AppConfig
from django.core import checks


class AsyncProbeConfig(AppConfig):
    name = "async_probe"
    verbose_name = "async_probe"
    default_auto_field = "django.db.models.AutoField"

    def ready(self) -> None:
        from . import checks as probe_checks
        from . import log, otel
        from .conf import get_settings
        from .instrument import install
        from .signals import report_ready

        checks.register(probe_checks.check_settings, "async_probe")
        checks.register(probe_checks.check_middleware, "async_probe")
        checks.register(otel.check_otel, "async_probe")
        report_ready.connect(log.on_report, dispatch_uid="async_probe.log")
        # OTEL True or "auto" (opentelemetry-api importable): the sink waits for
        # a configured provider, so set-up code that runs after django.setup()
        # is still in time.
        otel.autoinstall()
        # Patch once, here; scopes switch recording on and off per request.
        if get_settings().enabled:
            install()
