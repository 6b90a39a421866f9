"""Fail open: a fault inside the probe is logged once and the request goes on."""

from __future__ import annotations

import logging
import threading

logger = logging.getLogger("async_probe")

_seen: set[str] = set()
_lock = threading.Lock()


def fault(where: str, exc: BaseException) -> None:
    """Log ``exc`` the first time ``where`` fails; stay quiet after that."""
    with _lock:
        if where in _seen:
            return
        _seen.add(where)
    logger.error(
        "async_probe: internal error in %s; the probe skips it and the request "
        "goes on (logged once per process)",
        where,
        exc_info=exc,
    )


def forget() -> None:
    """Log every fault again (tests)."""
    with _lock:
        _seen.clear()
