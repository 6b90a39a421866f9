"""Print the report of one request to the oj backend as JSON (for the browser test).

Run in a subprocess with the server's environment (``oj.settings.toolbar``, the
same database), so it serves the request the browser made through the same
stack as ``oj.asgi``: ``ProbeASGIWrapper(get_asgi_application())``, toolbar
included. Its counts are what the server's report for that request holds.

    python -m tests.panels.oj_report "/legacy/api/announcement?id=3"
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any


def report_of(url: str) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.asgi import get_asgi_application

    from async_probe.asgi import ProbeASGIWrapper
    from async_probe.report import Report
    from async_probe.signals import report_ready
    from tests.drivers import asgi_request

    reports: list[Report] = []

    def receiver(sender: Any, report: Report, **kwargs: Any) -> None:
        reports.append(report)

    report_ready.connect(receiver, weak=False)
    app = ProbeASGIWrapper(get_asgi_application())
    path, _, query = url.partition("?")
    asyncio.run(asgi_request(app, path, query=query))
    (report,) = reports
    return {
        "thread_hops": report.thread_hops,
        "lazy_loads": report.lazy_loads,
        "blocking_cache_calls": report.blocking_cache_calls,
        "cache_calls": report.cache_calls,
        "load_labels": [group.label for group in report.load_groups],
    }


if __name__ == "__main__":
    print(json.dumps(report_of(sys.argv[1])))
