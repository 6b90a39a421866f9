from datetime import timedelta

from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.test import AsyncClient, TestCase
from django.utils import timezone

from oj.account.models import UserProfile
from oj.announcement.models import Announcement
from oj.contest.models import Contest
from oj.flowchart.models import FlowchartSubmission
from oj.problem.models import Problem, ProblemRuleType
from oj.utils.constants import ContestRuleType, Difficulty

User = get_user_model()


def make_user(username="async_user"):
    user = User.objects.create(username=username, email=f"{username}@example.com")
    user.set_password("pass1234")
    user.save()
    UserProfile.objects.create(user=user)
    return user


def make_problem(user):
    return Problem.objects.create(
        _id="ASYNC001",
        title="Async Problem",
        description="desc",
        input_description="input",
        output_description="output",
        samples=[],
        test_case_id="async-test-case",
        test_case_score=[],
        hint="",
        languages=["Python3"],
        template={},
        created_by=user,
        time_limit=1000,
        memory_limit=128,
        rule_type=ProblemRuleType.ACM,
        difficulty=Difficulty.LOW,
        share_submission=False,
        allow_flowchart=True,
        show_flowchart=True,
    )


class AsyncConvertedViewRegressionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_user()
        cls.announcement = Announcement.objects.create(
            title="Async Announcement",
            content="content",
            tag="notice",
            visible=True,
            top=False,
            created_by=cls.user,
        )
        cls.contest = Contest.objects.create(
            title="Async Contest",
            description="contest desc",
            tag="weekly",
            real_time_rank=True,
            password=None,
            rule_type=ContestRuleType.ACM,
            start_time=timezone.now() - timedelta(hours=1),
            end_time=timezone.now() + timedelta(hours=1),
            created_by=cls.user,
            visible=True,
            allowed_ip_ranges=[],
        )
        cls.problem = make_problem(cls.user)
        cls.flowchart_submission = FlowchartSubmission.objects.create(
            user=cls.user,
            problem=cls.problem,
            mermaid_code="graph TD\nA-->B",
            flowchart_data={},
        )

    async def test_announcement_detail_serializes_created_by(self):
        response = await AsyncClient().get(
            f"/api/announcement?id={self.announcement.id}"
        )
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertIsNone(body["error"])
        self.assertEqual(body["data"]["created_by"]["username"], self.user.username)

    async def test_contest_detail_serializes_created_by(self):
        response = await AsyncClient().get(f"/api/contest?id={self.contest.id}")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertIsNone(body["error"])
        self.assertEqual(body["data"]["created_by"]["username"], self.user.username)

    async def test_flowchart_detail_serializes_user_and_problem(self):
        client = AsyncClient()
        await sync_to_async(client.force_login)(self.user)
        response = await client.get(
            f"/api/flowchart/submission?id={self.flowchart_submission.id}"
        )
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertIsNone(body["error"])
        self.assertEqual(body["data"]["username"], self.user.username)
        self.assertEqual(body["data"]["problem"], self.problem.id)
