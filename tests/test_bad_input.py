"""Every bad-input case of the brief, through the REST API, the no-JS forms and the socket.

Each refusal must be a 4xx with a machine-readable code (JSON), an inline message (forms) or
an error ack (socket) -- never a 500 -- and must leave the database and the event's version
exactly as they were.
"""

import html
import re
import uuid
from dataclasses import dataclass

import pytest
from flask_babel import gettext
from sqlalchemy import func, select

from participation.core.receipts import WriteReceipt
from participation.events.models import Event
from participation.events.operations import change_phase
from participation.extensions import db, socketio
from participation.participants.models import Participant
from participation.proposals.models import Proposal, Vote

from .conftest import IsolatedClient, csrf_from, isolated

API = "/api/v1"
DOTS = {"method": "dots", "dots": 5, "max_per_proposal": 3}
OTHER_EVENTS_AREA = object()  # stands for a focus area id that belongs to another event



@pytest.fixture
def browser(app):
    """A new browser (own cookie jar) per call; conftest runs each request in a fresh context."""
    assert issubclass(app.test_client_class, IsolatedClient)
    return app.test_client


def new_id() -> str:
    return uuid.uuid4().hex


def translated(app, msgid: str, **params) -> str:
    """The Swedish text residents see by default; it must really be translated."""

    def render():
        with app.test_request_context():
            return gettext(msgid, **params)

    text = isolated(render)
    assert text != (msgid % params if params else msgid), f"not translated: {msgid!r}"
    return text


# --- what is stored ---------------------------------------------------------------------------


def stored(event_id: int) -> dict:
    db.session.rollback()  # end the test's read snapshot: see what the requests committed

    def count(column, *where):
        return db.session.scalar(select(func.count(column)).where(*where))

    return {
        "events": count(Event.id),
        "participants": count(Participant.id),
        "named": count(Participant.id, Participant.display_name.is_not(None)),
        "proposals": count(Proposal.id),
        "hidden": count(Proposal.id, Proposal.status == "hidden"),
        "votes": count(Vote.id),
        "dots": db.session.scalar(select(func.coalesce(func.sum(Vote.dots), 0))),
        "receipts": count(WriteReceipt.id),
        "event": db.session.execute(
            select(Event.version, Event.phase).where(Event.id == event_id)).one()[:],
    }


def assert_json_refusal(response, status: int, code: str):
    assert response.status_code == status, (response.status_code, response.get_data(True))
    body = response.get_json()
    assert body is not None, "refusal is not JSON"
    assert body["error"] == code
    assert isinstance(body["message"], str) and body["message"].strip()


# --- the two JSON-speaking channels: REST and socket ---------------------------------------------


@dataclass
class Outcome:
    status: int | None  # None for a socket ack
    body: dict


class ApiPhone:
    kind = "api"

    def __init__(self, http, csrf, event_id):
        self.http, self.csrf, self.event_id = http, csrf, event_id

    def _send(self, method, path, payload):
        response = self.http.open(API + path, method=method, json=payload,
                                  headers={"X-CSRFToken": self.csrf})
        assert response.status_code < 500
        return Outcome(response.status_code, response.get_json())

    def propose(self, payload):
        return self._send("POST", f"/events/{self.event_id}/proposals", payload)

    def vote(self, payload):
        payload = dict(payload)
        return self._send("POST", f"/proposals/{payload.pop('proposal_id')}/votes", payload)

    def withdraw(self, payload):
        payload = dict(payload)
        return self._send("DELETE", f"/proposals/{payload.pop('proposal_id')}/votes", payload)


class SocketPhone:
    kind = "socket"

    def __init__(self, app, http, csrf, event_id):
        self.client = isolated(socketio.test_client, app, flask_test_client=http,
                               auth={"csrf_token": csrf, "event": event_id})
        assert self.client.is_connected()

    def call(self, name, payload):
        ack = isolated(self.client.emit, name, payload, callback=True)
        assert isinstance(ack, dict) and ack.get("error") != "server_error", ack
        return Outcome(None, ack)

    def propose(self, payload):
        return self.call("submit_proposal", payload)

    def vote(self, payload):
        return self.call("vote", payload)

    def withdraw(self, payload):
        return self.call("withdraw_vote", payload)

    def close(self):
        if self.client.is_connected():
            isolated(self.client.disconnect)


def assert_refused(outcome: Outcome, status: int, code: str):
    if outcome.status is None:
        assert outcome.body["ok"] is False, outcome.body
    else:
        assert outcome.status == status, outcome
    assert outcome.body["error"] == code, outcome.body
    assert isinstance(outcome.body["message"], str) and outcome.body["message"].strip()


def assert_accepted(outcome: Outcome):
    if outcome.status is None:
        assert outcome.body["ok"] is True, outcome.body
    else:
        assert outcome.status in (200, 201), outcome


@dataclass
class Scene:
    event_id: int
    code: str
    proposals: list[int]
    phone: ApiPhone | SocketPhone


@pytest.fixture(params=["api", "socket"])
def channel(request):
    return request.param


