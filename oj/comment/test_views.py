from django.core.cache import cache

from oj.comment.models import Comment
from oj.comment.queries import stats_cache_key
from oj.submission.models import JudgeStatus
from oj.utils.testing import (
    OJTestCase,
    create_problem,
    create_submission,
    create_user,
    legacy_variant,
)


class CommentCases:
    @classmethod
    def setUpTestData(cls):
        cls.teacher = create_user("teacher")
        cls.solver = create_user("solver")
        cls.struggler = create_user("struggler")
        cls.disabled = create_user("mallory", is_disabled=True)
        cls.problem = create_problem(cls.teacher, "1001")
        cls.submission = create_submission(cls.solver, cls.problem)
        create_submission(cls.struggler, cls.problem, JudgeStatus.WRONG_ANSWER)
        Comment.objects.create(
            problem=cls.problem,
            user=cls.teacher,
            description_rating=4,
            difficulty_rating=2,
            comprehensive_rating=3,
        )

    async def comment(self, hops=None, **fields):
        payload = {
            "problem_id": self.problem.id,
            "description_rating": 5,
            "difficulty_rating": 3,
            "comprehensive_rating": 5,
            "content": "fun",
        }
        payload.update(fields)
        return await self.apost("/api/comment", payload, hops=hops)

    async def statistics(self, hops=None):
        return await self.aget(
            f"/api/comment/statistics?problem_id={self.problem.id}", hops=hops
        )

    async def test_statistics_are_cached_and_refreshed_by_a_new_comment(self):
        body = await self.statistics(hops=16)
        self.assertEqual(
            body["data"],
            {
                "count": 1,
                "rating": {"description": 4.0, "difficulty": 2.0, "comprehensive": 3.0},
            },
        )
        self.assertEqual(
            await cache.aget(stats_cache_key(self.problem.id)), body["data"]
        )
        await self.async_client.aforce_login(self.solver)
        self.assertEqual(await self.comment(hops=20), {"error": None, "data": None})
        self.assertIsNone(await cache.aget(stats_cache_key(self.problem.id)))
        body = await self.statistics(hops=18)
        self.assertEqual(body["data"]["count"], 2)
        self.assertEqual(body["data"]["rating"]["description"], 4.5)

    async def test_comment_is_saved_with_the_accepted_submission(self):
        await self.async_client.aforce_login(self.solver)
        await self.comment(hops=20)
        comment = await Comment.objects.aget(user=self.solver)
        self.assertEqual(comment.submission_id, self.submission.id)
        self.assertEqual(comment.language, "Python")
        response = await self.aget(
            f"/api/comment?problem_id={self.problem.id}", hops=17
        )
        self.assertEqual(response["data"]["content"], "fun")

    async def test_only_solvers_comment(self):
        await self.async_client.aforce_login(self.struggler)
        self.assertEqual(
            (await self.comment(hops=18))["data"],
            "Submission does not exist or is not accepted",
        )
        self.assertEqual(
            (await self.comment(description_rating=9, hops=15))["error"],
            "invalid-description_rating",
        )

    async def test_permissions(self):
        self.assertEqual(
            await self.comment(hops=13),
            {"error": "permission-denied", "data": "Please login first"},
        )
        await self.async_client.aforce_login(self.disabled)
        self.assertEqual(
            await self.comment(hops=16),
            {"error": "permission-denied", "data": "Your account is disabled"},
        )

    async def test_statistics_without_comments(self):
        await Comment.objects.all().adelete()
        self.assertEqual(await self.statistics(hops=15), {"error": None, "data": None})


class CommentTests(CommentCases, OJTestCase):
    pass


@legacy_variant
class LegacyCommentTests(CommentCases, OJTestCase):
    pass
