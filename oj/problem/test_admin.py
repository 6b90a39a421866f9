import io
import json
import tempfile
import zipfile
from pathlib import Path

from django.test import override_settings

from oj.account.models import AdminType, ProblemPermission
from oj.utils.testing import OJTestCase, create_user, legacy_variant


def zipped(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    buffer.seek(0)
    buffer.name = "cases.zip"
    return buffer


class UploadCases:
    """Upload stays sync (rule 4) and lives under /api/admin/, where
    AdminRoleRequiredMiddleware answers first."""

    @classmethod
    def setUpTestData(cls):
        cls.admin = create_user(
            "admin", AdminType.ADMIN, problem_permission=ProblemPermission.OWN
        )
        cls.no_permission = create_user("helper", AdminType.ADMIN)
        cls.student = create_user("student")

    def setUp(self):
        super().setUp()
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.test_case_dir = Path(directory.name)
        self.enterContext(override_settings(TEST_CASE_DIR=self.test_case_dir))

    def upload(self, files):
        return self.client.post("/api/admin/test_case", {"file": zipped(files)}).json()

    def test_admin_uploads_test_cases(self):
        self.client.force_login(self.admin)
        body = self.upload(
            {"1.in": "1 2", "1.out": "3\r\n", "2.in": "2 2", "2.out": "4"}
        )
        self.assertIsNone(body["error"])
        self.assertFalse(body["data"]["spj"])
        self.assertEqual(
            [(i["input_name"], i["output_name"]) for i in body["data"]["info"]],
            [("1.in", "1.out"), ("2.in", "2.out")],
        )
        stored = self.test_case_dir / body["data"]["id"]
        self.assertEqual((stored / "1.out").read_bytes(), b"3\n")
        info = json.loads((stored / "info").read_text())
        self.assertEqual(sorted(info["test_cases"]), ["1", "2"])

    def test_bad_uploads(self):
        self.client.force_login(self.admin)
        self.assertEqual(self.upload({"readme.txt": "x"})["data"], "Empty file")
        body = self.client.post(
            "/api/admin/test_case", {"file": io.BytesIO(b"not a zip")}
        ).json()
        self.assertEqual(body["data"], "Bad zip file")

    def test_permissions(self):
        self.assertEqual(
            self.upload({"1.in": "", "1.out": ""}),
            {"error": "login-required", "data": "Please login in first"},
        )
        self.client.force_login(self.student)
        self.assertEqual(self.upload({})["error"], "login-required")
        self.client.force_login(self.no_permission)
        self.assertEqual(
            self.upload({}),
            {"error": "permission-denied", "data": "Please login first"},
        )


class TestCaseUploadTests(UploadCases, OJTestCase):
    pass


@legacy_variant
class LegacyTestCaseUploadTests(UploadCases, OJTestCase):
    pass
