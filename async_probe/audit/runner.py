"""Run each endpoint through the project's handlers and keep what the probe saw.

ASGI requests go through ``ProbeASGIWrapper(get_asgi_application())``, the very
wrapper a project installs in its ``asgi.py``, so a row's counts are those of
the request's report there, ``request_started`` and the response close
included. WSGI requests get the same scope from :class:`RequestScope`, opened
around the WSGI call (``AsyncProbeMiddleware`` joins it when installed).
"""

from __future__ import annotations

import asyncio
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import Resolver404, resolve

from ..asgi import ProbeASGIWrapper
from ..report import Report
from ..scope import RequestScope
from ..signals import report_ready
from .client import Sent, Sessions, asgi_call, request_headers, wsgi_call
from .endpoints import Endpoint, InputError

Progress = Callable[[int, int, str], None]
Headers = list[tuple[str, str]]


@dataclass
class Result:
    """One endpoint through one handler: ``report`` is its last measured run."""

    endpoint: Endpoint
    handler: str
    reports: list[Report]
    times_s: list[float]

    @property
    def report(self) -> Report:
        return self.reports[-1]

    @property
    def key(self) -> str:
        suffix = " [wsgi]" if self.handler == "wsgi" else ""
        return self.endpoint.label + suffix

    @property
    def counts(self) -> tuple[int, int, int]:
        return _counts(self.report)

    @property
    def stable(self) -> bool:
        """Every measured run had the same counts (a warm cache, say, would not)."""
        return len({_counts(report) for report in self.reports}) == 1

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times_s) * 1000

    @property
    def finding(self) -> bool:
        """An async view that lazily loaded or made a blocking cache call."""
        report = self.report
        return bool(report.async_view) and (
            report.lazy_loads > 0 or report.blocking_cache_calls > 0
        )

    def as_dict(self) -> dict[str, Any]:
        report = self.report
        return {
            "method": self.endpoint.method,
            "path": self.endpoint.url,
            "user": self.endpoint.user,
            "headers": self.endpoint.header_names,
            "handler": self.handler,
            "status": report.status,
            "view": report.view,
            "async_view": report.async_view,
            "thread_hops": report.thread_hops,
            "lazy_loads": report.lazy_loads,
            "blocking_cache_calls": report.blocking_cache_calls,
            "cache_calls": report.cache_calls,
            "hops_by_cause": report.hops_by_cause,
            "median_ms": round(self.median_ms, 3),
            "runs": len(self.reports),
            "stable": self.stable,
            "lazy_load_groups": [
                {
                    "label": group.label,
                    "kind": group.kind,
                    "count": group.count,
                    "contexts": list(group.contexts),
                    "callsite": str(group.callsite) if group.callsite else None,
                    "suggestion": group.suggestion,
                }
                for group in report.load_groups
            ],
        }


def _counts(report: Report) -> tuple[int, int, int]:
    return (report.thread_hops, report.lazy_loads, report.blocking_cache_calls)


