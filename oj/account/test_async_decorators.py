from django.contrib.auth.models import AnonymousUser
from django.test import AsyncRequestFactory, SimpleTestCase

from oj.account.decorators import login_required
from oj.utils.api import AsyncAPIView


class DisabledUser:
    is_authenticated = True
    is_disabled = True


class ActiveUser:
    is_authenticated = True
    is_disabled = False


class ProtectedAsyncView(AsyncAPIView):
    @login_required
    async def get(self, request):
        return self.success("ok")


class AsyncPermissionDecoratorTests(SimpleTestCase):
    async def test_async_login_required_allows_active_user(self):
        request = AsyncRequestFactory().get("/api/protected")
        request.user = ActiveUser()
        response = await ProtectedAsyncView.as_view()(request)
        self.assertEqual(response.data["error"], None)
        self.assertEqual(response.data["data"], "ok")

    async def test_async_login_required_rejects_anonymous_user(self):
        request = AsyncRequestFactory().get("/api/protected")
        request.user = AnonymousUser()
        response = await ProtectedAsyncView.as_view()(request)
        self.assertEqual(response.data["error"], "permission-denied")
        self.assertEqual(response.data["data"], "Please login first")

    async def test_async_login_required_rejects_disabled_user(self):
        request = AsyncRequestFactory().get("/api/protected")
        request.user = DisabledUser()
        response = await ProtectedAsyncView.as_view()(request)
        self.assertEqual(response.data["error"], "permission-denied")
        self.assertEqual(response.data["data"], "Your account is disabled")
