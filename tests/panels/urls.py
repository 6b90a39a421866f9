from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from tests.testapp.urls import urlpatterns as testapp_urlpatterns


async def async_page(request: HttpRequest) -> HttpResponse:
    """An HTML page, so the toolbar is rendered into the response."""
    return HttpResponse("<html><body><p>page</p></body></html>")


urlpatterns = [
    *testapp_urlpatterns,
    path("async_page/", async_page),
    path("__debug__/", include("debug_toolbar.urls")),
]
