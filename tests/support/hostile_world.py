"""The scene for the hostile-input corpus: one workshop, a reference group, a measure, and
every kind of sender (a phone's form, REST and socket; staff's forms, REST and socket).

One app and database serve a whole module; each input gets a fresh workshop in it
(`World.fresh`), so its pages show only what that input wrote.
"""

import json
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from babel.messages.pofile import read_po
from markupsafe import escape
from sqlalchemy import LargeBinary, text

from participation.backlog.operations import create_measure
from participation.events.operations import change_phase, create_event
from participation.extensions import db
from participation.members.operations import add_member
from participation.proposals.operations import submit_proposal

from ..conftest import csrf_from, isolated, join, login
from .sockets import Socket

API = "/api/v1"
RAW = "RAW-BYTES"
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


# Row and cell separators of a table dump: control characters, which no stored text holds.
ROW, CELL, NULL = "\x1e", "\x1f", "\x1d"


SESSION_TABLES = ("staff_sessions",)


def _dump_query():
    """One statement that returns every table's rows as one string each: SQLite builds the
    strings, so a before/after comparison of the whole database costs one round trip."""
    parts = []
    # Not the staff sessions: a refused form's message rides in its session (flash), which is
    # the server-side record a staff browser has, not anything the request stored.
    tables = [t for t in db.metadata.sorted_tables if t.name not in SESSION_TABLES]
    for table in tables:
        cells = [(f'hex("{c.name}")' if isinstance(c.type, LargeBinary)
                  else f'coalesce(CAST("{c.name}" AS TEXT), char(29))') for c in table.columns]
        row = " || char(31) || ".join(cells)
        parts.append(f'(SELECT coalesce(group_concat(r, char(30)), \'\') '
                     f'FROM (SELECT {row} AS r FROM "{table.name}"))')
    return [t.name for t in tables], text("SELECT " + ", ".join(parts))


_DUMP = {}


def fingerprint() -> dict[str, str]:
    """Every row of every table: what the requests committed, compared before and after."""
    if "query" not in _DUMP:
        _DUMP["names"], _DUMP["query"] = _dump_query()
    db.session.rollback()
    values = db.session.execute(_DUMP["query"]).one()
    db.session.rollback()
    return dict(zip(_DUMP["names"], values, strict=True))


def changed_texts(before: dict, after: dict) -> list[str]:
    """The cells of the rows that are new (or changed) in `after`."""
    cells = []
    for name, dump in after.items():
        if dump != before[name]:
            for row in set(dump.split(ROW)) - set(before[name].split(ROW)):
                cells += [cell for cell in row.split(CELL) if cell != NULL]
    return cells


def _take_flashes(http) -> list:
    with http.session_transaction() as session:
        return session.pop("_flashes", [])


def make_event(user, phase="collect", kind="medborgarverkstad", voting=None, **kwargs):
    event = create_event(user, kwargs.pop("title", "Verkstad"), "Hur reser vi hållbart?", kind,
                         voting or {"method": "approval"}, ["Modig mobilitet"], "post",
                         **kwargs)
    order = ["lobby", "collect", "vote"]
    for step in order[1: order.index(phase) + 1]:
        change_phase(user, event.id, step)
    return event


