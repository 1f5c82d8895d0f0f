"""Two server processes sharing Redis as the Socket.IO message queue: a write on one reaches
a phone connected to the other. (Full multi-process scale-out is the scaling issue's.)"""

import uuid

import pytest

from .support.live import LiveServer
from .test_live_smoke import Listener

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory, redis_url):
    shared = {"DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('shared') / 'shared.db'}",
              "REDIS_URL": redis_url,
              # Its own pub/sub channel: other runs on the same Redis never cross this one.
              "SOCKETIO_CHANNEL": f"participation-test-{uuid.uuid4().hex[:12]}"}
    servers = [LiveServer(tmp_path_factory.mktemp(f"server{n}"), extra_env=shared)
               for n in range(2)]
    # The accounts once: `users create` again would set a new password, revoking the first
    # server's tokens.
    servers[0].start()
    servers[1].tokens = servers[0].tokens
    servers[1].start(staff=())
    yield servers
    for server in servers:
        server.stop()


def test_a_proposal_written_on_one_process_reaches_a_phone_on_the_other(two_servers):
    first, second = two_servers
    event = first.create_event(title="Två processer")
    first.set_phase(event["id"], "collect")
    reader = second.phone(event["code"])
    socket = Listener(second, reader.cookie_header, reader.csrf, event["id"])
    try:
        socket.wait_for("snapshot")
        writer = first.phone(event["code"])
        response = writer.http.post(f"{first.url}/api/v1/events/{event['id']}/proposals",
                                    json={"title": "Via Redis", "client_id": "redis-0001"})
        assert response.status_code == 201
        pushed = socket.wait_for("proposal", lambda d: d["proposal"]["title"] == "Via Redis")
        assert pushed["version"] == response.json()["version"]
    finally:
        socket.close()


def test_one_person_with_a_tab_on_each_process_counts_once(two_servers):
    """Presence over processes is a union of people: a phone whose two tabs landed on
    different processes is one phone on the projector, wherever the projector is connected."""
    from .test_live_smoke import staff_session

    def after(change):
        """The first presence push after `change` (earlier pushes forgotten)."""
        with projector.arrived:
            projector.events.pop("presence", None)
        change()
        return projector.wait_for("presence")["connected"]

    first, second = two_servers
    event = first.create_event(title="Närvaro över två processer")
    projector = Listener(first, *staff_session(first), event["id"])
    phone, other = second.phone(event["code"]), first.phone(event["code"])
    tabs = []
    try:
        projector.wait_for("snapshot")
        tabs.append(Listener(first, phone.cookie_header, phone.csrf, event["id"]))
        tabs.append(Listener(second, phone.cookie_header, phone.csrf, event["id"]))
        tabs.append(Listener(second, other.cookie_header, other.csrf, event["id"]))
        projector.wait_for("presence", lambda d: d["connected"] == 2)
        # The tab on the first process closes: the phone is still here, on the second.
        assert after(tabs.pop(0).close) == 2
        assert after(tabs.pop().close) == 1  # the other phone leaves
        assert after(tabs.pop().close) == 0
    finally:
        for listener in (projector, *tabs):
            listener.close()
