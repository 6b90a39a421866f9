"""The three account middleware, through both clients (WSGI: sync path, ASGI:
async path) and in both variants (dual-mode vs MiddlewareMixin)."""

from asgiref.sync import iscoroutinefunction

from oj.account.middleware import (
    AdminRoleRequiredMiddleware,
    APITokenAuthMiddleware,
    SessionRecordMiddleware,
)
from oj.account.models import AdminType, User
from oj.utils.testing import OJTestCase, create_user, legacy_variant

LOGIN_REQUIRED = {"error": "login-required", "data": "Please login in first"}


class MiddlewareCases:
    @classmethod
    def setUpTestData(cls):
        cls.api_user = create_user("robot", open_api=True, open_api_appkey="k" * 32)
        cls.closed_api_user = create_user("closed", open_api_appkey="c" * 32)
        cls.root = create_user("root", AdminType.SUPER_ADMIN)
        cls.student = create_user("student")

    def test_appkey_authenticates_sync(self):
        response = self.client.get("/api/submissions?limit=1", HTTP_APPKEY="k" * 32)
        self.assertIsNone(response.json()["error"])

    async def test_appkey_authenticates_async(self):
        response = await self.aget(
            "/api/submissions?limit=1", headers={"appkey": "k" * 32}, hops=17
        )
        self.assertIsNone(response["error"])

    async def test_appkey_skips_csrf_for_posts(self):
        response = await self.apost(
            "/api/flowchart/submission/retry",
            {},
            headers={"appkey": "k" * 32},
            hops=14,
        )
        self.assertEqual(response["data"], "submission_id is required")

    async def test_unknown_or_closed_appkey_is_anonymous(self):
        for key in ("nope", "c" * 32):
            response = await self.aget(
                "/api/submissions?limit=1", headers={"appkey": key}, hops=14
            )
            self.assertEqual(response["data"], "Please login first")

    def test_admin_paths_need_an_admin_sync(self):
        self.assertEqual(self.client.get("/api/admin/user").json(), LOGIN_REQUIRED)
        self.client.force_login(self.student)
        self.assertEqual(self.client.get("/api/admin/user").json(), LOGIN_REQUIRED)
        self.client.force_login(self.root)
        self.assertIsNone(self.client.get("/api/admin/user").json()["error"])

    async def test_admin_paths_need_an_admin_async(self):
        response = await self.aget("/api/admin/user", hops=12)
        self.assertEqual(response, LOGIN_REQUIRED)
        await self.async_client.aforce_login(self.student)
        response = await self.aget("/api/admin/user", hops=14)
        self.assertEqual(response, LOGIN_REQUIRED)
        await self.async_client.aforce_login(self.root)
        body = await self.aget("/api/admin/user?keyword=stud", hops=17)
        self.assertIsNone(body["error"])
        self.assertEqual([u["username"] for u in body["data"]["results"]], ["student"])

    async def test_session_is_recorded_async(self):
        await self.async_client.aforce_login(self.student)
        await self.aget("/api/announcement", headers={"user-agent": "pytest"}, hops=19)
        session = await self.async_client.asession()
        self.assertEqual(await session.aget("user_agent"), "pytest")
        self.assertEqual(await session.aget("ip"), "127.0.0.1")
        user = await User.objects.aget(pk=self.student.pk)
        self.assertEqual(user.session_keys, [session.session_key])

    def test_session_is_recorded_sync(self):
        self.client.force_login(self.student)
        self.client.get("/api/announcement", HTTP_USER_AGENT="pytest")
        self.assertEqual(self.client.session["user_agent"], "pytest")
        self.student.refresh_from_db()
        self.assertEqual(self.student.session_keys, [self.client.session.session_key])

    async def test_appkey_requests_are_not_recorded(self):
        await self.aget("/api/announcement", headers={"appkey": "k" * 32}, hops=17)
        user = await User.objects.aget(pk=self.api_user.pk)
        self.assertEqual(user.session_keys, [])


class DualModeMiddlewareTests(MiddlewareCases, OJTestCase):
    def test_middleware_are_dual_mode(self):
        async def get_response(request):
            return None

        for middleware in (
            APITokenAuthMiddleware,
            AdminRoleRequiredMiddleware,
            SessionRecordMiddleware,
        ):
            self.assertTrue(middleware.sync_capable and middleware.async_capable)
            self.assertTrue(iscoroutinefunction(middleware(get_response)))
            self.assertFalse(iscoroutinefunction(middleware(lambda request: None)))


@legacy_variant
class LegacyMiddlewareTests(MiddlewareCases, OJTestCase):
    pass
