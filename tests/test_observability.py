"""What operations watch: one JSON line per write on every channel (without personal data),
liveness and readiness per process, and /metrics for the monitoring network or an admin."""

import json
import shutil
import sqlite3
import subprocess
import time

import pytest
import socketio
from prometheus_client.parser import text_string_to_metric_families

from .conftest import make_app
from .support.live import LiveServer, free_port
from .support.required import missing
from .support.sockets import new_id

API = "/api/v1"
TITLE = "Belys cykelbanorna vid Ån"


def write_lines(log: str, kind: str) -> list[dict]:
    lines = []
    for line in log.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("logger") == "participation.writes" and entry.get("kind") == kind:
            lines.append(entry)
    return lines


@pytest.mark.live
def test_a_socket_vote_and_a_rest_vote_each_log_one_json_line_without_personal_data(tmp_path):
    server = LiveServer(tmp_path, {"LOG_FORMAT": "json", "SERVER_NAME_TAG": "app-1"})
    server.start(staff=(("fac@live.se", "facilitator"),))
    try:
        event = server.create_event(voting={"method": "dots", "dots": 3, "max_per_proposal": 2})
        server.set_phase(event["id"], "collect")
        alice, bob = server.phone(event["code"]), server.phone(event["code"])
        made = alice.http.post(f"{server.url}{API}/events/{event['id']}/proposals",
                               json={"title": TITLE, "client_id": new_id()})
        assert made.status_code == 201, made.text
        proposal_id = made.json()["proposal"]["id"]
        server.set_phase(event["id"], "vote")

        rest = alice.http.post(f"{server.url}{API}/proposals/{proposal_id}/votes",
                               json={"client_id": new_id(), "dots": 1})
        assert rest.status_code == 201, rest.text  # a first vote (a new client_id)
        client = socketio.Client(reconnection=False)
        client.connect(server.url, headers={"Cookie": bob.cookie_header},
                       auth={"csrf_token": bob.csrf, "event": event["id"]},
                       transports=["websocket"], wait_timeout=10)
        try:
            ack = client.call("vote", {"proposal_id": proposal_id, "dots": 2,
                                       "client_id": new_id()}, timeout=10)
            assert ack["ok"], ack
            refused = client.call("vote", {"proposal_id": proposal_id, "dots": 2,
                                           "client_id": new_id()}, timeout=10)
            assert refused["ok"] is False
        finally:
            client.disconnect()
        log = server.read_log()
    finally:
        server.stop()

    lines = write_lines(log, "vote")
    assert [(e["channel"], e["outcome"]) for e in lines] == [
        ("rest", "ok"), ("socket", "ok"), ("socket", refused["error"])]
    for entry in lines:
        assert entry["event_id"] == event["id"]
        assert entry["process"] == "app-1"
        assert isinstance(entry["duration_ms"], float)
        assert len(entry["request_id"]) >= 8
        assert not any(key.startswith("participant") for key in entry)
    assert lines[0]["route"] == "/api/v1/proposals/<int:proposal_id>/votes"
    assert lines[0]["request_id"] == rest.headers["X-Request-ID"]
    assert len({e["request_id"] for e in lines}) == 3

    with sqlite3.connect(tmp_path / "live.db") as database:
        tokens = [t for (t,) in database.execute("SELECT token FROM participants")]
    assert len(tokens) == 2
    writes = "\n".join(json.dumps(e, ensure_ascii=False) for e in write_lines(log, "vote")
                       + write_lines(log, "submit_proposal"))
    for secret in (TITLE, *tokens, alice.csrf, bob.csrf, "127.0.0.1", event["code"],
                   *(c.value for c in alice.http.cookies), "fac@live.se"):
        assert secret not in writes


# --- liveness and readiness ---------------------------------------------------------------------

