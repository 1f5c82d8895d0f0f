"""The real server (gevent) and real Socket.IO clients: a staff session that ends is over on
pages, REST and sockets, and a console socket open at that moment can no longer run the event.

One process on SQLite without Redis: the session records are in the database. Across two
processes on PostgreSQL and Redis: tests/test_multiprocess.py."""

import threading

import pytest
import requests
import socketio

from .support.live import PASSWORD, LiveServer
from .test_live_smoke import Listener

pytestmark = pytest.mark.live

EMAIL = "fac@live.se"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = LiveServer(tmp_path_factory.mktemp("sessions"))
    live.start(staff=((EMAIL, "facilitator"), ("rev@live.se", "reviewer")))
    yield live
    live.stop()


class Browser:
    """A staff member's browser: logged in, with the page's CSRF token."""

    def __init__(self, server, password=PASSWORD):
        self.server = server
        self.http = requests.Session()
        page = self.http.get(server.url + "/login")
        token = page.text.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        answer = self.http.post(server.url + "/login", allow_redirects=False, data={
            "email": EMAIL, "password": password, "csrf_token": token})
        assert answer.status_code == 302, answer.text
        page = self.http.get(server.url + "/events")
        self.csrf = page.text.split('<meta name="csrf-token" content="')[1].split('"')[0]

    @property
    def cookie(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)

    def copy(self) -> requests.Session:
        thief = requests.Session()
        thief.headers["Cookie"] = self.cookie
        return thief

    def console(self, event_id) -> Listener:
        listener = Listener(self.server, self.cookie, self.csrf, event_id)
        listener.gone = threading.Event()
        listener.client.on("disconnect", lambda *_reason: listener.gone.set())
        listener.wait_for("snapshot")
        return listener


def phase(server, event_id) -> str:
    # Read by a colleague: a new password for EMAIL revokes EMAIL's API tokens too.
    answer = requests.get(f"{server.url}/api/v1/events/{event_id}",
                          headers=server.auth("rev@live.se"))
    assert answer.status_code == 200, answer.text
    return answer.json()["phase"]


def assert_worthless(server, thief: requests.Session, csrf: str, event_id: int):
    page = thief.get(server.url + "/events", allow_redirects=False)
    assert page.status_code == 302 and "/login" in page.headers["Location"]
    rest = thief.post(f"{server.url}/api/v1/events/{event_id}/timer", json={"seconds": 120},
                      headers={"X-CSRFToken": csrf})
    assert rest.status_code == 401, rest.text
    with pytest.raises(socketio.exceptions.ConnectionError):
        socketio.Client(reconnection=False).connect(
            server.url, headers={"Cookie": thief.headers["Cookie"]},
            auth={"csrf_token": csrf, "event": event_id},
            transports=["websocket"], wait_timeout=10)


def test_logout_closes_the_console_socket_and_the_copied_cookie_opens_nothing(server):
    event = server.create_event(title="Utloggning")
    server.set_phase(event["id"], "collect")
    browser = Browser(server)
    console = browser.console(event["id"])
    thief = browser.copy()
    assert thief.get(server.url + "/events", allow_redirects=False).status_code == 200
    try:
        answer = browser.http.post(server.url + "/logout", data={"csrf_token": browser.csrf},
                                   allow_redirects=False)
        assert answer.status_code == 302
        assert console.gone.wait(10), "the socket open during logout is closed"
        with pytest.raises(socketio.exceptions.BadNamespaceError):
            console.client.call("set_phase", {"phase": "vote"}, timeout=5)
        assert phase(server, event["id"]) == "collect"
        assert_worthless(server, thief, browser.csrf, event["id"])
    finally:
        console.close()


def test_a_new_password_from_the_cli_leaves_an_open_console_unable_to_act(server):
    """The CLI is another process, and without Redis no disconnect reaches the server: the
    console's next command is refused all the same, and then the socket goes."""
    event = server.create_event(title="Nytt lösenord")
    server.set_phase(event["id"], "collect")
    browser = Browser(server)
    console = browser.console(event["id"])
    try:
        assert console.client.call("set_timer", {"seconds": 60}, timeout=10)["ok"]
        new = "another long passphrase"
        server.flask("users", "create", EMAIL, "--role", "facilitator", "--password", new)
        ack = console.client.call("set_phase", {"phase": "vote"}, timeout=10)
        assert ack["ok"] is False and ack["error"] == "signed_out", ack
        assert console.gone.wait(10), "a refused staff socket is closed"
        assert phase(server, event["id"]) == "collect"
        assert_worthless(server, browser.copy(), browser.csrf, event["id"])
        fresh = Browser(server, new)
        assert fresh.http.get(server.url + "/events").status_code == 200
    finally:
        console.close()
        server.flask("users", "create", EMAIL, "--role", "facilitator", "--password", PASSWORD)
