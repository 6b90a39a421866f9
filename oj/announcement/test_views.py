from oj.announcement.models import Announcement
from oj.utils.testing import OJTestCase, create_user, legacy_variant


class AnnouncementCases:
    @classmethod
    def setUpTestData(cls):
        cls.author = create_user("teacher")
        cls.visible = [
            Announcement.objects.create(
                title=f"News {n}", content="<p>news</p>", created_by=cls.author
            )
            for n in range(3)
        ]
        cls.hidden = Announcement.objects.create(
            title="Draft", content="draft", created_by=cls.author, visible=False
        )

    async def test_list_returns_visible_announcements_without_content(self):
        body = await self.aget("/api/announcement?limit=2", hops=16)
        self.assertIsNone(body["error"])
        self.assertEqual(body["data"]["total"], 3)
        self.assertEqual(len(body["data"]["results"]), 2)
        first = body["data"]["results"][0]
        self.assertNotIn("content", first)
        self.assertEqual(first["created_by"]["username"], "teacher")

    async def test_unknown_or_hidden_announcement_is_an_error(self):
        for id in (self.hidden.id, 999999, "abc"):
            response = await self.aget(f"/api/announcement?id={id}", hops=None)
            self.assertEqual(
                response,
                {"error": "error", "data": "Announcement does not exist"},
            )


class AnnouncementTests(AnnouncementCases, OJTestCase):
    async def test_detail(self):
        announcement = self.visible[0]
        body = await self.aget(f"/api/announcement?id={announcement.id}", hops=15)
        self.assertIsNone(body["error"])
        self.assertEqual(body["data"]["content"], "<p>news</p>")
        self.assertEqual(
            body["data"]["created_by"],
            {"id": self.author.id, "username": "teacher", "real_name": None},
        )


@legacy_variant
class LegacyAnnouncementTests(AnnouncementCases, OJTestCase):
    """The list worked before the plan; the detail is in test_legacy_variant."""
