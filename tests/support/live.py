"""The real server process (`python wsgi.py`, gevent), set up through the real CLI."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"
STAFF = (("fac@live.se", "facilitator"), ("rev@live.se", "reviewer"),
         ("other@live.se", "facilitator"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(self, workdir: Path, extra_env: dict | None = None):
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "PORT": str(self.port),
            "HOST": "127.0.0.1",
            "DATABASE_URL": os.environ.get("LIVE_DATABASE_URL")
            or f"sqlite:///{workdir / 'live.db'}",
            "SECRET_KEY": "live-test-secret",
            "PUBLIC_BASE_URL": self.url,
            "SOCKETIO_ASYNC_MODE": "gevent",
            # Bursts from one test address are the point of some live tests; limits have theirs.
            "RATELIMIT_ENABLED": "0",
            "SOCKET_RATELIMIT_ENABLED": "0",
            **(extra_env or {}),
        }
        self.process = None
        self.tokens = {}

    def flask(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", *args],
            cwd=ROOT, env={**self.env, "SOCKETIO_ASYNC_MODE": "threading"},
            capture_output=True, text=True, timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def start(self, staff=STAFF):
        self.flask("db", "upgrade")
        # Each account costs two CLI runs (seconds each): a test may ask for fewer.
        for email, role in staff:
            self.flask("users", "create", email, "--role", role, "--password", PASSWORD)
            self.tokens[email] = self.flask("users", "token", email).strip().splitlines()[-1]
        self.log = open(self.workdir / "server.log", "w")  # noqa: SIM115
        self.launch()

    def launch(self):
        """Run the server process on the prepared database and wait until it answers."""
        self.process = subprocess.Popen(
            [sys.executable, "wsgi.py"], cwd=ROOT, env=self.env,
            stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.read_log())
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("server did not answer /healthz:\n" + self.read_log())

    def read_log(self) -> str:
        return (self.workdir / "server.log").read_text()

    def kill(self):
        """SIGKILL, as a crash or the OOM killer would: no cleanup, no flush, no goodbye."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def restart(self):
        """Start again on the same database, port and secret key, so cookies stay valid."""
        assert self.process.poll() is not None, "kill() or stop() the running server first"
        self.log.write("\n--- restart ---\n")
        self.log.flush()
        self.launch()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if getattr(self, "log", None):
            self.log.close()

    def auth(self, email="fac@live.se") -> dict:
        return {"Authorization": f"Bearer {self.tokens[email]}"}

    def create_event(self, **overrides) -> dict:
        body = {"title": "Live", "prompt": "Vad ska vi göra?", "kind": "medborgarverkstad",
                "voting": {"method": "approval"}, "focus_areas": ["Modig mobilitet"],
                **overrides}
        response = requests.post(self.url + "/api/v1/events", json=body, headers=self.auth())
        assert response.status_code == 201, response.text
        return response.json()

    def set_phase(self, event_id: int, phase: str):
        response = requests.post(f"{self.url}/api/v1/events/{event_id}/phase",
                                 json={"phase": phase}, headers=self.auth())
        assert response.status_code == 200, response.text

    def phone(self, code: str) -> "Phone":
        return Phone(self, code)


class Phone:
    """A resident's browser session: the join cookie and the page's CSRF token."""

    def __init__(self, server: LiveServer, code: str):
        self.server = server
        self.http = requests.Session()
        page = self.http.get(f"{server.url}/j/{code}")
        assert page.status_code == 200
        self.csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text).group(1)
        self.http.headers["X-CSRFToken"] = self.csrf

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)