@pytest.fixture
def scene(app, browser, make_event, staff, channel):
    """An event in `phase` with proposals `titles` (by a seeding phone), and a fresh phone."""
    sockets = []

    def build(phase="collect", voting=None, titles=("Fler träd", "Cykelbana", "Solceller")):
        event = make_event(voting=voting, phase="collect")
        event_id, code = event.id, event.code
        seeder = ApiPhone(browser(), None, event_id)
        seeder.csrf = csrf_from(seeder.http.get(f"/j/{code}").get_data(as_text=True))
        ids = [seeder.propose({"title": t, "client_id": new_id()}).body["proposal"]["id"]
               for t in titles]
        steps = {"lobby": ["lobby"], "collect": [], "vote": ["vote"],
                 "results": ["vote", "results"], "closed": ["vote", "results", "closed"]}
        for step in steps[phase]:
            change_phase(staff.facilitator, event_id, step)
        http = browser()
        csrf = csrf_from(http.get(f"/j/{code}").get_data(as_text=True))
        if channel == "api":
            phone = ApiPhone(http, csrf, event_id)
        else:
            phone = SocketPhone(app, http, csrf, event_id)
            sockets.append(phone)
        return Scene(event_id, code, ids, phone)

    yield build
    for phone in sockets:
        phone.close()


def proposal(**overrides):
    return {"title": "Grönare skolgårdar", "body": "Mer träd.", "client_id": new_id()} | overrides


def vote(proposal_id, **overrides):
    return {"proposal_id": proposal_id, "client_id": new_id()} | overrides


# --- proposals: text, types, focus area, client_id --------------------------------------------


@pytest.mark.parametrize("overrides, code", [
    pytest.param({"title": ""}, "required", id="empty-title"),
    pytest.param({"title": "   \n "}, "required", id="blank-title"),
    pytest.param({"title": None}, "required", id="missing-title"),
    pytest.param({"title": "x" * 121}, "too_long", id="title-121"),
    pytest.param({"body": "x" * 1001}, "too_long", id="body-1001"),
    pytest.param({"title": 42}, "invalid_type", id="title-number"),
    pytest.param({"title": ["Fler", "träd"]}, "invalid_type", id="title-list"),
    pytest.param({"title": {"sv": "Träd"}}, "invalid_type", id="title-object"),
    pytest.param({"body": 7}, "invalid_type", id="body-number"),
    pytest.param({"focus_area_id": "mobilitet"}, "invalid_type", id="focus-text"),
    pytest.param({"focus_area_id": 1.5}, "invalid_type", id="focus-float"),
    pytest.param({"focus_area_id": [1]}, "invalid_type", id="focus-list"),
    pytest.param({"focus_area_id": 99999}, "invalid_focus_area", id="focus-unknown"),
    pytest.param({"focus_area_id": OTHER_EVENTS_AREA}, "invalid_focus_area",
                 id="focus-of-another-event"),
    pytest.param({"client_id": None}, "invalid_client_id", id="client-id-missing"),
    pytest.param({"client_id": "kort"}, "invalid_client_id", id="client-id-short"),
    pytest.param({"client_id": 123456789}, "invalid_client_id", id="client-id-number"),
    pytest.param({"client_id": "x" * 65}, "invalid_client_id", id="client-id-long"),
])
def test_bad_proposal_is_refused_and_nothing_stored(scene, make_event, staff, overrides, code):
    setting = scene()
    if overrides.get("focus_area_id") is OTHER_EVENTS_AREA:
        other = make_event(user=staff.other, title="Annan verkstad")
        overrides = {"focus_area_id": other.focus_areas[0].id}
    before = stored(setting.event_id)
    outcome = setting.phone.propose(proposal(**overrides))
    assert_refused(outcome, 400, code)
    assert stored(setting.event_id) == before


def test_longest_allowed_texts_are_accepted(scene):
    setting = scene()
    before = stored(setting.event_id)
    outcome = setting.phone.propose(proposal(title="x" * 120, body="y" * 1000))
    assert_accepted(outcome)
    assert stored(setting.event_id)["proposals"] == before["proposals"] + 1


@pytest.mark.parametrize("phase, code", [
    ("lobby", "wrong_phase"), ("vote", "wrong_phase"), ("results", "wrong_phase"),
    ("closed", "event_closed"),
])
def test_proposal_outside_collect_is_409(scene, phase, code):
    setting = scene(phase=phase)
    before = stored(setting.event_id)
    assert_refused(setting.phone.propose(proposal()), 409, code)
    assert stored(setting.event_id) == before


def test_client_id_reused_for_another_kind_of_write(scene, staff):
    setting = scene()
    key = new_id()
    assert_accepted(setting.phone.propose(proposal(client_id=key)))
    change_phase(staff.facilitator, setting.event_id, "vote")
    before = stored(setting.event_id)
    assert_refused(setting.phone.vote(vote(setting.proposals[0], client_id=key)), 409,
                   "client_id_reused")
    assert stored(setting.event_id) == before


