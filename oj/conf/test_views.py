import json

from oj.conf.models import JudgeServer
from oj.conf.views import judge_server_token_digest
from oj.utils.testing import OJTestCase

HEARTBEAT = {
    "hostname": "judger-1",
    "judger_version": "2.1.1",
    "cpu_core": 4,
    "memory": 31.5,
    "cpu": 12.0,
    "action": "heartbeat",
    "service_url": "http://judger-1:8080",
}


class JudgeServerHeartbeatTests(OJTestCase):
    """A judge mutation path, kept sync (rule 4); exempt from CSRF."""

    def beat(self, token, **fields):
        return self.client.post(
            "/api/judge_server_heartbeat",
            json.dumps({**HEARTBEAT, **fields}),
            content_type="application/json",
            HTTP_X_JUDGE_SERVER_TOKEN=token,
        ).json()

    def test_heartbeat_registers_then_updates(self):
        self.client = self.client_class(enforce_csrf_checks=True)
        token = judge_server_token_digest()
        self.assertEqual(self.beat(token), {"error": None, "data": None})
        self.assertEqual(self.beat(token, cpu=50.0), {"error": None, "data": None})
        server = JudgeServer.objects.get()
        self.assertEqual((server.hostname, server.cpu_usage), ("judger-1", 50.0))
        self.assertEqual(server.status, "normal")

    def test_bad_token(self):
        self.assertEqual(self.beat("nope"), {"error": "error", "data": "Invalid token"})
        self.assertFalse(JudgeServer.objects.exists())
