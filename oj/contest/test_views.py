import json

from oj.utils.constants import ContestStatus, ContestType
from oj.utils.testing import OJTestCase, create_contest, create_user, legacy_variant


class ContestListCases:
    @classmethod
    def setUpTestData(cls):
        cls.root = create_user("root")
        cls.running = create_contest(cls.root, "Running")
        cls.upcoming = create_contest(cls.root, "Upcoming", started=False)
        create_contest(cls.root, "Deleted", visible=False)

    async def test_list(self):
        body = await self.aget("/api/contests?limit=10", hops=16)
        self.assertIsNone(body["error"])
        self.assertEqual(body["data"]["total"], 2)
        titles = [c["title"] for c in body["data"]["results"]]
        self.assertEqual(titles, ["Upcoming", "Running"])
        self.assertNotIn("password", body["data"]["results"][0])
        self.assertEqual(body["data"]["results"][0]["created_by"]["username"], "root")

    async def test_list_filters_by_status(self):
        response = await self.aget(
            f"/api/contests?status={ContestStatus.CONTEST_UNDERWAY}", hops=16
        )
        results = response["data"]["results"]
        self.assertEqual([c["id"] for c in results], [self.running.id])


class ContestListTests(ContestListCases, OJTestCase):
    pass


@legacy_variant
class LegacyContestListTests(ContestListCases, OJTestCase):
    pass


class ContestDetailTests(OJTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.root = create_user("root")
        cls.contest = create_contest(cls.root, "Running", password="secret")

    async def test_detail(self):
        body = await self.aget(f"/api/contest?id={self.contest.id}", hops=15)
        self.assertIsNone(body["error"])
        self.assertEqual(body["data"]["title"], "Running")
        self.assertEqual(body["data"]["status"], ContestStatus.CONTEST_UNDERWAY)
        self.assertEqual(
            body["data"]["contest_type"], ContestType.PASSWORD_PROTECTED_CONTEST
        )
        self.assertNotIn("password", body["data"])
        self.assertIn("now", body["data"])

    async def test_invalid_id(self):
        for query in ("", "?id=abc", "?id=0"):
            response = await self.aget(f"/api/contest{query}", hops=13)
            self.assertEqual(response["data"], "Invalid parameter, id is required")
        response = await self.aget("/api/contest?id=999999", hops=14)
        self.assertEqual(response["data"], "Contest does not exist")


class ContestPasswordTests(OJTestCase):
    """The password flow stays sync (rule 4); it feeds check_contest_permission."""

    @classmethod
    def setUpTestData(cls):
        cls.root = create_user("root")
        cls.student = create_user("student")
        cls.contest = create_contest(cls.root, "Class test", password="secret")

    def verify(self, password):
        return self.client.post(
            "/api/contest/password",
            data=json.dumps({"contest_id": self.contest.id, "password": password}),
            content_type="application/json",
        ).json()

    def test_password_grants_access(self):
        self.client.force_login(self.student)
        access = f"/api/contest/access?contest_id={self.contest.id}"
        self.assertEqual(self.client.get(access).json()["data"], {"access": False})
        self.assertEqual(
            self.verify("wrong"),
            {"error": "error", "data": "Wrong password or password expired"},
        )
        self.assertEqual(self.verify("secret"), {"error": None, "data": True})
        self.assertEqual(self.client.get(access).json()["data"], {"access": True})

    def test_anonymous_must_login(self):
        self.assertEqual(
            self.verify("secret"),
            {"error": "permission-denied", "data": "Please login first"},
        )