def test_ready_is_503_and_live_200_when_the_database_does_not_answer():
    # A real PostgreSQL driver against a port nobody listens on: connection refused.
    broken = make_app(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/participation")
    client = broken.test_client()
    for path in ("/healthz/ready", "/healthz"):
        answer = client.get(path)
        assert answer.status_code == 503
        assert answer.get_json() == {"status": "unavailable", "database": "unavailable",
                                     "redis": "not_configured"}
    assert client.get("/healthz/live").status_code == 200


def test_ready_is_503_when_a_configured_redis_stops_answering(tmp_path):
    """A real Redis of its own, stopped while the app runs."""
    redis_server = shutil.which("redis-server")
    if not redis_server:
        missing("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen([redis_server, "--port", str(port), "--save", "",
                                "--appendonly", "no", "--dir", str(tmp_path)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import redis

        url = f"redis://127.0.0.1:{port}/0"
        probe = redis.Redis.from_url(url)
        for _ in range(100):
            try:
                probe.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)  # polling for the server's start-up, as LiveServer does
        app = make_app(f"sqlite:///{tmp_path / 'x.db'}")
        app.config["REDIS_URL"] = url
        client = app.test_client()
        assert client.get("/healthz/ready").get_json() == {
            "status": "ok", "database": "ok", "redis": "ok"}
    finally:
        process.terminate()
        process.wait(10)
    answer = client.get("/healthz/ready")
    assert answer.status_code == 503
    assert answer.get_json() == {"status": "unavailable", "database": "ok",
                                 "redis": "unavailable"}
    assert client.get("/healthz/live").status_code == 200


# --- /metrics --------------------------------------------------------------------------------

def sample(text: str, name: str, **labels) -> float:
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()):
                return s.value
    return 0.0


def test_metrics_are_refused_to_the_public_and_served_to_the_allowed(client, staff):
    public = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", environ_base=public).status_code == 403
    # Claiming to be local through a header does not make it so (PROXY_HOPS=0).
    assert client.get("/metrics", environ_base=public,
                      headers={"X-Forwarded-For": "127.0.0.1"}).status_code == 403
    assert client.get("/metrics", environ_base=public,
                      headers=staff.auth(staff.facilitator)).status_code == 403
    assert client.get("/metrics", environ_base=public,
                      headers={"Authorization": "Bearer nonsense"}).status_code == 403
    admin = client.get("/metrics", environ_base=public, headers=staff.auth(staff.admin))
    assert admin.status_code == 200
    local = client.get("/metrics")  # the test client's 127.0.0.1, in the default METRICS_ALLOW
    assert local.status_code == 200
    assert local.headers["Content-Type"].startswith("text/plain")
    assert "participation_writes_total" in local.get_data(as_text=True)


def test_metrics_allow_takes_networks(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'x.db'}", METRICS_ALLOW="10.0.0.0/8, 192.0.2.7")
    client = app.test_client()
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 200
    assert client.get("/metrics").status_code == 403  # 127.0.0.1 is no longer in it


def test_writes_count_up_by_channel_kind_and_outcome(client, room):
    workshop = room()
    writer = workshop.phone()
    proposal_id = workshop.propose(writer)
    workshop.to("vote")

    def scrape():
        return client.get("/metrics").get_data(as_text=True)

    before = scrape()
    assert sample(before, "participation_connected_phones") == 1
    ack = writer.call("vote", {"proposal_id": proposal_id, "client_id": new_id()})
    assert ack["ok"], ack
    other = workshop.phone(connect=False)
    rest = other.post(f"{API}/proposals/{proposal_id}/votes", json={"client_id": new_id()},
                      headers={"X-CSRFToken": other.csrf})
    assert rest.status_code == 201, rest.get_data(as_text=True)  # a first vote
    again = writer.call("vote", {"proposal_id": proposal_id, "client_id": new_id()})
    assert again["ok"] is False
    after = scrape()

    def grew(**labels):
        return (sample(after, "participation_writes_total", **labels)
                - sample(before, "participation_writes_total", **labels))

    assert grew(channel="socket", kind="vote", outcome="ok") == 1
    assert grew(channel="rest", kind="vote", outcome="ok") == 1
    assert grew(channel="socket", kind="vote", outcome=again["error"]) == 1
    assert (sample(after, "participation_ack_seconds_count", channel="socket")
            - sample(before, "participation_ack_seconds_count", channel="socket")) == 2
    assert sample(after, "participation_connected_phones") == 1
    writer.disconnect()
    assert sample(scrape(), "participation_connected_phones") == 0


def test_a_form_refused_for_its_csrf_token_is_a_logged_and_counted_write(client):
    """CSRFProtect refuses before any view runs; the refusal is still a write with its code."""
    def csrf_failures():
        # The login form's series: others (any form) may have counted refusals before.
        return sample(client.get("/metrics").get_data(as_text=True),
                      "participation_writes_total", channel="form", kind="login",
                      outcome="csrf_failed")

    before = csrf_failures()
    refused = client.post("/login", data={"email": "a@b.se", "password": "x" * 12})
    assert refused.status_code == 400
    assert refused.headers.get("X-Request-ID"), "logged as a write, with its request id"
    assert csrf_failures() - before == 1