# --- votes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("voting, dots, code", [
    pytest.param(DOTS, "2", "invalid_dots", id="dots-string"),
    pytest.param(DOTS, True, "invalid_dots", id="dots-bool"),
    pytest.param(DOTS, -1, "invalid_dots", id="dots-negative"),
    pytest.param(DOTS, 0, "invalid_dots", id="dots-zero"),
    pytest.param(DOTS, 1.5, "invalid_dots", id="dots-float"),
    pytest.param(DOTS, [1], "invalid_dots", id="dots-list"),
    pytest.param(None, 2, "invalid_dots", id="approval-with-2-dots"),
])
def test_bad_dots_are_refused(scene, voting, dots, code):
    setting = scene(phase="vote", voting=voting)
    before = stored(setting.event_id)
    assert_refused(setting.phone.vote(vote(setting.proposals[0], dots=dots)), 400, code)
    assert stored(setting.event_id) == before


def test_vote_without_valid_client_id_is_refused(scene):
    setting = scene(phase="vote")
    before = stored(setting.event_id)
    for key in (None, "kort", 12345678901):
        outcome = setting.phone.vote({"proposal_id": setting.proposals[0], "client_id": key})
        assert_refused(outcome, 400, "invalid_client_id")
    assert stored(setting.event_id) == before


def test_vote_on_unknown_proposal_is_404(scene):
    setting = scene(phase="vote")
    before = stored(setting.event_id)
    assert_refused(setting.phone.vote(vote(99999)), 404, "proposal_not_found")
    assert_refused(setting.phone.withdraw(vote(99999)), 404, "proposal_not_found")
    assert stored(setting.event_id) == before


@pytest.mark.parametrize("phase, code", [
    ("collect", "wrong_phase"), ("results", "wrong_phase"), ("closed", "event_closed"),
])
def test_vote_outside_the_vote_phase_is_409(scene, phase, code):
    setting = scene(phase=phase)
    before = stored(setting.event_id)
    assert_refused(setting.phone.vote(vote(setting.proposals[0])), 409, code)
    assert stored(setting.event_id) == before


@pytest.mark.parametrize("phase, code", [("results", "wrong_phase"), ("closed", "event_closed")])
def test_withdraw_after_voting_closed_is_409(scene, staff, phase, code):
    setting = scene(phase="vote")
    assert_accepted(setting.phone.vote(vote(setting.proposals[0])))
    for step in ("results", "closed")[: 1 if phase == "results" else 2]:
        change_phase(staff.facilitator, setting.event_id, step)
    before = stored(setting.event_id)
    assert_refused(setting.phone.withdraw(vote(setting.proposals[0])), 409, code)
    assert stored(setting.event_id) == before
    assert before["votes"] == 1


def test_withdraw_without_a_vote_is_refused(scene):
    setting = scene(phase="vote")
    before = stored(setting.event_id)
    assert_refused(setting.phone.withdraw(vote(setting.proposals[0])), 404, "no_vote")
    assert stored(setting.event_id) == before


def test_second_approval_vote_is_409(scene):
    setting = scene(phase="vote")
    assert_accepted(setting.phone.vote(vote(setting.proposals[0])))
    before = stored(setting.event_id)
    assert_refused(setting.phone.vote(vote(setting.proposals[0])), 409, "already_voted")
    assert stored(setting.event_id) == before
    assert before["votes"] == 1


def test_dots_over_budget_are_409(scene):
    setting = scene(phase="vote", voting=DOTS)
    a, b, c = setting.proposals
    assert_accepted(setting.phone.vote(vote(a, dots=3)))
    assert_accepted(setting.phone.vote(vote(b, dots=1)))
    before = stored(setting.event_id)
    assert_refused(setting.phone.vote(vote(c, dots=2)), 409, "no_dots_left")
    assert_refused(setting.phone.vote(vote(b, dots=2)), 409, "no_dots_left")
    assert stored(setting.event_id) == before
    assert before["dots"] == 4


@pytest.mark.parametrize("first, then", [(0, 4), (3, 1), (2, 2)])
def test_dots_over_the_per_proposal_cap_are_409(scene, first, then):
    setting = scene(phase="vote", voting=DOTS)
    target = setting.proposals[0]
    if first:
        assert_accepted(setting.phone.vote(vote(target, dots=first)))
    before = stored(setting.event_id)
    assert_refused(setting.phone.vote(vote(target, dots=then)), 409, "proposal_dot_limit")
    assert stored(setting.event_id) == before


def test_vote_on_a_hidden_proposal_is_409(scene, staff):
    from participation.proposals.moderation import hide_proposal

    setting = scene(phase="vote")
    hide_proposal(staff.facilitator, setting.proposals[0], "Personuppgifter")
    before = stored(setting.event_id)
    assert_refused(setting.phone.vote(vote(setting.proposals[0])), 409, "proposal_hidden")
    assert stored(setting.event_id) == before


