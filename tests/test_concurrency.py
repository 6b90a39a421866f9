"""Many requests at once through one ASGI application: every report exact."""

from __future__ import annotations

import asyncio
import os
from typing import Any

from django.test import override_settings

from async_probe.report import Report
from tests.drivers import asgi_request

PROBE = "async_probe.middleware.AsyncProbeMiddleware"
# Each ASGI request runs its sync code in a thread of its own, each with its own
# database connection: PostgreSQL here allows 100, so it gets fewer at once.
REQUESTS = 80 if os.environ.get("DATABASE_URL", "").startswith("postgres") else 200


@override_settings(MIDDLEWARE=[PROBE])
async def test_concurrent_requests_each_get_exactly_their_own_events(
    asgi_app: Any, reports: list[Report], transactional_db: None
) -> None:
    from tests.testapp.models import Author, Book

    author = await Author.objects.acreate(name="Ann")
    await Book.objects.abulk_create(
        [Book(title=f"b{i}", author=author) for i in range(REQUESTS)]
    )
    app = asgi_app()
    sizes = list(range(REQUESTS))  # request n: n hops, n lazy loads, n blocking calls
    responses = await asyncio.gather(
        *(asgi_request(app, "/async_mixed/", query=f"n={n}") for n in sizes)
    )
    assert [r.json()["n"] for r in responses] == sizes
    assert len(reports) == REQUESTS
    seen = set()
    for report in reports:
        n = report.blocking_cache_calls
        assert n not in seen
        seen.add(n)
        # signal + async iteration + n helpers + the serializer hop + close
        assert report.thread_hops == n + 4, str(report)
        assert report.lazy_loads == n
        assert report.cache_calls == n
        assert all(load.context == "worker" for load in report.loads)
        assert all(call.blocking for call in report.cache)
    assert seen == set(sizes)
