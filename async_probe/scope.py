"""Request scopes: one per request, whoever opens it.

``ProbeASGIWrapper`` opens the scope first when it is installed, and so also
covers what Django does outside the middleware chain (the ``request_started``
signal, the response close); ``AsyncProbeMiddleware`` joins that scope, or
opens one itself under WSGI and the test clients. Whoever opened it closes it
and sends :data:`~async_probe.signals.report_ready`.
"""

from __future__ import annotations

from contextvars import Token
from typing import Any

from .collector import Collector, RequestInfo, _scopes, pop, push, request_of
from .conf import get_settings
from .faults import fault
from .instrument import is_installed
from .report import Report
from .signals import report_ready


class RequestScope:
    __slots__ = ("collector", "opened", "sender", "tokens")

    def __init__(
        self,
        collector: Collector,
        tokens: tuple[Token[Any], ...],
        opened: bool,
        sender: Any,
    ) -> None:
        self.collector = collector
        self.tokens = tokens
        self.opened = opened
        self.sender = sender

    @property
    def info(self) -> RequestInfo:
        assert self.collector.request is not None
        return self.collector.request

    @classmethod
    def enter(
        cls, method: str, path: str, *, sender: Any, request: Any = None
    ) -> RequestScope | None:
        """Open a request scope, or join the one already open; None when off."""
        try:
            existing = join(request)
            if existing is not None:
                return cls(existing, (), False, sender)
            if not is_installed():
                return None
            settings = get_settings()
            if not settings.enabled:
                return None
            collector = Collector(settings, RequestInfo(method, path, request=request))
            return cls(collector, push(collector), True, sender)
        except Exception as exc:
            fault("scope.enter", exc)
            return None

    def exit(self, status: int | None = None) -> Report | None:
        """Close the scope if we opened it; send ``report_ready``; return the report."""
        try:
            if status is not None:
                self.info.status = status
            if not self.opened:
                return None
            pop(self.collector, self.tokens)
            report = self.collector.report()
        except Exception as exc:
            fault("scope.exit", exc)
            return None
        send_report(self.sender, self.info.request, report)
        return report


def join(request: Any) -> Collector | None:
    """The open request scope's collector, noted with ``request`` (the
    HttpRequest, when the caller has it); None when no request scope is open."""
    existing = request_of(_scopes.get())
    if existing is None or existing.sealed:
        return None
    info = existing.request
    if info is not None and request is not None:
        info.request = request
    return existing


def send_report(sender: Any, request: Any, report: Report) -> None:
    # Receivers run with recording off: a sink's own cache or database work,
    # or anything it hands to sync_to_async, is not the request's. (What
    # suppressed() does, without a generator per request.)
    token = _scopes.set(())
    try:
        report_ready.send_robust(sender=sender, request=request, report=report)
    except Exception as exc:
        fault("report_ready", exc)
    finally:
        _scopes.reset(token)
