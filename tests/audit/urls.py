"""A URLconf with one route of each kind the audit's discovery must tell apart."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path, re_path
from django.views import View

from tests.testapp import views


class PostOnly(View):
    def post(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")


def page(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse("ok")


tool_routes = [path("", page), path("thing/<int:pk>/", page)]

urlpatterns = [
    path("async_plain/", views.async_plain, name="async_plain"),
    path("sync_plain/", views.sync_plain, name="sync_plain"),
    path("books/<int:pk>/", page, name="book"),
    re_path(r"^robots\.txt$", page),
    re_path(r"^a+/$", page),
    path("post_only/", PostOnly.as_view()),
    path("static/app.css", page),
    path("nested/", include([path("inner/", page), path("<slug:s>/", page)])),
    path("by_id/<int:pk>/", include([path("inner/", page)])),
    path("admin/", include((tool_routes, "admin"), namespace="admin")),
    path("__debug__/", include((tool_routes, "djdt"), namespace="djdt")),
    path("sync_plain/", page),  # shadowed by the first sync_plain/
]