def test_vote_on_another_events_proposal_needs_joining_it(scene, browser, make_event, staff):
    setting = scene(phase="vote")
    other = make_event(user=staff.other, phase="collect")
    seeder = ApiPhone(browser(), None, other.id)
    seeder.csrf = csrf_from(seeder.http.get(f"/j/{other.code}").get_data(as_text=True))
    foreign = seeder.propose(proposal()).body["proposal"]["id"]
    change_phase(staff.other, other.id, "vote")
    before, before_other = stored(setting.event_id), stored(other.id)
    assert_refused(setting.phone.vote(vote(foreign)), 403, "not_joined")
    assert stored(setting.event_id) == before
    assert stored(other.id) == before_other


# --- REST only: body shape, CSRF, joining, staff input -------------------------------------------


@pytest.fixture
def api_phone(browser, make_event):
    def build(phase="collect", voting=None):
        event = make_event(voting=voting, phase=phase)
        http = browser()
        csrf = csrf_from(http.get(f"/j/{event.code}").get_data(as_text=True))
        return ApiPhone(http, csrf, event.id)

    return build


NOT_OBJECTS = [
    pytest.param('["a list"]', "application/json", id="list"),
    pytest.param('"a string"', "application/json", id="string"),
    pytest.param("42", "application/json", id="number"),
    pytest.param("null", "application/json", id="null"),
    pytest.param("{not json", "application/json", id="malformed"),
    pytest.param("title=Hej", "application/x-www-form-urlencoded", id="form-encoded"),
    pytest.param("", None, id="no-body"),
]


@pytest.mark.parametrize("raw, content_type", NOT_OBJECTS)
def test_participant_json_body_must_be_an_object(api_phone, raw, content_type):
    phone = api_phone()
    before = stored(phone.event_id)
    response = phone.http.post(f"{API}/events/{phone.event_id}/proposals", data=raw,
                               content_type=content_type, headers={"X-CSRFToken": phone.csrf})
    assert_json_refusal(response, 400, "invalid_json")
    assert stored(phone.event_id) == before


@pytest.mark.parametrize("raw, content_type", NOT_OBJECTS)
def test_vote_json_body_must_be_an_object(api_phone, staff, raw, content_type):
    phone = api_phone()
    target = phone.propose(proposal()).body["proposal"]["id"]
    change_phase(staff.facilitator, phone.event_id, "vote")
    before = stored(phone.event_id)
    response = phone.http.post(f"{API}/proposals/{target}/votes", data=raw,
                               content_type=content_type, headers={"X-CSRFToken": phone.csrf})
    assert_json_refusal(response, 400, "invalid_json")
    assert stored(phone.event_id) == before


@pytest.mark.parametrize("raw", ['["a list"]', '"a string"', "42"])
def test_withdraw_json_body_must_be_an_object(api_phone, staff, raw):
    phone = api_phone()
    target = phone.propose(proposal()).body["proposal"]["id"]
    change_phase(staff.facilitator, phone.event_id, "vote")
    assert phone.vote(vote(target)).status == 201
    before = stored(phone.event_id)
    response = phone.http.delete(f"{API}/proposals/{target}/votes", data=raw,
                                 content_type="application/json",
                                 headers={"X-CSRFToken": phone.csrf})
    assert response.status_code == 400
    assert isinstance(response.get_json()["error"], str)
    assert stored(phone.event_id) == before


def test_proposal_id_in_the_path_must_be_a_number(api_phone):
    phone = api_phone(phase="vote")
    before = stored(phone.event_id)
    for path in ("/proposals/abc/votes", "/proposals/1.5/votes", "/proposals/-1/votes"):
        response = phone.http.post(API + path, json={"client_id": new_id()},
                                   headers={"X-CSRFToken": phone.csrf})
        assert response.status_code == 404
        assert response.get_json()["error"]
    assert stored(phone.event_id) == before


@pytest.mark.parametrize("header", [None, "", "not-the-token", "wrong"])
def test_api_writes_need_the_pages_csrf_token(api_phone, staff, header):
    phone = api_phone()
    target = phone.propose(proposal()).body["proposal"]["id"]
    change_phase(staff.facilitator, phone.event_id, "vote")
    assert phone.vote(vote(target)).status == 201
    headers = {} if header is None else {"X-CSRFToken": header}
    if header == "wrong":  # a valid token, but another browser's
        other = phone.http.application.test_client()
        headers["X-CSRFToken"] = csrf_from(other.get("/").get_data(as_text=True))
    before = stored(phone.event_id)
    attempts = [
        phone.http.post(f"{API}/events/{phone.event_id}/proposals", json=proposal(),
                        headers=headers),
        phone.http.post(f"{API}/proposals/{target}/votes", json={"client_id": new_id()},
                        headers=headers),
        phone.http.delete(f"{API}/proposals/{target}/votes", headers=headers),
    ]
    for response in attempts:
        assert_json_refusal(response, 400, "csrf_failed")
    assert stored(phone.event_id) == before


