"""The scene for the hostile-input corpus: one workshop, a reference group, a measure, and
every kind of sender (a phone's form, REST and socket; staff's forms, REST and socket)."""

import json
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po
from markupsafe import escape
from sqlalchemy import select

from participation.backlog.operations import create_measure
from participation.extensions import db
from participation.members.operations import add_member
from participation.proposals.operations import submit_proposal

from ..conftest import csrf_from, isolated, join, login
from .sockets import Socket

API = "/api/v1"
CATALOG = (Path(__file__).resolve().parents[2]
           / "participation/translations/sv/LC_MESSAGES/messages.po")


def new_id() -> str:
    return uuid.uuid4().hex


def _swedish_pattern() -> re.Pattern:
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="sv")
    texts = set()
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        texts.update(s for s in strings if s)
    parts = [re.sub(r"%\\\(\w+\\\)[sd]", ".+?", re.escape(t)) for t in texts]
    return re.compile("|".join(sorted(parts, key=len, reverse=True)), re.S)


SWEDISH = _swedish_pattern()


def is_swedish(message) -> bool:
    """The message is (or is built from) a string of the Swedish catalogue."""
    return isinstance(message, str) and bool(SWEDISH.search(message))


@dataclass
class Reply:
    channel: str  # "form", "rest" or "socket"
    status: int | None  # None for a socket ack
    body: dict | None  # the JSON answer or the ack
    html: str = ""  # a form's answer: its page, or the page it redirected to

    @property
    def error_message(self):
        return (self.body or {}).get("message")


def fingerprint() -> dict[str, frozenset]:
    """Every row of every table: what the requests committed, compared before and after."""
    db.session.rollback()
    return {table.name: frozenset(db.session.execute(select(table)).all())
            for table in db.metadata.sorted_tables}


def changed_texts(before: dict, after: dict) -> list[str]:
    return [cell for name, rows in after.items() for row in rows - before[name]
            for cell in row if isinstance(cell, str)]


def _take_flashes(http) -> list:
    with http.session_transaction() as session:
        return session.pop("_flashes", [])


class World:
    def __init__(self, app, staff, make_event):
        self.app, self.staff = app, staff
        self.event = make_event(phase="collect", user=staff.admin,
                                questions=["Hur reser du?", "Vad saknas?"])
        self.group = make_event(kind="referensgrupp", phase="collect", user=staff.admin,
                                title="Referensgrupp")
        self.id, self.code = self.event.id, self.event.code
        self.question_id = self.event.questions[0].id
        self.proposal_id = self.new_proposal("Fler träd")
        add_member(staff.admin, self.group.id, "Berit Berg")  # meetings show once it has one
        self.measure_id = create_measure(staff.admin, {"title": "Solceller på skolor"})[
            "measure"]["id"]
        self.phone = app.test_client()
        self.phone_csrf = join(self.phone, self.event)
        self.phone_socket = Socket(app, self.phone, {"csrf_token": self.phone_csrf,
                                                     "event": self.id})
        self.desk = app.test_client()
        assert login(self.desk, staff.admin).status_code in (302, 303)
        self.desk_csrf = csrf_from(self.desk.get("/events").get_data(as_text=True))
        self.console = Socket(app, self.desk, {"csrf_token": self.desk_csrf, "event": self.id})
        self.group_console = Socket(app, self.desk, {"csrf_token": self.desk_csrf,
                                                     "event": self.group.id})
        self.auth = staff.auth(staff.admin)
        assert self.phone_socket.connected and self.console.connected
        db.session.rollback()

    def new_proposal(self, title="Cykelbana") -> int:
        return submit_proposal(self.id, "seed-author", title, "", new_id(),
                               question_id=self.question_id)["proposal"]["id"]

    def new_measure(self) -> int:
        return create_measure(self.staff.admin, {"title": "Laddplatser"})["measure"]["id"]

    def close(self):
        for socket in (self.phone_socket, self.console, self.group_console):
            socket.disconnect()

    # --- senders ---------------------------------------------------------------------------

    def rest(self, method, path, payload=None, staff=True, raw=None, content_type=None):
        headers = dict(self.auth) if staff else {"X-CSRFToken": self.phone_csrf}
        http = self.desk if staff else self.phone
        if raw is None and payload is not None:
            # ASCII-escaped, as a browser's JSON.stringify would send a lone surrogate.
            raw = json.dumps(payload)
        if raw is not None:
            response = http.open(API + path, method=method, data=raw, headers={
                **headers, "Content-Type": content_type or "application/json"})
        else:
            response = http.open(API + path, method=method, headers=headers)
        body = response.get_json(silent=True)
        return Reply("rest", response.status_code, body)

    def socket(self, name, payload, staff=True, group=False):
        socket = (self.group_console if group else self.console) if staff else self.phone_socket
        ack = socket.call(name, payload)
        socket.client.get_received()  # pushes are not under test here; do not let them pile up
        return Reply("socket", None, ack if isinstance(ack, dict) else {"ack": ack})

    def form(self, path, data, staff=True, files=None):
        http = self.desk if staff else self.phone
        data = {"csrf_token": self.desk_csrf if staff else self.phone_csrf, **data}
        if files:
            data.update(files)
        response = http.post(path, data=data,
                             content_type="multipart/form-data" if files else None)
        html = response.get_data(as_text=True)
        if response.status_code in (302, 303):
            # What the next page would flash, without rendering it: as the page would show it.
            html = "".join(f'<p class="flash flash-{kind}">{escape(text)}</p>'
                           for kind, text in isolated(_take_flashes, http))
        return Reply("form", response.status_code, None, html)
