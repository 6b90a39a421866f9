from oj.submission.models import JudgeStatus
from oj.utils.testing import (
    OJTestCase,
    create_problem,
    create_submission,
    create_user,
    legacy_variant,
)


class SubmissionListCases:
    @classmethod
    def setUpTestData(cls):
        cls.teacher = create_user("teacher")
        cls.alice = create_user("alice")
        cls.bob = create_user("bob")
        cls.disabled = create_user("mallory", is_disabled=True)
        cls.p1 = create_problem(cls.teacher, "1001")
        cls.p2 = create_problem(cls.teacher, "1002", share_submission=True)
        cls.alice_p1 = create_submission(cls.alice, cls.p1)
        create_submission(cls.alice, cls.p2, JudgeStatus.WRONG_ANSWER)
        cls.bob_p1 = create_submission(cls.bob, cls.p1)

    async def get(self, query="limit=10", hops=None):
        return await self.aget(f"/api/submissions?{query}", hops=hops)

    async def test_anonymous_and_disabled_users_are_refused(self):
        self.assertEqual(
            await self.get(hops=13),
            {"error": "permission-denied", "data": "Please login first"},
        )
        await self.async_client.aforce_login(self.disabled)
        self.assertEqual(
            await self.get(hops=16),
            {"error": "permission-denied", "data": "Your account is disabled"},
        )

    async def test_list(self):
        await self.async_client.aforce_login(self.alice)
        body = await self.get(hops=19)
        self.assertIsNone(body["error"])
        self.assertEqual(body["data"]["total"], 3)
        links = {
            (s["username"], s["problem"]): s["show_link"]
            for s in body["data"]["results"]
        }
        # her own are linked; bob's, on a problem that does not share, is not
        self.assertEqual(
            links,
            {("alice", "1001"): True, ("alice", "1002"): True, ("bob", "1001"): False},
        )
        self.assertEqual(body["data"]["results"][0]["problem_title"][:8], "Problem ")

    async def test_filters(self):
        await self.async_client.aforce_login(self.alice)
        body = await self.get("limit=10&myself=1&result=0", hops=19)
        self.assertEqual([s["id"] for s in body["data"]["results"]], [self.alice_p1.id])
        body = await self.get("limit=10&problem_id=1001&username=bo", hops=19)
        self.assertEqual([s["id"] for s in body["data"]["results"]], [self.bob_p1.id])
        body = await self.get("limit=10&problem_id=9999", hops=16)
        self.assertEqual(body, {"error": "error", "data": "Problem doesn't exist"})
        self.assertEqual((await self.get("", hops=15))["data"], "Limit is needed")
        self.assertEqual(
            (await self.get("limit=1&contest_id=1", hops=15))["data"], "Parameter error"
        )


class SubmissionListTests(SubmissionListCases, OJTestCase):
    pass


@legacy_variant
class LegacySubmissionListTests(SubmissionListCases, OJTestCase):
    pass
