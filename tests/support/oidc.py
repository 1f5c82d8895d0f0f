"""A real OpenID provider process for the single sign-on tests: oidc-provider-mock's own CLI.

Its authorization page is a form: POST `sub` to authorize that subject (with the claims set
for it through PUT /users/<sub>), or `action=deny` to send the person back with
error=access_denied. Any client id and secret are accepted.
"""

import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import requests

from .live import free_port
from .required import missing


def require_provider() -> None:
    """Skip without oidc-provider-mock, but fail under CI: the path must run there."""
    if importlib.util.find_spec("oidc_provider_mock") is None:
        missing("oidc-provider-mock is not installed (pip install -e '.[dev]') "
                "for the single sign-on tests")


class Provider:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = free_port()
        # The mock names itself after the address it is called on: always this one.
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self):
        self.log = open(self.workdir / "provider.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1",
             "--port", str(self.port), "--require-nonce", "true"],
            stdout=self.log, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.read_log())
            try:
                answer = requests.get(self.url + "/.well-known/openid-configuration", timeout=1)
                if answer.status_code == 200:
                    return self
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("the OpenID provider did not answer:\n" + self.read_log())

    def read_log(self) -> str:
        return (self.workdir / "provider.log").read_text()

    def user(self, sub: str, **claims):
        """The claims the provider puts in `sub`'s ID token (replacing any set before)."""
        answer = requests.put(f"{self.url}/users/{quote(sub, safe='')}", json=claims, timeout=5)
        assert answer.status_code == 204, answer.text

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if getattr(self, "log", None):
            self.log.close()
