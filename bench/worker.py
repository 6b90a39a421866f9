"""One instrumentation level in one process, driven over stdin/stdout.

The harness starts one worker per level (``BENCH_LEVEL``) and sends it JSON
commands, one per line, so that runs of different levels can be interleaved:

    {"cmd": "run", "mode": "asgi" | "wsgi", "path": "/deep/", "seconds": 0.5}
        -> {"count": N, "elapsed": S, "errors": E}    sequential requests
    {"cmd": "describe", "path": "/deep/"}
        -> what async_probe saw on one ASGI request (levels with a scope)

``python -m bench.worker --setup`` creates and fills the database instead, and
``python -m bench.worker --for MODE PATH SECONDS`` just serves requests (for a
profiler to watch, see :mod:`bench.profile`).
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import os
import sys
import time
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.project.settings")

BOOKS = 20


def setup_database() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from bench.project.models import Author, Book

    call_command("migrate", run_syncdb=True, verbosity=0)
    Book.objects.all().delete()
    Author.objects.all().delete()
    for i in range(BOOKS):
        author = Author.objects.create(name=f"Author {i}")
        Book.objects.create(title=f"Book {i}", author=author)


class Worker:
    def __init__(self) -> None:
        from bench.project.boot import asgi_application, wsgi_application

        self.asgi = asgi_application()
        self.wsgi = wsgi_application()
        self.runner = asyncio.Runner()

    def run(self, mode: str, path: str, seconds: float) -> dict[str, Any]:
        if mode == "asgi":
            return self.runner.run(
                self._run_asgi(path, seconds), context=contextvars.copy_context()
            )
        from bench.drivers import wsgi_get

        count = errors = 0
        clock = time.perf_counter
        start = clock()
        deadline = start + seconds
        while True:
            status, _ = wsgi_get(self.wsgi, path)
            count += 1
            errors += status != 200
            now = clock()
            if now >= deadline:
                break
        return {"count": count, "elapsed": now - start, "errors": errors}

    async def _run_asgi(self, path: str, seconds: float) -> dict[str, Any]:
        from bench.drivers import asgi_get

        count = errors = 0
        clock = time.perf_counter
        start = clock()
        deadline = start + seconds
        while True:
            status, _ = await asgi_get(self.asgi, path)
            count += 1
            errors += status != 200
            now = clock()
            if now >= deadline:
                break
        return {"count": count, "elapsed": now - start, "errors": errors}

    def describe(self, path: str) -> dict[str, Any]:
        """One request's counts as async_probe reports them (None without a scope)."""
        from django.conf import settings

        if "async_probe" not in settings.INSTALLED_APPS:
            return {"report": None}
        from async_probe.signals import report_ready

        seen: list[Any] = []

        def receiver(sender: Any, report: Any, **kwargs: Any) -> None:
            seen.append(report)

        report_ready.connect(receiver, weak=False)
        try:
            from bench.drivers import asgi_get

            status, _ = self.runner.run(
                asgi_get(self.asgi, path), context=contextvars.copy_context()
            )
        finally:
            report_ready.disconnect(receiver)
        if not seen:
            return {"report": None, "status": status}
        report = seen[-1]
        return {
            "status": status,
            "report": {
                "thread_hops": report.thread_hops,
                "lazy_loads": report.lazy_loads,
                "cache_calls": report.cache_calls,
                "hops_by_cause": report.hops_by_cause,
            },
        }


def serve() -> None:
    worker = Worker()
    out = sys.stdout
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    for line in sys.stdin:
        command = json.loads(line)
        cmd = command.pop("cmd")
        if cmd == "quit":
            break
        try:
            if cmd == "run":
                result = worker.run(**command)
            elif cmd == "describe":
                result = worker.describe(**command)
            else:
                result = {"error": f"unknown command {cmd!r}"}
        except Exception as exc:  # reported to the harness, which stops
            result = {"error": f"{type(exc).__name__}: {exc}"}
        out.write(json.dumps(result) + "\n")
        out.flush()


if __name__ == "__main__":
    if "--setup" in sys.argv:
        setup_database()
    elif "--for" in sys.argv:
        mode, path, seconds = sys.argv[sys.argv.index("--for") + 1 :][:3]
        print(json.dumps(Worker().run(mode, path, float(seconds))))
    else:
        serve()
