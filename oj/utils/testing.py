"""Helpers for the reference backend's tests: factories and the two variants.

    @legacy_variant
    class LegacyAnnouncementTests(AnnouncementCases, OJTestCase): ...

runs the same test methods against the plan's starting point (``oj.settings.legacy``)
within one test run.
"""

from datetime import timedelta

from django.core.cache import cache
from django.test import TestCase, override_settings
from django.utils import timezone

from oj.account.models import AdminType, ProblemPermission, User, UserProfile
from oj.contest.models import Contest
from oj.problem.models import Problem, ProblemRuleType
from oj.settings import legacy as legacy_settings
from oj.submission.models import JudgeStatus, Submission
from oj.utils.constants import ContestRuleType, Difficulty

legacy_variant = override_settings(
    ROOT_URLCONF=legacy_settings.ROOT_URLCONF,
    MIDDLEWARE=legacy_settings.MIDDLEWARE,
    OJ_VARIANT=legacy_settings.OJ_VARIANT,
)


class OJTestCase(TestCase):
    """A TestCase that starts from an empty cache (with Redis the cache outlives
    a test's transaction)."""

    def setUp(self):
        super().setUp()
        cache.clear()


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
