"""``uvicorn oj.asgi:application`` serves the API over real HTTP.

Migrates and seeds a temporary SQLite database, starts uvicorn on a free port of
127.0.0.1 in a subprocess, calls a few endpoints with httpx (async and sync views,
session login with CSRF, Open API appkey), and stops it.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from django.test import SimpleTestCase

from oj.conf.views import judge_server_token_digest
from oj.utils.demo_data import OPEN_API_APPKEY, PASSWORD

REPO_ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class UvicornSmokeTests(SimpleTestCase):
    def setUp(self):
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "oj.settings",
            "DATABASE_URL": f"sqlite:///{directory.name}/oj.sqlite3",
            "OJ_ALLOWED_HOSTS": "127.0.0.1",
        }
        # A temporary database gets a cache of its own (local memory): a shared
        # Redis may hold entries another run cached for other data.
        self.env.pop("REDIS_URL", None)
        for command in (["migrate", "-v0"], ["seed_demo"]):
            subprocess.run(
                [sys.executable, "manage.py", *command],
                cwd=REPO_ROOT,
                env=self.env,
                check=True,
                capture_output=True,
            )
        port = free_port()
        self.base_url = f"http://127.0.0.1:{port}"
        self.server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "oj.asgi:application",
                "--host=127.0.0.1",
                f"--port={port}",
                "--lifespan=off",
                "--log-level=warning",
            ],
            cwd=REPO_ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self.addCleanup(self.stop_server)
        self.wait_for_server()

    def stop_server(self):
        self.server.terminate()
        try:
            self.server.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.communicate()

    def wait_for_server(self, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                output = self.server.communicate()[0].decode()
                self.fail(f"uvicorn exited with {self.server.returncode}:\n{output}")
            try:
                httpx.get(f"{self.base_url}/api/profile", timeout=1)
                return
            except httpx.TransportError:
                time.sleep(0.1)
        self.fail("uvicorn did not start")

    def ok(self, response):
        self.assertEqual(response.status_code, 200, response.text)
        body = response.json()
        self.assertIsNone(body["error"], body)
        return body["data"]

    def test_serves_the_api(self):
        with httpx.Client(base_url=self.base_url, timeout=10) as client:
            # async views, anonymous
            announcements = self.ok(client.get("/api/announcement?limit=5"))
            self.assertEqual(announcements["total"], 23)
            first = announcements["results"][0]["id"]
            detail = self.ok(client.get(f"/api/announcement?id={first}"))
            self.assertIn(detail["created_by"]["username"], ("root", "admin"))
            self.assertEqual(len(self.ok(client.get("/api/problem/tags"))), 12)
            self.assertEqual(self.ok(client.get("/api/problem?limit=5"))["total"], 30)
            self.assertEqual(self.ok(client.get("/api/contests?limit=10"))["total"], 5)
            response = client.get("/api/admin/user")
            self.assertEqual(response.json()["error"], "login-required")

            # Open API appkey
            submissions = self.ok(
                client.get(
                    "/api/submissions?limit=3", headers={"appkey": OPEN_API_APPKEY}
                )
            )
            self.assertEqual(submissions["total"], 300)

            # session login through the sync views, with the CSRF cookie they set
            self.assertIsNone(self.ok(client.get("/api/profile")))
            login = client.post(
                "/api/login",
                json={"username": "root", "password": PASSWORD},
                headers={"X-CSRFToken": client.cookies["csrftoken"]},
            )
            self.assertEqual(self.ok(login), "Succeeded")
            self.assertEqual(
                self.ok(client.get("/api/profile"))["user"]["username"], "root"
            )
            self.assertEqual(self.ok(client.get("/api/admin/user"))["total"], 44)
            self.assertEqual(self.ok(client.get("/api/message?limit=5"))["total"], 0)

            # a sync mutation path (judge heartbeat)
            heartbeat = client.post(
                "/api/judge_server_heartbeat",
                json={
                    "hostname": "judger-smoke",
                    "judger_version": "2.1.1",
                    "cpu_core": 2,
                    "memory": 10,
                    "cpu": 5,
                    "action": "heartbeat",
                    "service_url": "http://judger-smoke:8080",
                },
                headers={"X-Judge-Server-Token": judge_server_token_digest()},
            )
            self.assertIsNone(self.ok(heartbeat))
