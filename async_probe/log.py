"""The log sink: budgets (``THRESHOLDS``) and ``LAZY_LOADS = "warn"``.

One line per exceeded budget and one per lazy-load site (model, field, line) per
request, however many times the site repeated: an N+1 of 500 rows is one line
that says 500, not 500 lines.
"""

from __future__ import annotations

import logging
from typing import Any

from .conf import get_settings
from .faults import fault
from .report import Report
from .summary import headline

logger = logging.getLogger("async_probe.report")


def measure(report: Report, key: str) -> float:
    if key == "hop_wait_ms":
        return report.hop_wait_s * 1000
    return float(getattr(report, key))


def on_report(sender: Any, report: Report, **kwargs: Any) -> None:
    try:
        settings = get_settings()
        over = [
            f"{key} {measure(report, key):g} > {budget:g}"
            for key, budget in settings.thresholds.items()
            if measure(report, key) > budget
        ]
        if over:
            logger.warning("%s; over budget: %s", headline(report), ", ".join(over))
        if settings.lazy_loads == "warn":
            for group in report.load_groups:
                if not group.loads[0].async_view:
                    continue
                where = f" at {group.callsite}" if group.callsite else ""
                logger.warning(
                    "async_probe: %s %s: lazy load of %s x%d in an async view%s; %s",
                    report.method,
                    report.path,
                    group.label,
                    group.count,
                    where,
                    group.suggestion,
                )
    except Exception as exc:
        fault("log sink", exc)
