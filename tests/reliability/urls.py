"""Views that handle secrets, for the security tests."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path

from tests.testapp.models import Book

CACHE_KEY = "session-token:CACHE-KEY-SECRET-1f2e"
SEARCH = "SQL-PARAM-SECRET-9a8b"
COOKIE = "COOKIE-SECRET-7c6d"


def _search(title: str) -> list[str]:
    # A query whose parameter is the secret, and a lazy load per row found.
    return [book.author.name for book in Book.objects.filter(title=title)]


async def secret_work(request: HttpRequest) -> JsonResponse:
    cache.set(CACHE_KEY, request.COOKIES.get("sessionid"))  # blocking, on the loop
    token = await cache.aget(CACHE_KEY)
    names = await sync_to_async(_search)(request.headers["x-search"])
    return JsonResponse({"names": names, "token_seen": token == COOKIE})


def page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<html><body><p>page</p></body></html>")


urlpatterns = [path("secret_work/", secret_work), path("page/", page)]
