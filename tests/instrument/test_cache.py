"""Cache calls on every built-in backend, on the loop, in workers and in sync code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import SynchronousOnlyOperation
from django.core.management import call_command
from django.test import override_settings

from async_probe import probe
from async_probe.instrument.cache import redact

HERE = "tests/instrument/test_cache.py"


def backend_settings(kind: str, tmp_path: Path, redis_url: str) -> dict[str, Any]:
    return {
        "locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "redis": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
        },
        "db": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "probe_cache",
        },
        "file": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        },
    }[kind]


@pytest.fixture(params=["locmem", "redis", "db", "file"])
def backend(request: Any, tmp_path: Path, settings: Any, transactional_db: None) -> Any:
    # Database access is declared statically: pytest-django sets up the test
    # database for worker threads only when the test asks for it by name.
    kind = request.param
    if kind == "redis":
        request.getfixturevalue("redis_cache")
    with override_settings(
        CACHES={"probed": backend_settings(kind, tmp_path, settings.REDIS_URL)}
    ):
        if kind == "db":
            call_command("createcachetable", verbosity=0)
        cache = caches["probed"]
        cache.clear()
        yield cache
        cache.clear()


def test_sync_calls_in_sync_code_do_not_block(backend: Any) -> None:
    with probe() as report:
        backend.set("greeting", "hi")
        assert backend.get("greeting") == "hi"
        backend.delete("greeting")
    assert report.cache_calls == 3
    assert report.blocking_cache_calls == 0
    assert [c.method for c in report.cache] == ["set", "get", "delete"]
    call = report.cache[1]
    assert (call.alias, call.context, call.blocking) == ("probed", "sync", False)
    assert call.callsite is not None and call.callsite.filename == HERE
    assert report.thread_hops == 0


async def test_sync_calls_on_the_event_loop_block(backend: Any) -> None:
    async with probe() as report:
        await sync_to_async(backend.set)("greeting", "hi")  # setup, in a worker
        if isinstance(backend, DatabaseCache):
            # Django refuses database work on the loop; the attempt still blocked.
            with pytest.raises(SynchronousOnlyOperation):
                backend.get("greeting")
        else:
            assert backend.get("greeting") == "hi"  # on the loop
    assert (report.cache_calls, report.blocking_cache_calls) == (2, 1)
    setup, blocking = report.cache
    assert (setup.context, setup.blocking) == ("worker", False)
    assert (blocking.method, blocking.context, blocking.blocking) == (
        "get",
        "event_loop",
        True,
    )


async def test_async_methods_are_a_hop_and_a_non_blocking_call(backend: Any) -> None:
    async with probe() as report:
        await backend.aset("greeting", "hi")
        assert await backend.aget("greeting") == "hi"
    assert report.thread_hops == 2
    assert report.cache_calls == 2 and report.blocking_cache_calls == 0
    hop = report.hops[1]
    assert hop.cause == "cache"
    assert hop.target.endswith(f"{type(backend).__name__}.get")
    assert hop.callsite is not None and hop.callsite.filename == HERE
    call = report.cache[1]
    assert (call.method, call.context, call.hop_id) == ("get", "worker", hop.id)


def test_compound_calls_count_once(backend: Any) -> None:
    with probe() as report:
        backend.set_many({"a": 1, "b": 2})
        assert backend.get_many(["a", "b"]) == {"a": 1, "b": 2}
        assert backend.get_or_set("c", 3) == 3
        backend.incr_version("a")
        assert "b" in backend  # __contains__ -> has_key
    assert [c.method for c in report.cache] == [
        "set_many",
        "get_many",
        "get_or_set",
        "incr_version",
        "has_key",
    ]


def test_keys_are_redacted_unless_configured(settings: Any) -> None:
    cache = caches["default"]
    with probe() as report:
        cache.get("user:42:email")
        cache.get_many(["a", "b"])
    assert report.cache[0].key == redact("user:42:email")
    assert "42" not in report.cache[0].key
    assert report.cache[1].key == f"{redact('a')}, {redact('b')}"
    assert report.cache[0].raw_key == "user:42:email"  # the panel's, never in as_dict
    assert "raw_key" not in report.cache[0].as_dict()
    settings.ASYNC_PROBE = {"REDACT_CACHE_KEYS": False}
    with probe() as report:
        cache.get("user:42:email")
    assert report.cache[0].key == "user:42:email"


def test_close_is_not_a_cache_call() -> None:
    with probe() as report:
        caches["default"].close()
    assert report.cache_calls == 0


class CountingCache(LocMemCache):
    """A project's own backend, defined after install."""

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return super().get(key, default, version)


def test_backend_classes_defined_later_are_patched_on_first_use() -> None:
    with override_settings(
        CACHES={"mine": {"BACKEND": f"{__name__}.CountingCache", "LOCATION": "mine"}}
    ):
        cache = caches["mine"]
        with probe() as report:
            cache.get("x")
    assert [(c.alias, c.method) for c in report.cache] == [("mine", "get")]


def test_no_scope_no_recording() -> None:
    cache = caches["default"]
    cache.set("x", 1)
    with probe() as report:
        pass
    assert report.cache_calls == 0
