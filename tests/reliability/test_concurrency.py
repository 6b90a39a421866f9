"""1,000 concurrent requests through one ASGI application, and a few hundred
over real HTTP through uvicorn: every report exact, no event in another's."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from django.test import override_settings

from tests.drivers import asgi_request

from .conftest import (
    FIXED_HOPS,
    MAX_K,
    ON_POSTGRES,
    PROBE,
    Seen,
    check_mixed,
    uvicorn_server,
)

REQUESTS = 1000
HTTP_REQUESTS = 300
# Each ASGI request runs its sync code in a thread of its own, and each thread
# holds a database connection while the request is in flight. SQLite takes them
# all; PostgreSQL here allows 100 connections, so there at most this many
# requests are in flight at once (all 1,000 still run, through one application).
IN_FLIGHT = 40 if ON_POSTGRES else REQUESTS


def k_of(i: int) -> int:
    return i % MAX_K + 1


def check_all(seen: list[Seen], count: int) -> None:
    assert len(seen) == count, "one report per request"
    ids = [int(s.request.GET["id"]) for s in seen]
    assert sorted(ids) == list(range(count)), "every request reported exactly once"
    for s in seen:
        assert s.report.path == "/async_mixed/" and s.report.status == 200
        check_mixed(s.report, k_of(int(s.request.GET["id"])))
    # Hop ids are unique per process: disjoint sets mean no hop was shared.
    all_hops = [hop.id for s in seen for hop in s.report.hops]
    assert (
        len(all_hops)
        == len(set(all_hops))
        == sum(k_of(i) + FIXED_HOPS for i in range(count))
    )


@override_settings(MIDDLEWARE=[PROBE])
async def test_a_thousand_concurrent_requests_in_process(
    asgi_app: Any, seen: list[Seen], shelf: None
) -> None:
    app = asgi_app()
    gate = asyncio.Semaphore(IN_FLIGHT)

    async def one(i: int) -> Any:
        async with gate:
            return await asgi_request(app, "/async_mixed/", query=f"n={k_of(i)}&id={i}")

    responses = await asyncio.gather(*(one(i) for i in range(REQUESTS)))
    assert [r.status for r in responses] == [200] * REQUESTS
    assert [r.json()["n"] for r in responses] == [k_of(i) for i in range(REQUESTS)]
    check_all(seen, REQUESTS)


@override_settings(MIDDLEWARE=[PROBE])
async def test_concurrent_requests_over_http_through_uvicorn(
    asgi_app: Any, seen: list[Seen], shelf: None
) -> None:
    limits = httpx.Limits(max_connections=IN_FLIGHT if ON_POSTGRES else HTTP_REQUESTS)
    with uvicorn_server(asgi_app()) as port:
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=60
        ) as client:
            responses = await asyncio.gather(
                *(
                    client.get("/async_mixed/", params={"n": k_of(i), "id": i})
                    for i in range(HTTP_REQUESTS)
                )
            )
    assert [r.status_code for r in responses] == [200] * HTTP_REQUESTS
    assert [r.json()["n"] for r in responses] == [k_of(i) for i in range(HTTP_REQUESTS)]
    check_all(seen, HTTP_REQUESTS)
