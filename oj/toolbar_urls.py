"""URLconf of ``oj.settings.toolbar``: the API, the legacy API under /legacy/,
the toolbar's views, its static files, and the demo page at /demo/."""

from debug_toolbar.toolbar import debug_toolbar_urls
from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import include, path

from oj.urls import urlpatterns as api_urlpatterns


async def demo(request: HttpRequest) -> HttpResponse:
    # Async and without a request context: the page itself makes no thread hop
    # and reads no session, so its own report is just the chain's.
    return HttpResponse(render_to_string("toolbar_demo.html"))


urlpatterns = [
    path("demo/", demo, name="toolbar_demo"),
    # The plan's starting point, so the demo has a lazy load and blocking
    # cache calls to show (the hardened views have neither).
    path("legacy/", include(("oj.urls_legacy", "legacy"))),
    *api_urlpatterns,
    *debug_toolbar_urls(),
    *staticfiles_urlpatterns(),
]
