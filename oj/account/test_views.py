import json

from oj.utils.testing import OJTestCase, create_user


class AccountViewTests(OJTestCase):
    """Account endpoints stay sync; served under WSGI here, under ASGI in the
    uvicorn smoke test."""

    @classmethod
    def setUpTestData(cls):
        cls.student = create_user("student")
        cls.student.set_password("pass1234")
        cls.student.save()
        cls.disabled = create_user("mallory", is_disabled=True)
        cls.disabled.set_password("pass1234")
        cls.disabled.save()
        cls.api_user = create_user("robot", open_api=True)

    def login(self, username, password="pass1234"):
        return self.client.post(
            "/api/login",
            json.dumps({"username": username, "password": password}),
            content_type="application/json",
        ).json()

    def test_login_profile_logout(self):
        self.assertEqual(
            self.client.get("/api/profile").json(), {"error": None, "data": None}
        )
        self.assertEqual(self.login("student"), {"error": None, "data": "Succeeded"})
        profile = self.client.get("/api/profile").json()["data"]
        self.assertEqual(profile["user"]["username"], "student")
        self.assertEqual(profile["real_name"], "Student")
        other = self.client.get("/api/profile?username=robot").json()["data"]
        self.assertIsNone(other["real_name"])
        self.client.get("/api/logout")
        self.assertIsNone(self.client.get("/api/profile").json()["data"])

    def test_profile_sets_the_csrf_cookie(self):
        self.assertIn("csrftoken", self.client.get("/api/profile").cookies)

    def test_login_errors(self):
        self.assertEqual(
            self.login("student", "nope")["data"], "Invalid username or password"
        )
        self.assertEqual(
            self.login("mallory")["data"], "Your account has been disabled"
        )
        response = self.client.post(
            "/api/login", "{not json", content_type="application/json"
        )
        self.assertEqual(response.json()["error"], "invalid-request")

    def test_open_api_appkey(self):
        self.client.force_login(self.api_user)
        body = self.client.post(
            "/api/open_api_appkey", content_type="application/json"
        ).json()
        self.assertIsNone(body["error"])
        key = body["data"]["appkey"]
        self.client.logout()
        response = self.client.get("/api/submissions?limit=1", HTTP_APPKEY=key)
        self.assertIsNone(response.json()["error"])
        self.client.force_login(self.student)
        body = self.client.post(
            "/api/open_api_appkey", content_type="application/json"
        ).json()
        self.assertEqual(body["data"], "OpenAPI function is turned off for you")
