"""Two server processes behind nginx on PostgreSQL and Redis behave like one.

nginx runs with deploy/nginx/participation.conf (addresses swapped, tests/support/nginx.py);
every phone comes from 127.0.0.1, like phones behind one venue address.
"""

import re
import threading
import uuid
from collections import Counter

import pytest
import requests
import socketio

from .support.live import PASSWORD
from .support.topology import TAGS, routing_cookie
from .test_live_smoke import Listener

pytestmark = [pytest.mark.live, pytest.mark.multiprocess]

CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class Phone:
    """A resident's browser through nginx: its routing cookie, session cookie and CSRF token."""

    def __init__(self, proxy, code: str, lb: str | None = None):
        self.proxy = proxy
        self.http = requests.Session()
        if lb:
            self.http.cookies.set("lb", lb, domain="127.0.0.1")
        page = self.http.get(f"{proxy.url}/j/{code}")
        assert page.status_code == 200, page.text
        self.csrf = CSRF.search(page.text).group(1)
        self.http.headers["X-CSRFToken"] = self.csrf

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)

    def served_by(self) -> str:
        return self.http.get(self.proxy.url + "/healthz").headers["X-Served-By"]


def _staff(proxy, lb: str):
    http = requests.Session()
    http.cookies.set("lb", lb, domain="127.0.0.1")
    page = http.get(proxy.url + "/login")
    token = page.text.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = http.post(proxy.url + "/login", data={"email": "fac@live.se", "password": PASSWORD,
                                                     "csrf_token": token})
    assert response.status_code == 200
    csrf = CSRF.search(http.get(proxy.url + "/events").text).group(1)
    return "; ".join(f"{c.name}={c.value}" for c in http.cookies), csrf


def _event(servers, phase="collect", **overrides):
    first = servers[0]
    event = first.create_event(title="Två processer bakom nginx", **overrides)
    first.set_phase(event["id"], phase)
    return event


def test_phones_behind_one_address_spread_over_both_processes_and_stay(topology):
    proxy, servers = topology
    event = _event(servers)
    per_process = Counter()
    for _ in range(24):
        phone = Phone(proxy, event["code"])
        assert phone.http.cookies.get("lb"), "the first answer sets the routing cookie"
        landed = {phone.served_by() for _ in range(3)}
        assert len(landed) == 1, f"one phone moved between processes: {landed}"
        per_process[landed.pop()] += 1
    assert set(per_process) == set(TAGS), per_process
    # The routing cookie is only a random key: HttpOnly, SameSite=Lax.
    fresh = requests.get(proxy.url + "/healthz")
    routing = [c for c in fresh.raw.headers.getlist("Set-Cookie") if c.startswith("lb=")]
    assert len(routing) == 1 and "HttpOnly" in routing[0] and "SameSite=Lax" in routing[0]


def test_a_long_polling_phone_works_through_nginx(topology):
    proxy, servers = topology
    event = _event(servers)
    for tag in TAGS:
        phone = Phone(proxy, event["code"], routing_cookie(proxy.url, tag))
        assert phone.served_by() == tag
        # The phone's own cookie jar, as a browser sends its cookies with every poll.
        client = socketio.Client(reconnection=False, http_session=phone.http)
        snapshots = []
        client.on("snapshot", snapshots.append)
        # Polling only: several HTTP requests per Engine.IO session, all to one process.
        client.connect(proxy.url,
                       auth={"csrf_token": phone.csrf, "event": event["id"]},
                       transports=["polling"], wait_timeout=10)
        try:
            assert client.transport() == "polling"
            ack = client.call("submit_proposal", {"title": f"Via långsam polling {tag}",
                                                  "client_id": uuid.uuid4().hex}, timeout=10)
            assert ack["ok"], ack
            state = client.call("snapshot", {}, timeout=10)["state"]
            assert ack["proposal"]["id"] in state["me"]["proposal_ids"]
            assert state["version"] >= ack["version"]
            assert snapshots, "the connect snapshot arrived"
        finally:
            client.disconnect()