def test_writing_without_joining_is_403(browser, make_event):
    event = make_event(phase="collect")
    http = browser()
    csrf = csrf_from(http.get("/").get_data(as_text=True))  # a real token, but never joined
    before = stored(event.id)
    response = http.post(f"{API}/events/{event.id}/proposals", json=proposal(),
                         headers={"X-CSRFToken": csrf})
    assert_json_refusal(response, 403, "not_joined")
    assert stored(event.id) == before


def test_unknown_event_in_the_api_is_404(api_phone):
    phone = api_phone()
    before = stored(phone.event_id)
    response = phone.http.post(f"{API}/events/99999/proposals", json=proposal(),
                               headers={"X-CSRFToken": phone.csrf})
    assert_json_refusal(response, 404, "event_not_found")
    assert_json_refusal(phone.http.get(f"{API}/events/99999/state"), 404, "event_not_found")
    assert stored(phone.event_id) == before


def _event_payload(**overrides):
    return {"title": "Rådslag", "prompt": "Vad ska vi göra?", "kind": "radslag",
            "voting": {"method": "approval"}} | overrides


@pytest.mark.parametrize("overrides, code", [
    pytest.param({"title": ""}, "required", id="empty-title"),
    pytest.param({"title": "x" * 201}, "too_long", id="long-title"),
    pytest.param({"title": 5}, "invalid_type", id="title-number"),
    pytest.param({"prompt": None}, "required", id="no-prompt"),
    pytest.param({"kind": "workshop"}, "invalid_kind", id="unknown-kind"),
    pytest.param({"kind": ["radslag"]}, "invalid_kind", id="kind-list"),
    pytest.param({"voting": "approval"}, "invalid_voting", id="voting-string"),
    pytest.param({"voting": {"method": "ranked"}}, "invalid_voting", id="unknown-method"),
    pytest.param({"voting": {"method": "dots", "dots": "5"}}, "invalid_voting",
                 id="dots-string"),
    pytest.param({"voting": {"method": "dots", "dots": True}}, "invalid_voting", id="dots-bool"),
    pytest.param({"voting": {"method": "dots", "dots": 0}}, "invalid_voting", id="dots-zero"),
    pytest.param({"voting": {"method": "dots", "dots": 101}}, "invalid_voting", id="dots-101"),
    pytest.param({"voting": {"method": "dots", "dots": 5, "max_per_proposal": 6}},
                 "invalid_voting", id="cap-over-budget"),
    pytest.param({"voting": {"method": "dots", "dots": 5, "max_per_proposal": 2.5}},
                 "invalid_voting", id="cap-float"),
    pytest.param({"focus_areas": "Modig mobilitet"}, "invalid_focus_areas", id="areas-string"),
    pytest.param({"focus_areas": [f"Område {n}" for n in range(13)]}, "invalid_focus_areas",
                 id="areas-13"),
    pytest.param({"focus_areas": [7]}, "invalid_type", id="area-number"),
])
def test_bad_event_is_refused(browser, staff, make_event, overrides, code):
    existing = make_event()
    before = stored(existing.id)
    response = browser().post(f"{API}/events", json=_event_payload(**overrides),
                              headers=staff.auth(staff.facilitator))
    assert_json_refusal(response, 400, code)
    assert stored(existing.id) == before


@pytest.mark.parametrize("body, code", [
    ({"phase": "done"}, "invalid_phase"), ({"phase": 2}, "invalid_phase"),
    ({"phase": ["vote"]}, "invalid_phase"), ({}, "invalid_phase"),
])
def test_bad_phase_is_refused(browser, staff, make_event, body, code):
    event = make_event(phase="collect")
    before = stored(event.id)
    response = browser().post(f"{API}/events/{event.id}/phase", json=body,
                              headers=staff.auth(staff.facilitator))
    assert_json_refusal(response, 400, code)
    assert stored(event.id) == before


@pytest.mark.parametrize("raw", ['["vote"]', '"vote"', "{oops"])
def test_staff_json_bodies_must_be_objects(browser, staff, make_event, raw):
    event = make_event(phase="collect")
    before = stored(event.id)
    auth = staff.auth(staff.facilitator)
    for path in ("/events", f"/events/{event.id}/phase", "/proposals/1/hide"):
        response = browser().post(API + path, data=raw, content_type="application/json",
                                  headers=auth)
        assert_json_refusal(response, 400, "invalid_json")
    assert stored(event.id) == before


@pytest.mark.parametrize("reason, status, code", [
    ("", 400, "required"), ("   ", 400, "required"), (None, 400, "required"),
    ("x" * 301, 400, "too_long"), (12, 400, "invalid_type"),
])
def test_hide_needs_a_reason(api_phone, staff, reason, status, code):
    phone = api_phone()
    target = phone.propose(proposal()).body["proposal"]["id"]
    before = stored(phone.event_id)
    response = phone.http.post(f"{API}/proposals/{target}/hide", json={"reason": reason},
                               headers=staff.auth(staff.facilitator))
    assert_json_refusal(response, status, code)
    assert stored(phone.event_id) == before


