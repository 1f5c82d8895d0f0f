"""Redis with a password and TLS (`rediss://`), as docs/deploy.md tells an IT department to run
it, shared by two installations that set no channel: each installation's pushes, sessions and
limits work through it, and neither receives the other's pushes."""

import shutil
import subprocess
import time
import uuid

import pytest
import redis
import requests

from .support.live import LiveServer, free_port
from .support.required import missing
from .test_live_smoke import Listener, staff_session

pytestmark = [pytest.mark.live, pytest.mark.slow]

PASSWORD = "redis-pass-" + uuid.uuid4().hex[:8]


@pytest.fixture(scope="module")
def secured_redis(tmp_path_factory):
    """Our own redis-server: TLS only, a password, nothing saved to disk."""
    binary = shutil.which("redis-server") or missing(
        "redis-server is not installed (apt-get install redis-server)")
    folder = tmp_path_factory.mktemp("redis-tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", "0", "--tls-port", str(port), "--tls-cert-file", str(cert),
         "--tls-key-file", str(key), "--tls-auth-clients", "no", "--requirepass", PASSWORD,
         "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"rediss://:{PASSWORD}@127.0.0.1:{port}/0?ssl_ca_certs={cert}"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise
            time.sleep(0.05)  # waiting for redis-server to listen, not timing anything
    with pytest.raises(redis.AuthenticationError):  # the password is really required
        redis.Redis.from_url(f"rediss://127.0.0.1:{port}/0?ssl_ca_certs={cert}").ping()
    yield url, client
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def installations(tmp_path_factory, secured_redis):
    url, _client = secured_redis
    servers = []
    for name in ("kommun-a", "kommun-b"):
        folder = tmp_path_factory.mktemp(name)
        env = {"REDIS_URL": url, "DATABASE_URL": f"sqlite:///{folder / 'live.db'}"}
        server = LiveServer(folder, extra_env=env)
        # No channel of their own: the default must keep them apart.
        for variable in ("SOCKETIO_CHANNEL", "PARTICIPATION_CONFIG", "PARTICIPATION_ENV"):
            server.env.pop(variable, None)
        servers.append(server)
    try:
        for server in servers:
            server.start(staff=(("fac@live.se", "facilitator"),))
        yield servers
    finally:
        for server in servers:
            server.stop()


def test_both_installations_use_the_password_and_tls_redis(installations, secured_redis):
    _url, client = secured_redis
    for server in installations:
        health = requests.get(server.url + "/healthz", timeout=10).json()
        assert health == {"status": "ok", "database": "ok", "redis": "ok"}
        staff_session(server)  # a staff session, stored in that Redis
    sessions = client.keys("participation-*:staff-session:*")
    # Two installations, two prefixes (the channel), one session each.
    assert len({key.split(b":")[0] for key in sessions}) == 2, sessions


def test_two_installations_on_one_redis_do_not_receive_each_others_pushes(installations):
    a, b = installations
    events = []
    for server in (a, b):
        event = server.create_event(title="Samma id i två kommuner")
        server.set_phase(event["id"], "collect")
        events.append(event)
    assert events[0]["id"] == events[1]["id"], "the same room name in both installations"
    listeners = []
    try:
        for server, event in zip((a, b), events, strict=True):
            phone = server.phone(event["code"])
            listener = Listener(server, phone.cookie_header, phone.csrf, event["id"])
            listener.wait_for("snapshot")
            listeners.append(listener)
        writer = a.phone(events[0]["code"])
        written = writer.http.post(f"{a.url}/api/v1/events/{events[0]['id']}/proposals",
                                   json={"title": "Bara i kommun A", "client_id": "sep-0001"})
        assert written.status_code == 201, written.text
        # Through Redis to A's own phone: the push went out and came back over TLS.
        listeners[0].wait_for("proposal", lambda d: d["proposal"]["title"] == "Bara i kommun A")
        # Then a write in B, pushed after A's: once B's phone has it, A's would have arrived.
        other = b.phone(events[1]["code"])
        written = other.http.post(f"{b.url}/api/v1/events/{events[1]['id']}/proposals",
                                  json={"title": "Bara i kommun B", "client_id": "sep-0002"})
        assert written.status_code == 201, written.text
        listeners[1].wait_for("proposal", lambda d: d["proposal"]["title"] == "Bara i kommun B")
        titles_b = [d["proposal"]["title"] for d in listeners[1].events.get("proposal", [])]
        assert titles_b == ["Bara i kommun B"]
        titles_a = [d["proposal"]["title"] for d in listeners[0].events.get("proposal", [])]
        assert "Bara i kommun B" not in titles_a
    finally:
        for listener in listeners:
            listener.close()
