from django.core.cache import cache

from oj.account.models import UserProfile
from oj.problem.models import ProblemTag
from oj.problem.views.oj import tag_cache_key
from oj.submission.models import JudgeStatus
from oj.utils.testing import (
    OJTestCase,
    create_contest,
    create_problem,
    create_submission,
    create_user,
    legacy_variant,
)


class ProblemCases:
    @classmethod
    def setUpTestData(cls):
        cls.author = create_user("teacher")
        cls.student = create_user("student")
        cls.loop, cls.math, cls.unused = (
            ProblemTag.objects.create(name=name) for name in ("Loop", "Math", "Unused")
        )
        cls.p1 = create_problem(cls.author, "1001")
        cls.p2 = create_problem(cls.author, "1002", allow_flowchart=True)
        cls.hidden = create_problem(cls.author, "1003", visible=False)
        cls.p1.tags.set([cls.loop, cls.math])
        cls.p2.tags.set([cls.loop])
        create_submission(cls.student, cls.p1, JudgeStatus.WRONG_ANSWER)
        create_submission(cls.student, cls.p1, JudgeStatus.COMPILE_ERROR)
        UserProfile.objects.filter(user=cls.student).update(
            acm_problems_status={
                "problems": {str(cls.p1.id): {"status": JudgeStatus.WRONG_ANSWER}}
            }
        )

    async def test_tags_lists_used_tags_and_caches_them(self):
        body = await self.aget("/api/problem/tags", hops=17)
        self.assertIsNone(body["error"])
        self.assertEqual(
            body["data"],
            [
                {"id": self.loop.id, "name": "Loop"},
                {"id": self.math.id, "name": "Math"},
            ],
        )
        self.assertEqual(await cache.aget(tag_cache_key("")), body["data"])

    async def test_tags_keyword(self):
        response = await self.aget("/api/problem/tags?keyword=ma", hops=17)
        self.assertEqual([t["name"] for t in response["data"]], ["Math"])

    async def test_list_needs_limit(self):
        response = await self.aget("/api/problem", hops=13)
        self.assertEqual(response, {"error": "error", "data": "Limit is needed"})

    async def test_list(self):
        body = await self.aget("/api/problem?limit=10&tag=Loop", hops=16)
        self.assertIsNone(body["error"])
        self.assertEqual(body["data"]["total"], 2)
        by_id = {p["_id"]: p for p in body["data"]["results"]}
        self.assertEqual(set(by_id), {"1001", "1002"})
        self.assertEqual(sorted(by_id["1001"]["tags"]), ["Loop", "Math"])
        self.assertEqual(by_id["1001"]["created_by"]["username"], "teacher")
        self.assertNotIn("my_status", by_id["1001"])

    async def test_list_marks_the_users_status(self):
        await self.async_client.aforce_login(self.student)
        response = await self.aget("/api/problem?limit=10&sort=_id", hops=20)
        results = response["data"]["results"]
        self.assertEqual([p["_id"] for p in results], ["1001", "1002"])
        self.assertEqual(results[0]["my_status"], JudgeStatus.WRONG_ANSWER)
        self.assertIsNone(results[1]["my_status"])

    async def test_detail(self):
        await self.async_client.aforce_login(self.student)
        body = await self.aget("/api/problem?problem_id=1001", hops=20)
        self.assertIsNone(body["error"])
        data = body["data"]
        self.assertEqual(data["title"], "Problem 1001")
        self.assertEqual(data["my_failed_count"], 2)
        self.assertEqual(data["my_status"], JudgeStatus.WRONG_ANSWER)
        self.assertNotIn("test_case_id", data)

    async def test_hidden_problem_does_not_exist(self):
        response = await self.aget("/api/problem?problem_id=1003", hops=14)
        self.assertEqual(response, {"error": "error", "data": "Problem does not exist"})


class ProblemTests(ProblemCases, OJTestCase):
    pass


@legacy_variant
class LegacyProblemTests(ProblemCases, OJTestCase):
    pass


class ContestProblemTests(OJTestCase):
    """A contest permission-heavy endpoint, kept sync (rule 4)."""

    @classmethod
    def setUpTestData(cls):
        cls.root = create_user("root")
        cls.student = create_user("student")
        cls.open = create_contest(cls.root, "Open")
        cls.locked = create_contest(cls.root, "Locked", password="secret")
        cls.upcoming = create_contest(cls.root, "Soon", started=False)
        for contest in (cls.open, cls.locked, cls.upcoming):
            create_problem(cls.root, "A", contest=contest)

    def get(self, contest):
        return self.client.get(f"/api/contest/problem?contest_id={contest.id}").json()

    def test_permission_checks(self):
        self.assertEqual(self.get(self.open)["data"], "Please login first.")
        self.client.force_login(self.student)
        self.assertEqual(
            self.get(self.locked)["data"], "Wrong password or password expired"
        )
        self.assertEqual(
            self.get(self.upcoming)["data"], "Contest has not started yet."
        )
        body = self.get(self.open)
        self.assertIsNone(body["error"])
        self.assertEqual([p["_id"] for p in body["data"]], ["A"])

    def test_contest_creator_sees_everything(self):
        self.client.force_login(self.root)
        for contest in (self.locked, self.upcoming):
            self.assertIsNone(self.get(contest)["error"])