def test_hiding_twice_or_an_unknown_proposal(api_phone, staff):
    phone = api_phone()
    target = phone.propose(proposal()).body["proposal"]["id"]
    auth = staff.auth(staff.facilitator)
    first = phone.http.post(f"{API}/proposals/{target}/hide", json={"reason": "Spam"},
                            headers=auth)
    assert first.status_code == 200
    before = stored(phone.event_id)
    again = phone.http.post(f"{API}/proposals/{target}/hide", json={"reason": "Igen"},
                            headers=auth)
    assert_json_refusal(again, 409, "already_hidden")
    unknown = phone.http.post(f"{API}/proposals/99999/hide", json={"reason": "Spam"},
                              headers=auth)
    assert_json_refusal(unknown, 404, "proposal_not_found")
    assert stored(phone.event_id) == before


# --- socket only: connecting, payload shape -------------------------------------------------------


def _connect(app, http, auth):
    client = isolated(socketio.test_client, app, flask_test_client=http, auth=auth)
    got_snapshot = any(p["name"] == "snapshot" for p in client.queue)
    connected = client.is_connected()
    if connected:
        isolated(client.disconnect)
    return connected, got_snapshot


@pytest.mark.parametrize("case", [
    "no-auth", "no-csrf", "wrong-csrf", "other-browsers-csrf", "auth-not-a-dict",
    "never-joined", "unknown-event", "event-not-a-number",
])
def test_socket_connect_is_refused(app, browser, make_event, case):
    event = make_event(phase="collect")
    http = browser()
    csrf = csrf_from(http.get(f"/j/{event.code}").get_data(as_text=True))
    stranger = browser()
    stranger_csrf = csrf_from(stranger.get("/").get_data(as_text=True))
    auth = {
        "no-auth": (http, None),
        "no-csrf": (http, {"event": event.id}),
        "wrong-csrf": (http, {"csrf_token": "forged", "event": event.id}),
        "other-browsers-csrf": (http, {"csrf_token": stranger_csrf, "event": event.id}),
        "auth-not-a-dict": (http, csrf),
        "never-joined": (stranger, {"csrf_token": stranger_csrf, "event": event.id}),
        "unknown-event": (http, {"csrf_token": csrf, "event": 99999}),
        "event-not-a-number": (http, {"csrf_token": csrf, "event": "first"}),
    }[case]
    before = stored(event.id)
    connected, got_snapshot = _connect(app, *auth)
    assert not connected
    assert not got_snapshot
    assert stored(event.id) == before
    # The same browser with its real token does get in: the refusal was about the input.
    assert _connect(app, http, {"csrf_token": csrf, "event": event.id}) == (True, True)


@pytest.fixture
def socket_phone(app, browser, make_event):
    phones = []

    def build(phase="collect"):
        event = make_event(phase=phase)
        http = browser()
        csrf = csrf_from(http.get(f"/j/{event.code}").get_data(as_text=True))
        phones.append(SocketPhone(app, http, csrf, event.id))
        return event.id, phones[-1]

    yield build
    for phone in phones:
        phone.close()


@pytest.mark.parametrize("name", ["submit_proposal", "vote", "withdraw_vote", "snapshot"])
@pytest.mark.parametrize("payload", [["a list"], "a string", 42])
def test_socket_payload_must_be_an_object(socket_phone, name, payload):
    event_id, phone = socket_phone(phase="vote")
    before = stored(event_id)
    assert_refused(phone.call(name, payload), 400, "invalid_payload")
    assert stored(event_id) == before


@pytest.mark.parametrize("proposal_id", ["1", True, None, 1.0, [1]])
def test_socket_proposal_id_must_be_a_number(socket_phone, browser, proposal_id):
    event_id, phone = socket_phone(phase="vote")
    before = stored(event_id)
    for name in ("vote", "withdraw_vote"):
        outcome = phone.call(name, {"proposal_id": proposal_id, "client_id": new_id()})
        assert_refused(outcome, 404, "proposal_not_found")
    assert stored(event_id) == before


# --- no-JS forms ------------------------------------------------------------------------------


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def field_error(response, field: str) -> str:
    match = re.search(rf'id="{field}-error"[^>]*>(.*?)</p>', page_text(response), re.S)
    return match.group(1).strip() if match else ""


def error_box(response) -> str:
    match = re.search(r'class="error-box"[^>]*>(.*?)</p>', page_text(response), re.S)
    return match.group(1).strip() if match else ""