class World:
    def __init__(self, app, staff):
        self.app, self.staff = app, staff
        # Ids 1 and 2 of every kind belong to this one, so that "1" names another event's row.
        make_event(staff.admin, questions=["Annan fråga", "Till"])
        self.desk = app.test_client()
        assert login(self.desk, staff.admin).status_code in (302, 303)
        self.desk_csrf = csrf_from(self.desk.get("/events").get_data(as_text=True))
        self.auth = staff.auth(staff.admin)
        self.phone = app.test_client()
        self.sockets: list[Socket] = []
        self.votes: dict[str, dict] = {}
        self.body_override: bytes | None = None  # sent by `rest` instead of its JSON body
        self.form_override: bytes | None = None  # sent by `form` in place of RAW
        self.fresh()

    def fresh(self):
        """A new workshop, reference group and measure for the next input, sockets on them."""
        self.close()
        staff = self.staff
        self.event = make_event(staff.admin, questions=["Hur reser du?", "Vad saknas?"])
        self.group = make_event(staff.admin, kind="referensgrupp", title="Referensgrupp")
        self.id, self.code = self.event.id, self.event.code
        self.question_id = self.event.questions[0].id
        self.proposal_id = self.new_proposal("Fler träd")
        add_member(staff.admin, self.group.id, "Berit Berg")  # meetings show once it has one
        self.measure_id = create_measure(staff.admin, {"title": "Solceller på skolor"})[
            "measure"]["id"]
        self.phone_csrf = join(self.phone, self.event)
        self.phone_socket = self._socket(self.phone, self.phone_csrf, self.id)
        self.console = self._socket(self.desk, self.desk_csrf, self.id)
        self.group_console = self._socket(self.desk, self.desk_csrf, self.group.id)
        db.session.rollback()
        return self

    def _socket(self, http, csrf, event_id) -> Socket:
        socket = Socket(self.app, http, {"csrf_token": csrf, "event": event_id})
        assert socket.connected
        self.sockets.append(socket)
        return socket

    def vote_scene(self, method: str) -> dict:
        """An event in the vote phase (dots or scale) with a phone on it and proposals to
        vote on, one per send: built once per module."""
        if method not in self.votes:
            voting = {"method": method, "dots": 5, "max_per_proposal": 3} if method == "dots" \
                else {"method": method}
            event = make_event(self.staff.admin, voting=voting)
            pool = [submit_proposal(event.id, "seed-author", f"Förslag {n}", "",
                                    new_id())["proposal"]["id"] for n in range(40)]
            change_phase(self.staff.admin, event.id, "vote")
            phone = self.app.test_client()
            csrf = join(phone, event)
            socket = Socket(self.app, phone, {"csrf_token": csrf, "event": event.id})
            assert socket.connected
            self.votes[method] = {"id": event.id, "phone": phone, "csrf": csrf,
                                  "socket": socket, "pool": pool}
            db.session.rollback()
        return self.votes[method]

    def new_proposal(self, title="Cykelbana") -> int:
        return submit_proposal(self.id, "seed-author", title, "", new_id(),
                               question_id=self.question_id)["proposal"]["id"]

    def new_measure(self) -> int:
        return create_measure(self.staff.admin, {"title": "Laddplatser"})["measure"]["id"]

    def close(self):
        for socket in self.sockets:
            socket.disconnect()
        self.sockets.clear()

    def close_all(self):
        self.close()
        for scene in self.votes.values():
            scene["socket"].disconnect()

    # --- senders ---------------------------------------------------------------------------

    def rest(self, method, path, payload=None, staff=True, raw=None, content_type=None,
             scene=None):
        headers = dict(self.auth) if staff else {
            "X-CSRFToken": scene["csrf"] if scene else self.phone_csrf}
        http = self.desk if staff else (scene["phone"] if scene else self.phone)
        if raw is None and payload is not None:
            # ASCII-escaped, as a browser's JSON.stringify would send a lone surrogate.
            raw = json.dumps(payload)
        if self.body_override is not None:
            raw = self.body_override
        if raw is not None:
            response = http.open(API + path, method=method, data=raw, headers={
                **headers, "Content-Type": content_type or "application/json"})
        else:
            response = http.open(API + path, method=method, headers=headers)
        body = response.get_json(silent=True)
        return Reply("rest", response.status_code, body)

    def socket(self, name, payload, staff=True, group=False, scene=None):
        socket = scene["socket"] if scene else (
            (self.group_console if group else self.console) if staff else self.phone_socket)
        ack = socket.call(name, payload)
        socket.client.get_received()  # pushes are not under test here; do not let them pile up
        return Reply("socket", None, ack if isinstance(ack, dict) else {"ack": ack})

    def form(self, path, data, staff=True, files=None):
        http = self.desk if staff else self.phone
        data = {"csrf_token": self.desk_csrf if staff else self.phone_csrf, **data}
        if files:
            data.update(files)
        if self.form_override is not None:
            # Bytes no browser sends: the field that holds RAW gets them, percent-encoded.
            body = urlencode(data).encode().replace(RAW.encode(), self.form_override)
            response = http.post(path, data=body,
                                 content_type="application/x-www-form-urlencoded")
        else:
            response = http.post(path, data=data,
                                 content_type="multipart/form-data" if files else None)
        html = response.get_data(as_text=True)
        if response.status_code in (302, 303):
            # What the next page would flash, without rendering it: as the page would show it.
            html = "".join(f'<p class="flash flash-{kind}">{escape(text)}</p>'
                           for kind, text in isolated(_take_flashes, http))
        return Reply("form", response.status_code, None, html)
