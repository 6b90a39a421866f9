"""The plan's starting point (``oj.settings.legacy``) fails Task 1 the way the plan
says: the detail views lazily load a relation on the event loop, Django raises
SynchronousOnlyOperation and the envelope says ``server-error``."""

from oj.flowchart.models import FlowchartSubmission, FlowchartSubmissionStatus
from oj.utils import test_async_view_regressions as regressions
from oj.utils.testing import legacy_variant

SERVER_ERROR = {"error": "server-error", "data": "server error"}


@legacy_variant
class LegacyDetailViewTests(regressions.AsyncConvertedViewRegressionTests):
    async def get(self, url, login=False):
        if login:
            await self.async_client.aforce_login(self.user)
        with self.assertLogs("oj.utils.api.api", "ERROR") as logs:
            response = await self.async_client.get(url)
        self.assertIn("SynchronousOnlyOperation", logs.output[0])
        self.assertEqual(response.status_code, 200)
        return response.json()

    async def test_announcement_detail_serializes_created_by(self):
        body = await self.get(f"/api/announcement?id={self.announcement.id}")
        self.assertEqual(body, SERVER_ERROR)

    async def test_contest_detail_serializes_created_by(self):
        body = await self.get(f"/api/contest?id={self.contest.id}")
        self.assertEqual(body, SERVER_ERROR)

    async def test_flowchart_detail_serializes_user_and_problem(self):
        url = f"/api/flowchart/submission?id={self.flowchart_submission.id}"
        self.assertEqual(await self.get(url, login=True), SERVER_ERROR)

    async def test_flowchart_completed_detail(self):
        await FlowchartSubmission.objects.filter(
            id=self.flowchart_submission.id
        ).aupdate(status=FlowchartSubmissionStatus.COMPLETED)
        url = f"/api/flowchart/submission/detail?problem_id={self.problem.id}"
        self.assertEqual(await self.get(url, login=True), SERVER_ERROR)
