from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from oj.account.models import AdminType, User
from oj.problem.models import Problem
from oj.submission.models import Submission
from oj.utils.demo_data import OPEN_API_APPKEY

EXPECTED = {
    "account.User": 44,
    "account.UserProfile": 44,
    "announcement.Announcement": 25,
    "contest.Contest": 5,
    "problem.ProblemTag": 12,
    "problem.Problem": 45,
    "submission.Submission": 330,
    "flowchart.FlowchartSubmission": 80,
    "comment.Comment": 60,
    "message.Message": 40,
}


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts():
    from django.apps import apps

    return {label: apps.get_model(label).objects.count() for label in EXPECTED}


class SeedDemoTests(TestCase):
    def test_seed_is_idempotent_and_flush_recreates(self):
        seed()
        self.assertEqual(counts(), EXPECTED)
        snapshot = sorted(Problem.objects.values_list("_id", "title", "difficulty"))
        self.assertIn("already present", seed())
        self.assertEqual(counts(), EXPECTED)
        seed("--flush")
        self.assertEqual(counts(), EXPECTED)
        # deterministic: the same rows again (ids aside)
        self.assertEqual(
            sorted(Problem.objects.values_list("_id", "title", "difficulty")), snapshot
        )

    def test_the_users_the_demo_needs(self):
        seed()
        self.assertEqual(
            User.objects.get(username="root").admin_type, AdminType.SUPER_ADMIN
        )
        self.assertTrue(User.objects.get(username="disabled").is_disabled)
        api_user = User.objects.get(open_api_appkey=OPEN_API_APPKEY)
        self.assertTrue(api_user.open_api)
        self.assertTrue(
            User.objects.get(username="student01").check_password("password")
        )
        # create_time spread over weeks, so lists have an order worth showing
        times = Submission.objects.values_list("create_time", flat=True)
        self.assertGreater(len(set(times)), 300)