@dataclass
class Runner:
    repeat: int = 5
    warmup: int = 1
    progress: Progress | None = None
    sessions: Sessions = field(default_factory=Sessions)
    errors: list[InputError] = field(default_factory=list)

    def run_asgi(self, endpoints: list[Endpoint]) -> list[Result]:
        from django.core.asgi import get_asgi_application

        # django-stubs types the handler's scope as dict, the wrapper's as any
        # mutable mapping; they are the same ASGI callable.
        handler: Any = get_asgi_application()
        app = ProbeASGIWrapper(handler)
        # Logging in queries the database: do it before the loop runs.
        prepared = self._prepare(endpoints)
        caught: list[Report] = []

        def receiver(sender: Any, report: Report, **kwargs: Any) -> None:
            caught.append(report)

        report_ready.connect(receiver, sender=ProbeASGIWrapper, weak=False)
        try:

            async def send(endpoint: Endpoint, headers: Headers) -> Any:
                caught.clear()
                sent = await asgi_call(app, endpoint, headers)
                return sent, caught[-1] if caught else None

            async def run_all() -> list[Result]:
                results = []
                for index, (endpoint, headers) in enumerate(prepared, 1):
                    self._tick(index, len(prepared), endpoint, "ASGI")
                    runs = await self._measure_async(endpoint, headers, send)
                    if runs is not None:
                        results.append(Result(endpoint, "asgi", *runs))
                return results

            return asyncio.run(run_all())
        finally:
            report_ready.disconnect(receiver, sender=ProbeASGIWrapper)

    def run_wsgi(self, endpoints: list[Endpoint]) -> list[Result]:
        from django.core.wsgi import get_wsgi_application

        app = get_wsgi_application()

        def send(endpoint: Endpoint, headers: Headers) -> Any:
            scope = RequestScope.enter(endpoint.method, endpoint.path, sender=Runner)
            sent = None
            try:
                sent = wsgi_call(app, endpoint, headers)
            finally:
                report = None
                if scope is not None:
                    report = scope.exit(sent.status if sent else 500)
            return sent, report

        results = []
        prepared = self._prepare(endpoints)
        for index, (endpoint, headers) in enumerate(prepared, 1):
            self._tick(index, len(prepared), endpoint, "WSGI")
            runs = self._measure(endpoint, headers, send)
            if runs is not None:
                results.append(Result(endpoint, "wsgi", *runs))
        return results

    # The same loop, once awaiting and once not: a request is either.
    async def _measure_async(
        self, endpoint: Endpoint, headers: Headers, send: Callable[..., Any]
    ) -> tuple[list[Report], list[float]] | None:
        reports: list[Report] = []
        times: list[float] = []
        for run in range(self.warmup + self.repeat):
            try:
                sent, report = await send(endpoint, headers)
            except Exception as exc:
                self._raised(endpoint, exc)
                return None
            if not self._keep(endpoint, run, sent, report, reports, times):
                return None
        return reports, times

    def _measure(
        self, endpoint: Endpoint, headers: Headers, send: Callable[..., Any]
    ) -> tuple[list[Report], list[float]] | None:
        reports: list[Report] = []
        times: list[float] = []
        for run in range(self.warmup + self.repeat):
            try:
                sent, report = send(endpoint, headers)
            except Exception as exc:
                self._raised(endpoint, exc)
                return None
            if not self._keep(endpoint, run, sent, report, reports, times):
                return None
        return reports, times

    def _prepare(self, endpoints: list[Endpoint]) -> list[tuple[Endpoint, Headers]]:
        prepared = []
        # One error per bad user, however many endpoints would log in as them.
        failed: dict[str, list[str]] = {}
        for endpoint in endpoints:
            try:
                prepared.append((endpoint, request_headers(endpoint, self.sessions)))
            except InputError as exc:
                failed.setdefault(str(exc), []).append(endpoint.label)
        for message, labels in failed.items():
            more = f" and {len(labels) - 1} more" if len(labels) > 1 else ""
            self._error(f"{labels[0]}{more}: {message}")
        return prepared

    def _keep(
        self,
        endpoint: Endpoint,
        run: int,
        sent: Sent,
        report: Report | None,
        reports: list[Report],
        times: list[float],
    ) -> bool:
        if report is None:
            raise RuntimeError(
                "async_probe recorded no request scope: is it installed, with "
                "ASYNC_PROBE['ENABLED'] left True?"
            )
        if run == 0 and sent.status == 404 and not _resolves(endpoint.path):
            self._error(
                f"{endpoint.label} ({endpoint.source}): path {endpoint.path!r} "
                "matches no URL pattern (404)"
            )
            return False
        if run >= self.warmup:
            reports.append(report)
            times.append(sent.elapsed_s)
        return True

    def _raised(self, endpoint: Endpoint, exc: Exception) -> None:
        self._error(f"{endpoint.label}: the request raised {type(exc).__name__}: {exc}")

    def _error(self, message: str) -> None:
        # Both handlers run the same endpoints: report each problem once.
        if all(str(error) != message for error in self.errors):
            self.errors.append(InputError(message))

    def _tick(self, index: int, total: int, endpoint: Endpoint, handler: str) -> None:
        if self.progress is not None:
            self.progress(index, total, f"{handler} {endpoint.label}")


def _resolves(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def hop_price_s(results: list[Result]) -> float | None:
    """Median wait + run of the middleware hops measured under ASGI (all hops
    when there are none): what one hop costs here, the hook's own work included."""
    hops = [
        hop
        for result in results
        if result.handler == "asgi"
        for report in result.reports
        for hop in report.hops
    ]
    chosen = [hop for hop in hops if hop.cause == "middleware"] or hops
    if not chosen:
        return None
    return statistics.median(hop.wait_s + hop.run_s for hop in chosen)
