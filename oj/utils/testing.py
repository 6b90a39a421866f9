"""Helpers for the reference backend's tests: factories and the two variants.

    @legacy_variant
    class LegacyAnnouncementTests(AnnouncementCases, OJTestCase): ...

runs the same test methods against the plan's starting point (``oj.settings.legacy``)
within one test run.
"""

import inspect
import json
import os
from contextlib import nullcontext
from datetime import timedelta

from django.core.cache import cache
from django.test import TestCase, override_settings
from django.utils import timezone

from async_probe import probe
from async_probe.testing import AsyncProbeTestMixin
from oj.account.models import AdminType, ProblemPermission, User, UserProfile
from oj.contest.models import Contest
from oj.problem.models import Problem, ProblemRuleType
from oj.settings import legacy as legacy_settings
from oj.submission.models import JudgeStatus, Submission
from oj.utils.constants import ContestRuleType, Difficulty

_legacy_settings = override_settings(
    ROOT_URLCONF=legacy_settings.ROOT_URLCONF,
    MIDDLEWARE=legacy_settings.MIDDLEWARE,
    OJ_VARIANT=legacy_settings.OJ_VARIANT,
)


def legacy_variant(test_class):
    """Run ``test_class`` against the plan's starting point. Its requests are not
    held to the hardened budgets (``aget`` / ``apost`` check nothing there)."""
    test_class = _legacy_settings(test_class)
    test_class.probe_budgets = False
    return test_class


# OJ_MEASURE_HOPS=1 prints each budgeted request's counts instead of checking
# them: how the pinned numbers were measured.
MEASURE = os.environ.get("OJ_MEASURE_HOPS") == "1"


class OJTestCase(AsyncProbeTestMixin, TestCase):
    """A TestCase that starts from an empty cache (with Redis the cache outlives
    a test's transaction) and probes the requests it makes through ``aget`` and
    ``apost``: in the hardened variant each must make no lazy load, no blocking
    cache call and exactly ``hops`` thread hops (``hops=None``: not pinned)."""

    probe_budgets = True

    def setUp(self):
        super().setUp()
        cache.clear()

    async def aget(self, url, *, hops, **extra):
        return await self._probed(self.async_client.get(url, **extra), hops)

    async def apost(self, url, payload, *, hops, **extra):
        request = self.async_client.post(
            url, json.dumps(payload), content_type="application/json", **extra
        )
        return await self._probed(request, hops)

    async def _probed(self, request, hops):
        if MEASURE or not self.probe_budgets:
            with probe() as report:
                response = await request
            if MEASURE:
                test = next(
                    f for f in inspect.stack() if f.function.startswith("test_")
                )
                print(
                    f"\nHOPS {self.probe_budgets} {test.filename}:{test.lineno} "
                    f"{report.thread_hops}"
                )
        else:
            pinned = self.assertThreadHops(hops) if hops is not None else nullcontext()
            with self.assertNoLazyLoads(), self.assertNoBlockingCacheCalls(), pinned:
                response = await request
        self.assertEqual(response.status_code, 200)
        return response.json()


def create_user(
    username,
    admin_type=AdminType.REGULAR_USER,
    problem_permission=ProblemPermission.NONE,
    **fields,
):
    user = User.objects.create(
        username=username,
        email=f"{username}@example.com",
        admin_type=admin_type,
        problem_permission=problem_permission,
        **fields,
    )
    UserProfile.objects.create(user=user, real_name=username.title())
    return user


def create_problem(created_by, _id="1001", **fields):
    values = {
        "title": f"Problem {_id}",
        "description": "desc",
        "input_description": "input",
        "output_description": "output",
        "samples": [{"input": "1 2", "output": "3"}],
        "test_case_id": f"test-case-{_id}",
        "test_case_score": [],
        "hint": "",
        "languages": ["C", "Python3"],
        "template": {},
        "time_limit": 1000,
        "memory_limit": 128,
        "rule_type": ProblemRuleType.ACM,
        "difficulty": Difficulty.LOW,
    }
    values.update(fields)
    return Problem.objects.create(_id=_id, created_by=created_by, **values)


def create_contest(created_by, title="Contest", started=True, **fields):
    start = timezone.now() + (timedelta(hours=-1) if started else timedelta(hours=1))
    values = {
        "description": "desc",
        "tag": "weekly",
        "real_time_rank": True,
        "rule_type": ContestRuleType.ACM,
        "start_time": start,
        "end_time": start + timedelta(hours=3),
    }
    values.update(fields)
    return Contest.objects.create(title=title, created_by=created_by, **values)


def create_submission(user, problem, result=JudgeStatus.ACCEPTED, **fields):
    return Submission.objects.create(
        user_id=user.id,
        username=user.username,
        problem=problem,
        contest=problem.contest,
        code="print(1)",
        language=fields.pop("language", "Python3"),
        result=result,
        **fields,
    )