@pytest.fixture
def form_phone(browser, make_event):
    """A joined phone posting plain forms, as with JavaScript turned off."""

    class FormPhone:
        def __init__(self, phase, voting):
            self.event = make_event(voting=voting, phase=phase)
            self.event_id, self.code = self.event.id, self.event.code
            self.http = browser()
            self.csrf = csrf_from(self.http.get(f"/j/{self.code}").get_data(as_text=True))

        def post(self, path, **data):
            data.setdefault("csrf_token", self.csrf)
            data = {k: v for k, v in data.items() if v is not None}
            response = self.http.post(f"/j/{self.code}{path}", data=data)
            assert response.status_code < 500
            return response

        def propose(self, **fields):
            return self.post("/proposals", **({"title": "Grönare skolgårdar", "body": "",
                                                "client_id": new_id()} | fields))

        def vote(self, proposal_id, **fields):
            return self.post(f"/proposals/{proposal_id}/vote", client_id=new_id(), **fields)

        def withdraw(self, proposal_id, **fields):
            return self.post(f"/proposals/{proposal_id}/withdraw", client_id=new_id(), **fields)

        def seed(self, *titles):
            """Proposals written while collecting; returns their ids."""
            for title in titles:
                assert self.propose(title=title).status_code == 303
            db.session.rollback()
            return list(db.session.scalars(select(Proposal.id).where(
                Proposal.event_id == self.event_id).order_by(Proposal.id)))

    return FormPhone


def test_form_unknown_join_code_is_a_404_page_with_a_message(app, browser):
    http = browser()
    response = http.get("/j/NOSUCH")
    assert response.status_code == 404
    expected = translated(app, "No event has the code %(code)s. Check the code on the screen.",
                          code="NOSUCH")
    assert expected in page_text(response)
    assert http.get("/join?code=").status_code == 400
    csrf = csrf_from(http.get("/").get_data(as_text=True))
    post = http.post("/j/NOSUCH/proposals", data={"title": "Hej", "csrf_token": csrf,
                                                  "client_id": new_id()})
    assert post.status_code == 404
    assert db.session.scalar(select(func.count(Proposal.id))) == 0


@pytest.mark.parametrize("fields, field", [
    pytest.param({"title": ""}, "title", id="empty-title"),
    pytest.param({"title": "   "}, "title", id="blank-title"),
    pytest.param({"title": "x" * 121}, "title", id="title-121"),
    pytest.param({"body": "x" * 1001}, "body", id="body-1001"),
    pytest.param({"focus_area_id": "99999"}, "focus_area_id", id="focus-unknown"),
    pytest.param({"focus_area_id": "mobilitet"}, "focus_area_id", id="focus-text"),
    pytest.param({"focus_area_id": OTHER_EVENTS_AREA}, "focus_area_id",
                 id="focus-of-another-event"),
])
def test_form_bad_proposal_rerenders_with_an_inline_error(form_phone, make_event, staff,
                                                           fields, field):
    phone = form_phone("collect", None)
    if fields.get("focus_area_id") is OTHER_EVENTS_AREA:
        other = make_event(user=staff.other, title="Annan verkstad")
        fields = {"focus_area_id": str(other.focus_areas[0].id)}
    before = stored(phone.event_id)
    typed = {"title": "Mitt förslag", "body": "Min text"} | fields
    response = phone.propose(**typed)
    assert response.status_code == 422
    assert field_error(response, field), f"no inline error for {field}"
    assert 'id="proposal-form"' in response.get_data(as_text=True)
    if field != "title" and typed["title"].strip():
        assert f'value="{typed["title"]}"' in page_text(response)  # what they typed is kept
    assert stored(phone.event_id) == before


@pytest.mark.parametrize("phase, msgid", [
    pytest.param("lobby", "Proposals can only be written while the event is collecting them.",
                 id="lobby"),
    pytest.param("vote", "Proposals can only be written while the event is collecting them.",
                 id="vote"),
    pytest.param("closed", "The event is closed.", id="closed"),
])
def test_form_proposal_in_the_wrong_phase(app, form_phone, phase, msgid):
    phone = form_phone(phase, None)
    before = stored(phone.event_id)
    response = phone.propose()
    assert response.status_code == 409
    assert error_box(response) == translated(app, msgid)
    assert stored(phone.event_id) == before


def _to_phase(event_id, *phases, user=None):
    from participation.accounts.models import User

    user = user or db.session.scalar(select(User).where(User.email == "fac@example.se"))
    for phase in phases:
        change_phase(user, event_id, phase)


@pytest.mark.parametrize("then, msgid", [
    pytest.param(("vote", "results"), "Voting is not open right now.", id="results"),
    pytest.param(("vote", "results", "closed"), "The event is closed.", id="closed"),
    pytest.param((), "Voting is not open right now.", id="collect"),
])
def test_form_vote_in_the_wrong_phase(app, form_phone, then, msgid):
    phone = form_phone("collect", None)
    (target,) = phone.seed("Cykelbana")
    _to_phase(phone.event_id, *then)
    before = stored(phone.event_id)
    for response in (phone.vote(target), phone.withdraw(target)):
        assert response.status_code == 409
        assert error_box(response) == translated(app, msgid)
    assert stored(phone.event_id) == before


def test_form_second_approval_vote(app, form_phone):
    phone = form_phone("collect", None)
    (target,) = phone.seed("Cykelbana")
    _to_phase(phone.event_id, "vote")
    assert phone.vote(target).status_code == 303
    before = stored(phone.event_id)
    response = phone.vote(target)
    assert response.status_code == 409
    assert error_box(response) == translated(app, "You have already voted for this proposal.")
    assert stored(phone.event_id) == before