def test_a_vote_through_one_process_reaches_a_projector_on_the_other(topology):
    proxy, servers = topology
    event = _event(servers)
    lb_a, lb_b = routing_cookie(proxy.url, "proc-a"), routing_cookie(proxy.url, "proc-b")
    author = Phone(proxy, event["code"], lb_a)
    written = author.http.post(f"{proxy.url}/api/v1/events/{event['id']}/proposals",
                               json={"title": "Fler cykelställ", "client_id": uuid.uuid4().hex})
    assert written.status_code == 201 and written.headers["X-Served-By"] == "proc-a"
    proposal_id = written.json()["proposal"]["id"]
    servers[1].set_phase(event["id"], "vote")  # the phase change through the other process

    projector = Listener(proxy, *_staff(proxy, lb_b), event["id"])
    voter = Phone(proxy, event["code"], lb_a)
    voter_socket = Listener(proxy, voter.cookie_header, voter.csrf, event["id"])
    rest_voter = Phone(proxy, event["code"], lb_a)
    on_b_phone = Phone(proxy, event["code"], lb_b)
    watcher = Listener(proxy, on_b_phone.cookie_header, on_b_phone.csrf, event["id"])
    try:
        assert voter.served_by() == "proc-a" and on_b_phone.served_by() == "proc-b"
        # One phone on each process: the projector counts both, wherever it is connected.
        projector.wait_for("presence", lambda d: d["connected"] == 2)
        projector.wait_for("snapshot")
        voter_socket.wait_for("snapshot", lambda d: d["event"]["phase"] == "vote")
        ack = voter_socket.client.call("vote", {"proposal_id": proposal_id,
                                                "client_id": uuid.uuid4().hex}, timeout=10)
        assert ack["ok"], ack
        rest = rest_voter.http.post(f"{proxy.url}/api/v1/proposals/{proposal_id}/votes",
                                    json={"client_id": uuid.uuid4().hex})
        assert rest.status_code == 201 and rest.headers["X-Served-By"] == "proc-a", rest.text
        latest = max(ack["version"], rest.json()["version"])
        # Pushed from process A through Redis to the projector's process B.
        pushed = projector.wait_for(
            "tallies", lambda d: d["version"] >= latest
            and d["tallies"].get(str(proposal_id), {}).get("votes") == 2)
        assert pushed["voters"] == 2

        # Both processes read the same state at the same version.
        on_a = voter_socket.client.call("snapshot", {}, timeout=10)["state"]
        on_b = projector.client.call("snapshot", {}, timeout=10)["state"]
        assert on_a["version"] == on_b["version"] >= latest
        assert on_b["tallies"][str(proposal_id)]["votes"] == 2
        assert on_a["me"]["ballot"]["votes"] == {str(proposal_id): 1}
        versions = {requests.get(f"{server.url}/api/v1/events/{event['id']}",
                                 headers=server.auth()).json()["version"] for server in servers}
        assert versions == {on_a["version"]}
    finally:
        for listener in (projector, voter_socket, watcher):
            listener.close()


def _console(proxy, cookie: str, csrf: str, event_id: int) -> Listener:
    listener = Listener(proxy, cookie, csrf, event_id)
    listener.gone = threading.Event()
    listener.client.on("disconnect", lambda *_reason: listener.gone.set())
    listener.wait_for("snapshot")
    return listener


def _through(lb: str, cookie: str) -> requests.Session:
    """The same session cookie, routed by nginx to the process `lb` names."""
    http = requests.Session()
    session = dict(part.split("=", 1) for part in cookie.split("; "))["session"]
    http.headers["Cookie"] = f"lb={lb}; session={session}"
    return http


def test_a_staff_session_ended_on_one_process_is_over_on_the_other(topology):
    """Logging out through process B closes the console socket on process A at once; an
    admin's sign-out-everywhere from the CLI closes one on B; the copies open nothing."""
    proxy, servers = topology
    event = _event(servers)
    lb_a, lb_b = routing_cookie(proxy.url, "proc-a"), routing_cookie(proxy.url, "proc-b")
    cookie, csrf = _staff(proxy, lb_a)
    console = _console(proxy, cookie, csrf, event["id"])
    try:
        on_b = _through(lb_b, cookie)
        assert on_b.get(proxy.url + "/events", allow_redirects=False).status_code == 200
        answer = on_b.post(proxy.url + "/logout", data={"csrf_token": csrf},
                           allow_redirects=False)
        assert answer.status_code == 302 and answer.headers["X-Served-By"] == "proc-b"
        assert console.gone.wait(10), "the socket on process A is closed"
        for lb in (lb_a, lb_b):
            copy = _through(lb, cookie)
            assert copy.get(proxy.url + "/events", allow_redirects=False).status_code == 302
            rest = copy.post(f"{proxy.url}/api/v1/events/{event['id']}/timer",
                             json={"seconds": 60}, headers={"X-CSRFToken": csrf})
            assert rest.status_code == 401, rest.text
    finally:
        console.close()

    cookie, csrf = _staff(proxy, lb_b)
    console = _console(proxy, cookie, csrf, event["id"])
    try:
        servers[0].flask("users", "signout", "fac@live.se")
        assert console.gone.wait(10), "the CLI's sign-out reaches the socket through Redis"
        assert _through(lb_b, cookie).get(proxy.url + "/events",
                                          allow_redirects=False).status_code == 302
        state = requests.get(f"{servers[0].url}/api/v1/events/{event['id']}",
                             headers=servers[0].auth()).json()
        assert state["phase"] == "collect"
    finally:
        console.close()
