"""Views the OpenTelemetry tests need beyond tests/testapp's."""

from __future__ import annotations

from asgiref.sync import async_to_sync, sync_to_async
from django.http import HttpRequest, JsonResponse


async def _inner() -> int:
    return 42


def _outer() -> int:
    # Back to the loop from the worker thread: a hop inside a hop.
    return async_to_sync(_inner)()


async def nested_hops(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"value": await sync_to_async(_outer)()})


async def book(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse({"pk": pk})
