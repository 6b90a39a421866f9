"""The plan's starting point (``oj.settings.legacy``), as the probe sees it.

Task 1 fails the way the plan says: the detail views lazily load a relation on the
event loop, Django raises SynchronousOnlyOperation and the envelope says
``server-error``; the probe names each lazy load and where to preload it. The
Task 4 views make blocking cache calls on the event loop.
"""

from pathlib import Path

from async_probe import probe
from async_probe.testing import AsyncProbeTestMixin
from oj.flowchart.models import FlowchartSubmission, FlowchartSubmissionStatus
from oj.problem.models import ProblemTag
from oj.utils import test_async_view_regressions as regressions
from oj.utils.testing import OJTestCase, create_problem, create_user, legacy_variant

SERVER_ERROR = {"error": "server-error", "data": "server error"}
REPO_ROOT = Path(__file__).resolve().parents[2]


def line_of(path, statement):
    """``path:line`` of the first line of ``path`` holding ``statement``."""
    lines = (REPO_ROOT / path).read_text().splitlines()
    return f"{path}:{next(n for n, text in enumerate(lines, 1) if statement in text)}"


@legacy_variant
class LegacyDetailViewTests(
    AsyncProbeTestMixin, regressions.AsyncConvertedViewRegressionTests
):
    async def get(self, url, lazy_load, line, login=False):
        """GET ``url``: a server error, caused by exactly one lazy load of
        ``lazy_load`` (model, field) on the event loop, which the probe suggests
        preloading at the view's query on ``line``."""
        if login:
            await self.async_client.aforce_login(self.user)
        model, field = lazy_load
        with (
            self.assertLogs("oj.utils.api.api", "ERROR") as logs,
            # declared, so the pytest plugin's strict mode accepts it
            self.assertLazyLoads(1, model=model, field=field),
            probe() as report,
        ):
            response = await self.async_client.get(url)
        self.assertIn("SynchronousOnlyOperation", logs.output[0])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), SERVER_ERROR)

        self.assertEqual(report.lazy_loads, 1, str(report))
        (load,) = report.loads
        self.assertEqual((load.model, load.field), (model, field))
        self.assertEqual((load.kind, load.context), ("forward", "event_loop"))
        self.assertTrue(load.async_view)
        self.assertEqual(load.suggestion, f'add .select_related("{field}") at {line}')
        self.assertIn(f"{model}.{field}", str(report))

    async def test_announcement_detail_serializes_created_by(self):
        await self.get(
            f"/api/announcement?id={self.announcement.id}",
            ("announcement.Announcement", "created_by"),
            line_of("oj/announcement/views/oj.py", "announcement = await"),
        )

    async def test_contest_detail_serializes_created_by(self):
        await self.get(
            f"/api/contest?id={self.contest.id}",
            ("contest.Contest", "created_by"),
            line_of("oj/contest/views/oj.py", "contest = await"),
        )

    async def test_flowchart_detail_serializes_user_and_problem(self):
        await self.get(
            f"/api/flowchart/submission?id={self.flowchart_submission.id}",
            ("flowchart.FlowchartSubmission", "user"),
            line_of("oj/flowchart/views/oj.py", "submission = await with_related("),
            login=True,
        )

    async def test_flowchart_completed_detail(self):
        await FlowchartSubmission.objects.filter(
            id=self.flowchart_submission.id
        ).aupdate(status=FlowchartSubmissionStatus.COMPLETED)
        await self.get(
            f"/api/flowchart/submission/detail?problem_id={self.problem.id}",
            ("flowchart.FlowchartSubmission", "user"),
            line_of("oj/flowchart/views/oj.py", "await submissions.alast()"),
            login=True,
        )


@legacy_variant
class LegacyBlockingCacheTests(OJTestCase):
    @classmethod
    def setUpTestData(cls):
        problem = create_problem(create_user("teacher"))
        problem.tags.add(ProblemTag.objects.create(name="Loop"))

    async def test_tag_list_blocks_the_event_loop(self):
        for blocking in (2, 1):  # a miss: get + set; then a hit: get
            with probe() as report:
                response = await self.async_client.get("/api/problem/tags")
            self.assertIsNone(response.json()["error"])
            self.assertEqual(report.blocking_cache_calls, blocking, str(report))
            self.assertTrue(all(call.blocking for call in report.cache))

    async def test_comment_statistics_block_the_event_loop(self):
        with probe() as report:
            await self.async_client.get("/api/comment/statistics?problem_id=1")
        self.assertEqual(report.blocking_cache_calls, 1, str(report))
