from datetime import timedelta

from django.utils import timezone

from oj.account.models import AdminType
from oj.flowchart.models import FlowchartSubmission, FlowchartSubmissionStatus
from oj.utils.testing import OJTestCase, create_problem, create_user, legacy_variant

COMPLETED = FlowchartSubmissionStatus.COMPLETED


class FlowchartCases:
    """The endpoints that behave the same in both variants."""

    @classmethod
    def setUpTestData(cls):
        cls.teacher = create_user("teacher", AdminType.ADMIN)
        cls.alice = create_user("alice")
        cls.bob = create_user("bob")
        cls.disabled = create_user("mallory", is_disabled=True)
        cls.problem = create_problem(cls.teacher, "1001", allow_flowchart=True)
        cls.no_flowchart = create_problem(cls.teacher, "1002")
        cls.first = FlowchartSubmission.objects.create(
            user=cls.alice,
            problem=cls.problem,
            mermaid_code="graph TD\nA-->B",
            status=COMPLETED,
            ai_score=70,
            ai_grade="B",
        )
        cls.latest = FlowchartSubmission.objects.create(
            user=cls.alice,
            problem=cls.problem,
            mermaid_code="graph TD\nA-->B-->C",
            status=COMPLETED,
            ai_score=92,
            ai_grade="S",
        )
        # distinct times: the completed-detail pages are ordered by create_time
        FlowchartSubmission.objects.filter(id=cls.first.id).update(
            create_time=timezone.now() - timedelta(hours=1)
        )
        cls.pending = FlowchartSubmission.objects.create(
            user=cls.bob, problem=cls.problem, mermaid_code="graph TD\nX"
        )

    async def post(self, url, payload, hops=None):
        return await self.apost(url, payload, hops=hops)

    async def test_create(self):
        await self.async_client.aforce_login(self.bob)
        body = await self.post(
            "/api/flowchart/submission",
            {"problem_id": self.problem.id, "mermaid_code": "graph TD\nA-->C"},
            hops=18,
        )
        self.assertIsNone(body["error"])
        self.assertEqual(body["data"]["status"], "pending")
        created = await FlowchartSubmission.objects.aget(
            id=body["data"]["submission_id"]
        )
        self.assertEqual(created.user_id, self.bob.id)
        self.assertEqual(created.status, FlowchartSubmissionStatus.PENDING)

    async def test_create_errors(self):
        await self.async_client.aforce_login(self.bob)
        body = await self.post(
            "/api/flowchart/submission",
            {"problem_id": self.no_flowchart.id, "mermaid_code": "graph TD"},
            hops=17,
        )
        self.assertEqual(
            body["data"], "This problem does not allow flowchart submission"
        )
        body = await self.post(
            "/api/flowchart/submission",
            {"problem_id": self.problem.id, "mermaid_code": "  "},
            hops=15,
        )
        self.assertEqual(body["error"], "invalid-mermaid_code")

    async def test_list(self):
        await self.async_client.aforce_login(self.alice)
        body = await self.aget("/api/flowchart/submissions?limit=10", hops=19)
        self.assertIsNone(body["error"])
        # a regular user sees their own only
        self.assertEqual(body["data"]["total"], 2)
        row = body["data"]["results"][0]
        self.assertEqual(
            (row["username"], row["problem"], row["problem_title"]),
            ("alice", "1001", "Problem 1001"),
        )

    async def test_list_for_teacher(self):
        await self.async_client.aforce_login(self.teacher)
        response = await self.aget(
            "/api/flowchart/submissions?problem_id=1001&username=bo", hops=20
        )
        results = response["data"]["results"]
        self.assertEqual([r["id"] for r in results], [self.pending.id])

    async def test_current(self):
        await self.async_client.aforce_login(self.alice)
        url = f"/api/flowchart/submission/current?problem_id={self.problem.id}"
        response = await self.aget(url, hops=19)
        self.assertEqual(
            response,
            {"error": None, "data": {"count": 2, "score": 92, "grade": "S"}},
        )
        await self.async_client.aforce_login(self.bob)
        response = await self.aget(url, hops=18)
        self.assertEqual(response["data"], {"count": 0, "score": 0, "grade": ""})

    async def test_retry_by_owner(self):
        await self.async_client.aforce_login(self.alice)
        body = await self.post(
            "/api/flowchart/submission/retry",
            {"submission_id": self.latest.id},
            hops=18,
        )
        self.assertIsNone(body["error"])
        await self.latest.arefresh_from_db()
        self.assertEqual(self.latest.status, FlowchartSubmissionStatus.PENDING)
        self.assertIsNone(self.latest.ai_score)

    async def test_retry_of_pending_submission_is_refused(self):
        await self.async_client.aforce_login(self.bob)
        body = await self.post(
            "/api/flowchart/submission/retry",
            {"submission_id": self.pending.id},
            hops=17,
        )
        self.assertEqual(body["data"], "Submission is not in a state that allows retry")

    async def test_permissions(self):
        urls = [
            "/api/flowchart/submissions",
            f"/api/flowchart/submission/current?problem_id={self.problem.id}",
            f"/api/flowchart/submission?id={self.first.id}",
            f"/api/flowchart/submission/detail?problem_id={self.problem.id}",
        ]
        for url in urls:
            response = await self.aget(url, hops=13)
            self.assertEqual(
                response,
                {"error": "permission-denied", "data": "Please login first"},
            )
        await self.async_client.aforce_login(self.disabled)
        for url in urls:
            response = await self.aget(url, hops=None)
            self.assertEqual(response["data"], "Your account is disabled")


class FlowchartTests(FlowchartCases, OJTestCase):
    """And the three whose "before" fails (see test_legacy_variant)."""

    async def test_detail(self):
        await self.async_client.aforce_login(self.teacher)
        body = await self.aget(f"/api/flowchart/submission?id={self.first.id}", hops=18)
        self.assertIsNone(body["error"])
        self.assertEqual(body["data"]["username"], "alice")
        self.assertEqual(body["data"]["ai_grade"], "B")

    async def test_detail_of_someone_else(self):
        await self.async_client.aforce_login(self.bob)
        response = await self.aget(
            f"/api/flowchart/submission?id={self.first.id}", hops=17
        )
        self.assertEqual(response["data"], "No permission for this submission")

    async def test_retry_of_someone_else(self):
        await self.async_client.aforce_login(self.bob)
        body = await self.post(
            "/api/flowchart/submission/retry", {"submission_id": self.first.id}, hops=17
        )
        self.assertEqual(body["data"], "No permission for this submission")

    async def test_completed_detail_pages(self):
        await self.async_client.aforce_login(self.alice)
        url = f"/api/flowchart/submission/detail?problem_id={self.problem.id}"
        body = await self.aget(url, hops=20)
        self.assertIsNone(body["error"])
        self.assertEqual(body["data"]["count"], 2)
        self.assertEqual(body["data"]["submission"]["id"], self.latest.id)
        body = await self.aget(url + "&page=1", hops=19)
        self.assertEqual(body["data"]["submission"]["id"], self.first.id)
        body = await self.aget(url + "&page=3", hops=17)
        self.assertEqual(body["data"], "Page out of range")


@legacy_variant
class LegacyFlowchartTests(FlowchartCases, OJTestCase):
    pass
