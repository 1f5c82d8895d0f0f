"""The real server process: one phone votes, another phone and the projector see it."""

import threading

import pytest
import requests
import socketio

pytestmark = pytest.mark.live


class Listener:
    """A python-socketio client that records what it is pushed."""

    def __init__(self, server, cookie, csrf, event_id):
        self.client = socketio.Client(reconnection=False)
        self.events: dict[str, list] = {}
        self.arrived = threading.Condition()
        for name in ("snapshot", "proposal", "phase", "tallies", "presence"):
            self.client.on(name, self._recorder(name))
        self.client.connect(server.url, headers={"Cookie": cookie},
                            auth={"csrf_token": csrf, "event": event_id},
                            transports=["websocket"], wait_timeout=10)

    def _recorder(self, name):
        def record(data):
            with self.arrived:
                self.events.setdefault(name, []).append(data)
                self.arrived.notify_all()
        return record

    def wait_for(self, name, predicate=lambda data: True, timeout=10):
        with self.arrived:
            found = self.arrived.wait_for(
                lambda: any(predicate(d) for d in self.events.get(name, [])), timeout
            )
        assert found, f"no matching {name!r} push; got {self.events.get(name)}"
        return next(d for d in self.events[name] if predicate(d))

    def close(self):
        self.client.disconnect()


def staff_session(server, email="fac@live.se"):
    http = requests.Session()
    page = http.get(server.url + "/login")
    token = page.text.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = http.post(server.url + "/login", data={
        "email": email, "password": "correct horse battery", "csrf_token": token})
    assert response.status_code == 200
    console = http.get(server.url + "/events")
    csrf = console.text.split('<meta name="csrf-token" content="')[1].split('"')[0]
    cookie = "; ".join(f"{c.name}={c.value}" for c in http.cookies)
    return cookie, csrf


def test_vote_reaches_other_phone_and_projector(live_server):
    event = live_server.create_event(voting={"method": "dots", "dots": 3, "max_per_proposal": 2})
    live_server.set_phase(event["id"], "collect")
    alice, bob = live_server.phone(event["code"]), live_server.phone(event["code"])
    projector = Listener(live_server, *staff_session(live_server), event["id"])
    bob_socket = Listener(live_server, bob.cookie_header, bob.csrf, event["id"])
    projector.wait_for("snapshot")
    projector.wait_for("presence", lambda d: d["connected"] >= 1)

    ack = alice.http.post(f"{live_server.url}/api/v1/events/{event['id']}/proposals",
                          json={"title": "Belys cykelbanorna", "client_id": "alice-proposal-1"})
    assert ack.status_code == 201, ack.text
    proposal_id = ack.json()["proposal"]["id"]
    bob_socket.wait_for("proposal", lambda d: d["proposal"]["id"] == proposal_id)

    live_server.set_phase(event["id"], "vote")
    bob_socket.wait_for("phase", lambda d: d["phase"] == "vote")
    vote = bob_socket.client.call("vote", {"proposal_id": proposal_id, "dots": 2,
                                           "client_id": "bob-vote-0001"}, timeout=10)
    assert vote["ok"], vote
    assert vote["ballot"]["remaining"] == 1
    tallies = projector.wait_for(
        "tallies", lambda d: d["tallies"].get(str(proposal_id), {}).get("dots") == 2)
    assert tallies["version"] >= vote["version"]
    assert tallies["tallies"][str(proposal_id)]["votes"] == 1
    projector.close()
    bob_socket.close()
