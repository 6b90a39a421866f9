"""Thread hops: direction, timing, naming and nesting of each crossing."""

from __future__ import annotations

import asyncio
import time
from contextvars import ContextVar
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.core.signals import request_started
from django.http import HttpResponse
from django.test import override_settings

from async_probe import probe

HERE = "tests/instrument/test_hops.py"


def work(seconds: float = 0.0) -> str:
    time.sleep(seconds)
    return "done"


async def awork() -> str:
    await asyncio.sleep(0)
    return "done"


async def test_sync_to_async_hop() -> None:
    async with probe() as report:
        assert await sync_to_async(work)(0.02) == "done"
    assert report.thread_hops == 1
    (hop,) = report.hops
    assert (hop.direction, hop.cause, hop.thread_sensitive) == (
        "sync_to_async",
        "user",
        True,
    )
    assert hop.target == "tests.instrument.test_hops.work"
    assert hop.callsite is not None
    assert (hop.callsite.filename, hop.callsite.function) == (
        HERE,
        "test_sync_to_async_hop",
    )
    assert hop.run_s >= 0.02 and hop.wait_s >= 0
    assert hop.parent_id is None


async def test_untimed_hops_are_counted_named_and_placed() -> None:
    with override_settings(ASYNC_PROBE={"HOP_TIMING": False}):
        async with probe() as report:
            assert await sync_to_async(work)() == "done"
            assert await sync_to_async(async_to_sync(awork))() == "done"
    assert report.thread_hops == 3
    s2a, outer, a2s = report.hops
    assert (s2a.direction, s2a.cause, s2a.target) == (
        "sync_to_async",
        "user",
        "tests.instrument.test_hops.work",
    )
    assert s2a.callsite is not None and s2a.callsite.filename == HERE
    assert (outer.direction, a2s.direction) == ("sync_to_async", "async_to_sync")
    # Not timed, not linked: that is what the setting turns off.
    assert {(h.wait_s, h.run_s, h.id, h.parent_id) for h in report.hops} == {
        (0.0, 0.0, 0, None)
    }


async def test_thread_sensitive_false() -> None:
    async with probe() as report:
        await sync_to_async(work, thread_sensitive=False)()
    assert report.hops[0].thread_sensitive is False


async def test_wait_is_the_time_queued_behind_another_hop() -> None:
    # Both hops are thread-sensitive: the second waits for the first's thread.
    async with probe() as report:
        await asyncio.gather(sync_to_async(work)(0.05), sync_to_async(work)(0.0))
    first, second = sorted(report.hops, key=lambda hop: hop.run_s, reverse=True)
    assert first.run_s >= 0.05
    assert second.wait_s >= 0.04


def test_async_to_sync_hop() -> None:
    with probe() as report:
        assert async_to_sync(awork)() == "done"
    (hop,) = report.hops
    assert (hop.direction, hop.cause, hop.thread_sensitive) == (
        "async_to_sync",
        "user",
        False,
    )
    assert hop.target == "tests.instrument.test_hops.awork"
    assert (
        hop.callsite is not None and hop.callsite.function == "test_async_to_sync_hop"
    )


def test_nested_hops_link_to_their_parent() -> None:
    async def inner() -> str:
        return await sync_to_async(work)()

    with probe() as report:
        async_to_sync(inner)()
    outer, nested = report.hops
    assert (outer.direction, nested.direction) == ("async_to_sync", "sync_to_async")
    assert nested.parent_id == outer.id
    assert nested.at_ns >= outer.at_ns and nested.end_ns <= outer.end_ns + 1_000_000


async def test_an_exception_passes_through_and_the_hop_is_counted() -> None:
    def fail() -> None:
        raise KeyError("boom")

    async with probe() as report:
        with pytest.raises(KeyError):
            await sync_to_async(fail)()
    assert report.thread_hops == 1


async def test_context_variables_still_flow_back_from_sync_code() -> None:
    var: ContextVar[str] = ContextVar("var", default="before")

    def setter() -> None:
        var.set("after")

    async with probe():
        await sync_to_async(setter)()
        assert var.get() == "after"  # asgiref copies the context back; we keep it


async def test_the_wrapped_instance_is_left_as_it_was() -> None:
    adapter = sync_to_async(work)
    async with probe():
        await adapter()
    assert adapter.func is work


async def test_signal_hop_is_named_after_the_signal(transactional_db: None) -> None:
    def receiver(**kwargs: Any) -> None:
        pass

    request_started.connect(receiver)
    try:
        async with probe() as report:
            await request_started.asend(sender=None, scope={})
    finally:
        request_started.disconnect(receiver)
    (hop,) = report.hops
    assert (hop.cause, hop.target) == ("signal", "django.core.signals.request_started")
    assert hop.callsite is None  # framework hops are named, not located


async def test_response_close_hop(transactional_db: None) -> None:
    response = HttpResponse()
    async with probe() as report:
        await sync_to_async(response.close)()
    (hop,) = report.hops
    assert (hop.cause, hop.target) == (
        "response",
        "django.http.response.HttpResponse.close",
    )


async def test_orm_hops(library: Any) -> None:
    from tests.testapp.models import Author, Book

    async with probe() as report:
        await Author.objects.aget(name="Ann")
        await Book.objects.acount()
    assert [(hop.cause, hop.target) for hop in report.hops] == [
        ("orm", "django.db.models.query.QuerySet.get"),
        ("orm", "django.db.models.query.QuerySet.count"),
    ]
    assert all(hop.callsite.function == "test_orm_hops" for hop in report.hops)


async def test_hops_made_for_request_auser_are_auth(transactional_db: None) -> None:
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        aget_user,
    )
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpRequest

    user = await User.objects.acreate(username="ann")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    await session.asave()
    request = HttpRequest()
    request.session = SessionStore(session.session_key)
    async with probe() as report:
        assert (await aget_user(request)) == user
    # Django 5.2+ loads the session and the user through the async ORM; the
    # hops are attributed to auth, at the line that asked for the user.
    assert report.thread_hops >= 1
    assert {hop.cause for hop in report.hops} == {"auth"}
    assert {hop.callsite.function for hop in report.hops} == {
        "test_hops_made_for_request_auser_are_auth"
    }


async def test_no_scope_no_hops_recorded() -> None:
    await sync_to_async(work)()
    async with probe() as report:
        pass
    assert report.thread_hops == 0
