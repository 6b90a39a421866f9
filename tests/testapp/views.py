"""Views with known costs, one per scenario the tests pin."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.core.cache import cache, caches
from django.core.exceptions import SynchronousOnlyOperation
from django.http import HttpRequest, JsonResponse

from .models import Author, Book


async def async_plain(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


def sync_plain(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


async def async_books_loop(request: HttpRequest) -> JsonResponse:
    # Like the reference backend's APIView: the error becomes a 200 envelope.
    books = [book async for book in Book.objects.order_by("id")]
    errors = 0
    for book in books:
        try:
            book.author  # noqa: B018 - the lazy load under test
        except SynchronousOnlyOperation:
            errors += 1
    return JsonResponse({"errors": errors})


def _author_names(books: list[Book]) -> list[str]:
    return [book.author.name for book in books]


async def async_books_worker(request: HttpRequest) -> JsonResponse:
    books = [book async for book in Book.objects.order_by("id")]
    names = await sync_to_async(_author_names)(books)
    return JsonResponse({"names": names})


async def async_books_fixed(request: HttpRequest) -> JsonResponse:
    books = [
        book async for book in Book.objects.select_related("author").order_by("id")
    ]
    return JsonResponse({"names": [book.author.name for book in books]})


def sync_books(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"names": _author_names(list(Book.objects.order_by("id")))})


async def async_orm(request: HttpRequest) -> JsonResponse:
    count = await Book.objects.acount()
    first = await Author.objects.order_by("id").afirst()
    return JsonResponse({"count": count, "first": first.name if first else None})


async def async_cache(request: HttpRequest) -> JsonResponse:
    alias = request.GET.get("alias", "default")
    backend = caches[alias]
    backend.set("probe:key", 1)  # blocking: a sync call on the event loop
    value = await backend.aget("probe:key")  # one hop + one non-blocking call
    return JsonResponse({"value": value})


def sync_cache(request: HttpRequest) -> JsonResponse:
    cache.set("probe:key", 2)
    return JsonResponse({"value": cache.get("probe:key")})


def _helper() -> int:
    return 42


async def async_user_hop(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"value": await sync_to_async(_helper)()})


async def async_auser(request: HttpRequest) -> JsonResponse:
    user = await request.auser()
    return JsonResponse({"authenticated": user.is_authenticated})


async def async_mixed(request: HttpRequest) -> JsonResponse:
    """``n`` user hops, ``n`` worker lazy loads, ``n`` blocking cache calls."""
    n = int(request.GET["n"])
    books = [book async for book in Book.objects.order_by("id")[:n]]
    for _ in range(n):
        await sync_to_async(_helper)()
        cache.get("probe:mixed")
    names = await sync_to_async(_author_names)(books)
    return JsonResponse({"n": n, "names": len(names)})
