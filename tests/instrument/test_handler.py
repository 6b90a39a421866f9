"""Noting the resolved view on the request scope (BaseHandler.resolve_request)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from async_probe.collector import Collector, RequestInfo
from async_probe.instrument import handler


async def async_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


def sync_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


class UnhashableView:
    """A callable object that defines equality and so is not hashable."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UnhashableView)

    __hash__ = None  # type: ignore[assignment]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse()


def noted(view: Any) -> RequestInfo:
    collector = Collector(request=RequestInfo("GET", "/"))
    request = RequestFactory().get("/")
    handler.note_view(collector, request, view)
    assert collector.request is not None
    assert collector.request.request is request
    return collector.request


def test_views_are_named_and_classified_every_time() -> None:
    for _ in range(2):  # the second time from the per-view cache
        info = noted(async_view)
        assert (info.view, info.async_view) == (f"{__name__}.async_view", True)
        info = noted(sync_view)
        assert (info.view, info.async_view) == (f"{__name__}.sync_view", False)
    assert info.label() == f"GET / -> {__name__}.sync_view (sync view)"


def test_an_unhashable_view_is_still_noted() -> None:
    view = UnhashableView()
    info = noted(view)
    assert (info.view, info.async_view, info.view_func) == (
        f"{__name__}.UnhashableView",
        False,
        view,
    )
