"""Socket.IO test clients around one event, shared by the socket and moderation tests."""

import uuid

from participation.events.operations import change_phase
from participation.extensions import socketio

from ..conftest import IsolatedClient, csrf_from, isolated, login


def new_id() -> str:
    return uuid.uuid4().hex


class Socket:
    """One connected Socket.IO test client and what it has been pushed."""

    def __init__(self, app, http, auth):
        self.http = http
        self.client = isolated(socketio.test_client, app, flask_test_client=http, auth=auth)
        self.pushes: list[tuple[str, dict]] = []

    @property
    def connected(self) -> bool:
        return self.client.is_connected()

    def call(self, name, payload):
        return isolated(self.client.emit, name, payload, callback=True)

    def received(self, name=None) -> list[dict]:
        """Everything pushed so far (kept), optionally only pushes called `name`."""
        if self.connected:
            self.pushes += [(p["name"], p["args"][0]) for p in self.client.get_received()]
        return [data for n, data in self.pushes if name is None or n == name]

    def forget(self):
        self.received()
        self.pushes.clear()

    def disconnect(self):
        if self.connected:
            isolated(self.client.disconnect)


def room_fixture(app, make_event, staff):
    """Phones and a facilitator around one event; every socket is closed after the test."""

    class Room:
        def __init__(self, phase="collect", voting=None, moderation="post", **event):
            assert issubclass(app.test_client_class, IsolatedClient)
            self.event = make_event(voting=voting, phase=phase, moderation=moderation, **event)
            self.id, self.code = self.event.id, self.event.code
            self.sockets: list[Socket] = []

        def phone(self, connect=True):
            http = app.test_client()
            csrf = csrf_from(http.get(f"/j/{self.code}").get_data(as_text=True))
            http.csrf = csrf
            if not connect:
                return http
            return self.connect(http, {"csrf_token": csrf, "event": self.id})

        def facilitator(self, user=None):
            http = app.test_client()
            assert login(http, user or staff.facilitator).status_code in (302, 303)
            csrf = csrf_from(http.get("/events").get_data(as_text=True))
            return self.connect(http, {"csrf_token": csrf, "event": self.id})

        def connect(self, http, auth):
            socket = Socket(app, http, auth)
            self.sockets.append(socket)
            return socket

        def to(self, *phases):
            for phase in phases:
                change_phase(staff.facilitator, self.id, phase)

        def propose(self, socket, title="Fler cykelbanor", **extra):
            ack = socket.call("submit_proposal", {"title": title, "client_id": new_id(), **extra})
            assert ack["ok"], ack
            return ack["proposal"]["id"]

    rooms: list[Room] = []

    def build(*args, **kwargs):
        rooms.append(Room(*args, **kwargs))
        return rooms[-1]

    yield build
    for built in rooms:
        for socket in built.sockets:
            socket.disconnect()


