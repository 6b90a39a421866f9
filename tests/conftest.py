from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from async_probe import faults
from async_probe.instrument import patch_state
from async_probe.report import Report
from async_probe.signals import report_ready

# .ci/run sets this: there a missing PostgreSQL or Redis is a failure, not a skip.
REQUIRE_SERVICES = os.environ.get("ASYNC_PROBE_REQUIRE_SERVICES") == "1"


def service_missing(name: str, reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(
            f"{name} is required here (ASYNC_PROBE_REQUIRE_SERVICES=1): {reason}"
        )
    pytest.skip(f"{name} not reachable: {reason}")


def _layers(value: Any) -> tuple[int, Any]:
    """How many probe wrappers sit on the original, and the original."""
    depth = 0
    while hasattr(value, "__wrapped__") and depth < 10:
        value, depth = value.__wrapped__, depth + 1
    return depth, value


def patch_layers() -> dict[Any, tuple[int, Any]]:
    return {point: _layers(value) for point, value in patch_state().items()}


@pytest.fixture(autouse=True)
def _patches_unchanged() -> Iterator[None]:
    """Every test leaves every patch point as it found it: installed once over
    the same original (a test may uninstall and reinstall, not leave it off)."""
    before = patch_layers()
    faults.forget()
    yield
    after = patch_layers()
    # Backend classes first built during the test are patched then, and stay so.
    assert {point: after.get(point) for point in before} == before, (
        "a test changed async_probe's patches"
    )


@pytest.fixture(autouse=True)
def _close_worker_connections() -> Iterator[None]:
    """Close database connections that async code opened in asgiref's shared
    worker thread, so PostgreSQL lets the test database be dropped."""
    yield
    from asgiref.sync import SyncToAsync
    from django.db import connections

    SyncToAsync.single_thread_executor.submit(connections.close_all).result()


@pytest.fixture
def reports() -> Iterator[list[Report]]:
    """Reports of every request scope closed during the test, in order."""
    seen: list[Report] = []

    def receiver(sender: Any, report: Report, **kwargs: Any) -> None:
        seen.append(report)

    report_ready.connect(receiver, dispatch_uid="tests.reports")
    yield seen
    report_ready.disconnect(dispatch_uid="tests.reports")


@pytest.fixture
def asgi_app() -> Callable[[], Any]:
    """Build ``ProbeASGIWrapper(get_asgi_application())`` from the current settings."""

    def build() -> Any:
        from django.core.asgi import get_asgi_application

        from async_probe.asgi import ProbeASGIWrapper

        return ProbeASGIWrapper(get_asgi_application())

    return build


@pytest.fixture
def redis_cache(settings: Any) -> Any:
    from django.core.cache import caches

    try:
        import redis

        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as exc:
        service_missing("Redis", f"{settings.REDIS_URL} ({exc})")
    backend = caches["redis"]
    backend.clear()
    return backend


@pytest.fixture
def library(transactional_db: None) -> dict[str, Any]:
    """One publisher, two authors (one with a profile), three books with tags, notes."""
    from django.contrib.contenttypes.models import ContentType

    from tests.testapp.models import Author, Book, Note, Profile, Publisher, Tag

    publisher = Publisher.objects.create(name="Tor")
    ann = Author.objects.create(name="Ann", bio="long text")
    bob = Author.objects.create(name="Bob", bio="longer text")
    Profile.objects.create(author=ann, website="ann.example")
    Profile.objects.create(author=bob, website="bob.example")
    fiction, classic = (
        Tag.objects.create(name="fiction"),
        Tag.objects.create(name="classic"),
    )
    books = []
    for i, author in enumerate((ann, ann, bob)):
        book = Book.objects.create(
            title=f"Book {i}", author=author, publisher=publisher
        )
        book.tags.set([fiction, classic])
        books.append(book)
    book_type = ContentType.objects.get_for_model(Book)
    for book in books:
        Note.objects.create(
            text=f"on {book.title}", content_type=book_type, object_id=book.pk
        )
    return {"publisher": publisher, "authors": [ann, bob], "books": books}