def test_form_dots_over_budget_and_over_the_cap(app, form_phone):
    phone = form_phone("collect", DOTS)
    a, b = phone.seed("A", "B")
    _to_phase(phone.event_id, "vote")
    assert phone.vote(a, dots="3").status_code == 303
    before = stored(phone.event_id)
    capped = phone.vote(a, dots="1")
    assert capped.status_code == 409
    assert error_box(capped) == translated(app, "At most %(n)d dots on one proposal.", n=3)
    broke = phone.vote(b, dots="3")
    assert broke.status_code == 409
    assert error_box(broke) == translated(app, "You have no dots left for that.")
    assert stored(phone.event_id) == before


@pytest.mark.parametrize("dots", ["abc", "0", "-1", "1.5", ""])
def test_form_bad_dots(app, form_phone, dots):
    phone = form_phone("collect", DOTS)
    (target,) = phone.seed("A")
    _to_phase(phone.event_id, "vote")
    before = stored(phone.event_id)
    response = phone.vote(target, dots=dots)
    assert response.status_code == 400
    assert error_box(response) == translated(app, "Give a whole number of dots.")
    assert stored(phone.event_id) == before


def test_form_vote_on_unknown_proposal(form_phone):
    phone = form_phone("vote", None)
    before = stored(phone.event_id)
    response = phone.vote(99999)
    assert response.status_code == 404
    assert error_box(response)
    assert stored(phone.event_id) == before


def test_form_name_too_long(form_phone):
    phone = form_phone("lobby", None)
    before = stored(phone.event_id)
    response = phone.post("/name", display_name="x" * 61)
    assert response.status_code == 422
    assert field_error(response, "display_name")
    assert stored(phone.event_id) == before


@pytest.mark.parametrize("token", [None, "", "forged-token", "other-browser"])
def test_forms_need_the_csrf_token(app, browser, form_phone, token):
    phone = form_phone("collect", None)
    (target,) = phone.seed("Cykelbana")
    if token == "other-browser":
        token = csrf_from(browser().get("/").get_data(as_text=True))
    expected = translated(app, "The form had expired. Reload the page and try again.")

    def assert_refused_without_trace(*posts):
        before = stored(phone.event_id)
        for post in posts:
            response = post()
            assert response.status_code == 400
            assert expected in page_text(response)
        assert stored(phone.event_id) == before

    assert_refused_without_trace(lambda: phone.propose(csrf_token=token),
                                 lambda: phone.post("/name", display_name="Anna",
                                                    csrf_token=token))
    _to_phase(phone.event_id, "vote")
    assert_refused_without_trace(lambda: phone.vote(target, csrf_token=token),
                                 lambda: phone.withdraw(target, csrf_token=token))


# --- merging duplicates (staff) ---------------------------------------------------------------


@pytest.mark.parametrize("payload, code, field", [
    ({"source_id": "1", "target_id": 2}, "invalid_type", "source_id"),
    ({"source_id": 1.0, "target_id": 2}, "invalid_type", "source_id"),
    ({"source_id": [1], "target_id": 2}, "invalid_type", "source_id"),
    ({"source_id": 1}, "invalid_type", "target_id"),
    ({"source_id": 1, "target_id": True}, "invalid_type", "target_id"),
    ({"source_id": 1, "target_id": 1}, "same_proposal", "target_id"),
    ({"source_id": 1, "target_id": 2, "reason": 7}, "invalid_type", "reason"),
    ({"source_id": 1, "target_id": 2, "reason": "x" * 301}, "too_long", "reason"),
])
@pytest.mark.parametrize("channel", ["api", "socket"])
def test_bad_merge_input_is_refused_and_nothing_stored(app, make_event, staff, payload, code,
                                                       field, channel):
    from participation.proposals.models import ProposalMerge

    from .support.sockets import room_fixture

    event = make_event(phase="collect")
    phone = app.test_client()
    csrf = csrf_from(phone.get(f"/j/{event.code}").get_data(as_text=True))
    ids = [phone.post(f"{API}/events/{event.id}/proposals", headers={"X-CSRFToken": csrf},
                      json=proposal(title=f"Förslag {n}")).get_json()["proposal"]["id"]
           for n in (1, 2)]
    payload = {k: (ids[v - 1] if k in ("source_id", "target_id") and type(v) is int else v)
               for k, v in payload.items()}
    before = stored(event.id)
    if channel == "api":
        response = app.test_client().post(f"{API}/events/{event.id}/merges", json=payload,
                                          headers=staff.auth(staff.facilitator))
        assert_json_refusal(response, 400, code)
        body = response.get_json()
    else:
        rooms = room_fixture(app, lambda **kw: event, staff)
        build = next(rooms)
        console = build().facilitator()
        body = console.call("merge_proposals", payload)
        console.disconnect()
        assert body["ok"] is False and body["error"] == code
    assert body["field"] == field
    assert stored(event.id) == before
    assert db.session.scalar(select(func.count(ProposalMerge.id))) == 0
