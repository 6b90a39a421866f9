"""``AsyncProbePanel``: a request's thread hops, lazy loads and cache calls.

Where the numbers come from: the request's own report, the one every other sink
gets from ``report_ready``, so the panel never counts anything by itself.

- At ``generate_stats`` the toolbar's middleware runs inside the request scope
  (``AsyncProbeMiddleware`` sits above it), so the panel saves a snapshot of the
  live report of ``current_request()``: everything up to the toolbar's
  post-processing, marked ``final: False``.
- When the scope closes, the ``report_ready`` receiver below saves the final
  report over it, through the toolbar's own ``record_stats``. That adds what
  happens after the toolbar's middleware returns: the response hooks of the
  middleware above it and, under ``ProbeASGIWrapper``, the response close. The
  panel's content and the sidebar loaded later (the history panel,
  ``UPDATE_ON_FETCH``) read the final numbers; the sidebar rendered into an HTML
  page shows the snapshot and says "so far".
- If the scope already closed when the toolbar ran (its middleware above the
  probe's), the receiver left the final report on the request and the panel
  uses that one.

The toolbar's own work is kept out of the report by :mod:`panels.instrument`.
"""

from __future__ import annotations

from typing import Any

from debug_toolbar.panels import Panel
from django.http import HttpRequest, HttpResponseBase

from async_probe.collector import now_ns
from async_probe.conf import get_settings
from async_probe.faults import fault
from async_probe.instrument import is_installed
from async_probe.report import Report

from .stats import build, not_recorded

# On the HttpRequest: the panel waiting for this request's final report...
PANEL_ATTR = "_async_probe_panel"
# ...or the final report, when it came before the toolbar ran.
REPORT_ATTR = "_async_probe_report"

NO_SCOPE = (
    "No async_probe request scope was open when the toolbar ran. Put "
    "async_probe.middleware.AsyncProbeMiddleware first in MIDDLEWARE, above "
    "DebugToolbarMiddleware (and wrap the ASGI application in ProbeASGIWrapper "
    "to count the hops Django makes outside the middleware chain)."
)
OFF = (
    "async_probe recorded nothing: it is switched off. Add 'async_probe' to "
    "INSTALLED_APPS and leave ASYNC_PROBE['ENABLED'] True."
)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def subtitle(stats: dict[str, Any]) -> str:
    counts = stats.get("counts")
    if not stats.get("recorded") or not counts:
        return "not recorded"
    text = (
        f"{_plural(counts['thread_hops'], 'hop')}, {counts['lazy_loads']} lazy, "
        f"{counts['blocking_cache_calls']} blocking"
    )
    return text if stats.get("final") else f"{text} so far"


class AsyncProbePanel(Panel):
    """Thread hops, lazy relation loads and blocking cache calls of the request."""

    is_async = True
    title = "Async probe"
    nav_title = "Async probe"
    template = "async_probe/panel.html"

    @property
    def nav_subtitle(self) -> str:
        # The toolbar's Panel API is untyped.
        return subtitle(self.get_stats())  # type: ignore[no-untyped-call]

    def generate_stats(self, request: HttpRequest, response: HttpResponseBase) -> None:
        try:
            stats = self._snapshot(request)
        except Exception as exc:
            fault("panels.generate_stats", exc)
            stats = not_recorded("async_probe failed to read the report; see its log")
        self.record_stats(stats)  # type: ignore[no-untyped-call]

    def _snapshot(self, request: HttpRequest) -> dict[str, Any]:
        stacks = get_settings().stacks
        # Imported here: panels.instrument imports the toolbar's middleware,
        # whose models need debug_toolbar in INSTALLED_APPS.
        from .instrument import request_collector

        collector = request_collector()
        if collector is not None and not collector.sealed:
            setattr(request, PANEL_ATTR, self)
            return build(
                collector.report(),
                collector.started_ns,
                now_ns(),
                final=False,
                stacks=stacks,
            )
        closed: Report | None = getattr(request, REPORT_ATTR, None)
        if closed is not None:
            return final_stats(closed)
        switched_on = is_installed() and get_settings().enabled
        return not_recorded(NO_SCOPE if switched_on else OFF)


def final_stats(report: Report) -> dict[str, Any]:
    """The stats of a closed scope's report."""
    end_ns = report.finished_ns if report.finished_ns is not None else now_ns()
    return build(
        report, report.started_ns, end_ns, final=True, stacks=get_settings().stacks
    )


def on_report_ready(sender: Any, request: Any, report: Report, **kwargs: Any) -> None:
    """Hand the final report to the request's panel (``report_ready`` receiver).

    Runs with recording suppressed, like every receiver, so saving to the
    toolbar's store is not counted.
    """
    if request is None:
        return
    try:
        panel: AsyncProbePanel | None = getattr(request, PANEL_ATTR, None)
        if panel is None:
            # The toolbar has not run yet (it sits above the probe's middleware):
            # leave the report where its generate_stats will look.
            setattr(request, REPORT_ATTR, report)
            return
        delattr(request, PANEL_ATTR)
        # Through the toolbar's own API: it updates the stats and the store.
        panel.record_stats(final_stats(report))  # type: ignore[no-untyped-call]
    except Exception as exc:
        fault("panels.report_ready", exc)
