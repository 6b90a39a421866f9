from oj.account.models import AdminType
from oj.message.models import Message
from oj.utils.testing import (
    OJTestCase,
    create_problem,
    create_submission,
    create_user,
    legacy_variant,
)


class MessageCases:
    @classmethod
    def setUpTestData(cls):
        cls.root = create_user("root", AdminType.SUPER_ADMIN)
        cls.admin = create_user("admin", AdminType.ADMIN)
        cls.disabled_root = create_user(
            "old-root", AdminType.SUPER_ADMIN, is_disabled=True
        )
        cls.student = create_user("student")
        cls.problem = create_problem(cls.root, "1001")
        cls.submission = create_submission(cls.student, cls.problem)
        Message.objects.create(
            sender=cls.root,
            recipient=cls.student,
            submission=cls.submission,
            message="<p>well done</p>",
        )

    async def send(self, recipient=None, submission=None, hops=None):
        payload = {
            "recipient": (recipient or self.student).id,
            "submission": submission or self.submission.id,
            "message": "<p>check line 3</p>",
        }
        return await self.apost("/api/message", payload, hops=hops)

    async def test_inbox(self):
        await self.async_client.aforce_login(self.student)
        body = await self.aget("/api/message?limit=10", hops=19)
        self.assertIsNone(body["error"])
        self.assertEqual(body["data"]["total"], 1)
        message = body["data"]["results"][0]
        self.assertEqual(message["sender"]["username"], "root")
        self.assertEqual(message["submission"]["problem"], "1001")
        self.assertNotIn("recipient", message)

    async def test_inbox_needs_login(self):
        response = await self.aget("/api/message", hops=13)
        self.assertEqual(
            response,
            {"error": "permission-denied", "data": "Please login first"},
        )

    async def test_super_admin_sends(self):
        await self.async_client.aforce_login(self.root)
        self.assertEqual(await self.send(hops=19), {"error": None, "data": None})
        self.assertEqual(
            await Message.objects.filter(recipient=self.student).acount(), 2
        )

    async def test_send_errors(self):
        await self.async_client.aforce_login(self.root)
        self.assertEqual(
            (await self.send(recipient=self.root, hops=16))["data"],
            "Can not send a message to yourself",
        )
        self.assertEqual(
            (await self.send(submission="missing", hops=17))["data"],
            "Submission does not exist",
        )
        self.assertEqual(
            (await self.send(recipient=self.disabled_root, hops=16))["data"],
            "User does not exist",
        )

    async def test_only_active_super_admins_send(self):
        denied = {"error": "permission-denied", "data": "Please login first"}
        self.assertEqual(await self.send(hops=13), denied)
        for user in (self.student, self.admin):
            await self.async_client.aforce_login(user)
            self.assertEqual(await self.send(hops=16), denied)
        await self.async_client.aforce_login(self.disabled_root)
        self.assertEqual(
            await self.send(hops=16),
            {"error": "permission-denied", "data": "Your account is disabled"},
        )

    async def test_payload_is_validated_first(self):
        # validate_serializer sits above super_admin_required, as in the original
        body = await self.apost("/api/message", {}, hops=13)
        self.assertEqual(body["error"], "invalid-recipient")


class MessageTests(MessageCases, OJTestCase):
    pass


@legacy_variant
class LegacyMessageTests(MessageCases, OJTestCase):
    pass
