"""The endpoints every level serves.

- ``/deep/``: async; under the startproject middleware stack that is ~15 hops,
  plus the queryset's own hop and one ``sync_to_async`` that serializes 20 rows,
  touching each row's unloaded ``author`` (20 lazy loads in a worker thread, the
  N+1 the issue compares django-zeal on).
- ``/plain/``: async, no work: the per-request cost of the stack and the probe.
- ``/sync/``: a sync view (under ASGI Django runs it through one more hop).
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.http import HttpRequest, JsonResponse

from .models import Book

ROWS = 20


def serialize(rows: list[Book]) -> list[dict[str, Any]]:
    return [
        {"id": row.pk, "title": row.title, "author": row.author.name} for row in rows
    ]


async def deep(request: HttpRequest) -> JsonResponse:
    rows = [row async for row in Book.objects.order_by("id")[:ROWS]]
    data = await sync_to_async(serialize)(rows)
    return JsonResponse({"books": data})


async def plain(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


def sync(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})
