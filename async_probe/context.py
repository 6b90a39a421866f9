"""Where code is running: on the event loop, in a worker thread, or plain sync.

``event_loop``: this thread is running an event loop (a sync call here blocks
every coroutine on it). ``worker``: inside a ``sync_to_async`` hop, that is,
sync code called from async code. ``sync``: neither (WSGI, management commands).
"""

from __future__ import annotations

import asyncio
from contextvars import ContextVar

from asgiref.sync import SyncToAsync

from .events import Callsite, Context

# asyncio's C-level lookup: one thread-local read, no exception on a miss.
_running_loop = asyncio._get_running_loop
# asgiref's thread_handler stores, in each thread it runs sync code in, the
# loop that sent the work (a canary test pins this).
_asgiref_thread = SyncToAsync.threadlocal


class HopFrame:
    """A hop in flight; visible (through the ContextVar) to code it runs."""

    __slots__ = ("callsite", "direction", "id", "parent_id")
    callsite: Callsite | None
    direction: str
    id: int
    parent_id: int | None


current_hop: ContextVar[HopFrame | None] = ContextVar(
    "async_probe_current_hop", default=None
)


def execution_context(hop: HopFrame | None) -> Context:
    """The context of an event, given ``current_hop.get()`` (which the caller
    needs anyway)."""
    if _running_loop() is not None:
        return "event_loop"
    if hop is not None:
        return "worker" if hop.direction == "sync_to_async" else "sync"
    # No hop of ours in this context (HOP_TIMING off, or the scope opened
    # inside the hop): a thread asgiref handed work to while its loop runs.
    # (The thread's own __dict__: a getattr miss would raise and catch.)
    loop = _asgiref_thread.__dict__.get("main_event_loop")
    if loop is not None and loop.is_running():
        return "worker"
    return "sync"


def hop_callsite() -> Callsite | None:
    """The application line that started the hop we are inside, if any: code in a
    worker thread has no application frames of its own on its stack."""
    hop = current_hop.get()
    return None if hop is None else hop.callsite
