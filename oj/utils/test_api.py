"""The APIView / AsyncAPIView stack: envelope, parsing, errors, pagination."""

import json

from django.test import AsyncRequestFactory, RequestFactory, SimpleTestCase

from oj.account.decorators import login_required
from oj.utils.api import (
    APIError,
    APIView,
    AsyncAPIView,
    serializers,
    validate_serializer,
)


class NameSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=5)


class SyncView(APIView):
    def get(self, request):
        if request.GET.get("fail") == "api":
            raise APIError("no such thing", err="not-found")
        if request.GET.get("fail"):
            raise RuntimeError("boom")
        return self.success(dict(request.GET.items()))

    @validate_serializer(NameSerializer)
    def post(self, request):
        return self.success(request.data)


class AsyncView(AsyncAPIView):
    async def get(self, request):
        if request.GET.get("fail"):
            raise RuntimeError("boom")
        return self.success("ok")

    # the original order: validation first, then the permission check
    @validate_serializer(NameSerializer)
    @login_required
    async def post(self, request):
        return self.success(request.data)


def post(factory, data, content_type="application/json"):
    return factory.post("/api/x", data=data, content_type=content_type)


class EnvelopeTests(SimpleTestCase):
    def test_success_and_errors(self):
        view = SyncView.as_view()
        response = view(RequestFactory().get("/api/x?a=1"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            json.loads(response.content), {"error": None, "data": {"a": "1"}}
        )
        self.assertEqual(
            view(RequestFactory().get("/api/x?fail=api")).data,
            {"error": "not-found", "data": "no such thing"},
        )
        with self.assertLogs("oj.utils.api.api", "ERROR"):
            response = view(RequestFactory().get("/api/x?fail=1"))
        self.assertEqual(
            response.data, {"error": "server-error", "data": "server error"}
        )

    async def test_async_server_error(self):
        with self.assertLogs("oj.utils.api.api", "ERROR"):
            response = await AsyncView.as_view()(
                AsyncRequestFactory().get("/api/x?fail=1")
            )
        self.assertEqual(response.data["error"], "server-error")

    def test_request_parsing(self):
        view = SyncView.as_view()
        response = view(
            post(RequestFactory(), "name=bob", "application/x-www-form-urlencoded")
        )
        self.assertEqual(response.data, {"error": None, "data": {"name": "bob"}})
        response = view(post(RequestFactory(), "{", "application/json"))
        self.assertEqual(response.data["error"], "invalid-request")
        response = view(post(RequestFactory(), "x", "text/plain"))
        self.assertEqual(response.data["data"], "unknown content_type 'text/plain'")

    def test_invalid_serializer(self):
        response = SyncView.as_view()(
            post(RequestFactory(), json.dumps({"name": "toolong"}))
        )
        self.assertEqual(response.data["error"], "invalid-name")
        self.assertTrue(response.data["data"].startswith("name: "))

    async def test_async_validation_runs_before_the_permission_check(self):
        view = AsyncView.as_view()
        request = post(AsyncRequestFactory(), json.dumps({}))
        self.assertEqual((await view(request)).data["error"], "invalid-name")
        request = post(AsyncRequestFactory(), json.dumps({"name": "bob"}))

        class Anonymous:
            is_authenticated = False

        request.user = Anonymous()
        self.assertEqual((await view(request)).data["data"], "Please login first")

    def test_views_are_sync_or_async_as_their_handlers(self):
        self.assertFalse(SyncView.view_is_async)
        self.assertTrue(AsyncView.view_is_async)
