"""``report_ready``: sent at the end of every request scope.

Every built-in sink (panel, OpenTelemetry, log) is a receiver, and so can a
user's be. Receivers are called inline, in the thread that closes the scope,
with recording suppressed, so they add no hop that any scope counts; that is
also why they must be synchronous and quick.
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import iscoroutinefunction
from django.dispatch import Signal


class ReportSignal(Signal):
    def connect(
        self,
        receiver: Any,
        sender: Any = None,
        weak: bool = True,
        dispatch_uid: Any = None,
    ) -> None:
        if iscoroutinefunction(receiver):
            raise TypeError(
                "report_ready receivers must be synchronous: they run inline when a "
                "request's scope closes, on the event loop under ASGI, and an async "
                f"receiver would need a thread hop of its own. Got {receiver!r}."
            )
        super().connect(receiver, sender, weak, dispatch_uid)


#: Sent with ``request`` (the HttpRequest, or None when only the ASGI wrapper saw
#: the request) and ``report`` (the request's final Report).
report_ready = ReportSignal(use_caching=True)
