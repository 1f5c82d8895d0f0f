"""Each request declaration against the operation behind it, on every channel that takes it.

For every socket command and every REST route with a JSON body, the payload's schema is read
from the served document (/api/v1/asyncapi.json, /api/v1/openapi.json), which is built from the
declarations next to the operations. Then:

- a payload that breaks one rule of the schema (a type, a limit, a pattern, a choice, a
  required key, a key where none is allowed) is refused, and not by a crash;
- the untouched payload each was made from is then accepted, so each refusal was that rule's;
- payloads hypothesis generates from the schema are never refused as a wrong type.

Every answer on the way must match the document too. So the documents and the validation in
the operations cannot drift apart. Deterministic: derandomized, no example database.
"""

import re
from dataclasses import dataclass, field

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from jsonschema import Draft202012Validator
from schemathesis.generation import GenerationMode

from participation.api.contract import ROUTES
from participation.backlog.operations import create_measure
from participation.events.models import Event
from participation.events.operations import change_phase
from participation.events.tables import set_table_count
from participation.extensions import db
from participation.live.socket.commands import COMMANDS
from participation.members import operations as members
from participation.proposals.merge import merge_proposals
from participation.proposals.moderation import hide_proposal
from participation.proposals.operations import submit_proposal

from .conftest import csrf_from, join, login
from .support.documents import fetch, inline, openapi_answer_schema, problems
from .support.sockets import Socket, new_id

# What a payload the schema allows must never be told: it is of the wrong type, or it crashed.
TYPE_ERRORS = {"invalid_type", "invalid_payload", "invalid_json", "server_error"}
EXAMPLES = 3
SETTINGS = settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
                    phases=[Phase.generate], suppress_health_check=list(HealthCheck))
DOTS = {"method": "dots", "dots": 100, "max_per_proposal": 100}
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")
# One value of another type for each key, plain and as a container (a list or an object where
# a number is expected must be refused too, not crash on being unhashable).
SCALARS = ("not valid", 12345, 1.5, True)
CONTAINERS = ([1], {"x": 1})


# --- payloads the schema allows, and payloads that break one rule ---------------------------


def _whole(value):
    """JSON as JavaScript writes it: a whole number (up to 2**53) without a fraction. (JSON
    Schema counts 1.0 as an integer; the API does not, tests/test_bad_input.py, and the
    documents say so in words.)"""
    if isinstance(value, float) and value.is_integer() and abs(value) <= 2**53:
        return int(value)
    if isinstance(value, dict):
        return {k: _whole(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_whole(v) for v in value]
    return value


def allowed_payloads(schema: dict):
    """Payloads the schema allows, as schemathesis generates request bodies (hypothesis)."""
    document = {"openapi": "3.1.0", "info": {"title": "payloads", "version": "1"},
                "paths": {"/payload": {"post": {
                    "requestBody": {"required": True,
                                    "content": {"application/json": {"schema": schema}}},
                    "responses": {"200": {"description": "OK"}}}}}}
    operation = next(iter(schemathesis.openapi.from_dict(document).get_all_operations())).ok()
    return operation.as_strategy(generation_mode=GenerationMode.POSITIVE).map(
        lambda case: _whole(case.body))


def _valid(schema, value) -> bool:
    return Draft202012Validator(schema).is_valid(value)


def _over_limits(schema: dict) -> list:
    found = []
    for kind in [schema, *schema.get("anyOf", [])]:
        if "maxLength" in kind:
            found.append("x" * (kind["maxLength"] + 1))
        if kind.get("minLength", 0) >= 1:
            found.append("")
        if "pattern" in kind:
            found.append("!")
        if "maximum" in kind:
            found.append(kind["maximum"] + 1)
        if "minimum" in kind:
            found.append(kind["minimum"] - 1)
        if "maxItems" in kind:
            found.append([f"item {n}" for n in range(kind["maxItems"] + 1)])
        if "items" in kind:
            found += [[value] for value in _over_limits(kind["items"]) if isinstance(value, str)]
    return found


def _limits(rule: dict) -> list[tuple[object, object]]:
    """(a value at one of the rule's limits, an ordinary value it allows) pairs."""
    pairs = []
    for kind in [rule, *rule.get("anyOf", [])]:
        if "maxLength" in kind and "pattern" not in kind:
            pairs.append(("x" * kind["maxLength"], "x"))
        low, high = kind.get("minimum"), kind.get("maximum")
        if low is not None and high is not None:
            middle = (low + high) // 2 if kind.get("type") == "integer" else (low + high) / 2
            pairs += [(low, middle), (high, middle)]
        if "maxItems" in kind:
            pairs.append(([f"item {n}" for n in range(kind["maxItems"])], ["item"]))
        if "items" in kind:
            pairs += [([at_limit], [ordinary]) for at_limit, ordinary in _limits(kind["items"])
                      if isinstance(at_limit, str)]
    return pairs


def breaking(schema: dict, base: dict) -> list[tuple[str, object]]:
    """Payloads that each break one rule of `schema`, made from `base` (which it allows)."""
    assert _valid(schema, base), base
    # A union of objects (a link's kinds): the rules of the one `base` is.
    declared = next((b for b in schema.get("anyOf", []) if _valid(b, base)), schema)
    found = [("not an object", [base])]
    for name, rule in declared.get("properties", {}).items():
        values = [next((v for v in pool if not _valid(rule, v)), None)
                  for pool in (SCALARS, CONTAINERS)]
        for value in [v for v in values if v is not None] + _over_limits(rule):
            found.append((f"{name}={value!r:.40}", {**base, name: value}))
        if name in declared.get("required", ()):
            found.append((f"no {name}", {k: v for k, v in base.items() if k != name}))
    if declared.get("additionalProperties") is False:
        found.append(("an unknown key", {**base, "unknown_key": 1}))
    return [(label, payload) for label, payload in found if not _valid(schema, payload)]


def at_the_limits(schema: dict, base: dict) -> list[tuple[str, object, object]]:
    """For each limit of `schema`: a payload at it, and one with an ordinary value instead.
    The operation may refuse the first for the key's sake only if it refuses the second too:
    else the declared limit is looser than the operation's."""
    declared = next((b for b in schema.get("anyOf", []) if _valid(b, base)), schema)
    found = []
    for name, rule in declared.get("properties", {}).items():
        for at_limit, ordinary in _limits(rule):
            pair = ({**base, name: at_limit}, {**base, name: ordinary})
            if all(_valid(schema, payload) for payload in pair):
                found.append((name, *pair))
    return found


# --- the world each payload is sent into ----------------------------------------------------


class Kit:
    """Events, sockets and browsers for the cases; every socket is closed afterwards."""

    def __init__(self, app, staff, make_event):
        self.app, self.staff, self.make_event = app, staff, make_event
        self.sockets: list[Socket] = []
        self.fac = app.test_client()
        login(self.fac, staff.facilitator)
        self.fac_csrf = csrf_from(self.fac.get("/events").get_data(as_text=True))
        self.admin = staff.auth(staff.admin)

    def event(self, phase="collect", tables=0, **kwargs) -> Event:
        event = self.make_event(phase=phase, **kwargs)
        if tables:
            set_table_count(self.staff.facilitator, event.id, tables)
        db.session.rollback()
        return db.session.get(Event, event.id)

    def to(self, event, phase):
        change_phase(self.staff.facilitator, event.id, phase)

    def proposal(self, event, title="Fler cykelbanor", author=None) -> int:
        return submit_proposal(event.id, author or new_id(), title, "", new_id())["proposal"]["id"]

    def _socket(self, http, csrf, event) -> Socket:
        self.sockets.append(Socket(self.app, http, {"csrf_token": csrf, "event": event.id}))
        assert self.sockets[-1].connected
        return self.sockets[-1]

    def staff_socket(self, event) -> Socket:
        return self._socket(self.fac, self.fac_csrf, event)

    def phone(self, event):
        http = self.app.test_client()
        http.csrf = join(http, event)
        return http

    def phone_socket(self, event, http=None) -> Socket:
        http = http or self.phone(event)
        return self._socket(http, http.csrf, event)

    def scribe(self, event):
        """A phone that scanned table 1's scribe card."""
        http = self.app.test_client()
        secret = event.tables[0].scribe_token
        landing = http.get(f"/j/{event.code}/bord/1/skrivare/{secret}")
        assert landing.status_code == 303
        http.csrf = csrf_from(http.get(landing.headers["Location"]).get_data(as_text=True))
        return http

    def group(self):
        """A referensgrupp with a member who joined on a phone, and a meeting."""
        group = self.event(kind="referensgrupp")
        invited = members.add_member(self.staff.facilitator, group.id, "Anna Andersson")
        http = self.app.test_client()
        token = invited["invite_token"]
        asked = csrf_from(http.get(f"/i/{token}").get_data(as_text=True))
        joined = http.post(f"/i/{token}", data={"csrf_token": asked})
        assert joined.status_code == 303
        http.csrf = csrf_from(http.get(joined.headers["Location"]).get_data(as_text=True))
        meeting = members.add_meeting(self.staff.facilitator, group.id, "Möte ett",
                                      "2030-05-04T18:00")["meeting"]["id"]
        return group, http, invited["member"]["id"], meeting

    def close(self):
        for socket in self.sockets:
            socket.disconnect()


@pytest.fixture
def kit(app, staff, make_event):
    built = Kit(app, staff, make_event)
    yield built
    built.close()


# --- the socket commands: (the socket to send on, a payload the command accepts) -----------


def _phone_on(kit, base, **event):
    return kit.phone_socket(kit.event(**event)), base


def _staff_on(kit, base, **event):
    return kit.staff_socket(kit.event(**event)), base


def _voter(kit, voted=False):
    """A phone at a dot vote, and a proposal (which it has voted for, if `voted`)."""
    event = kit.event(voting=DOTS)
    proposal = kit.proposal(event)
    kit.to(event, "vote")
    phone = kit.phone(event)
    if voted:
        assert phone.post(f"/api/v1/proposals/{proposal}/votes", json={"client_id": new_id()},
                          headers={"X-CSRFToken": phone.csrf}).status_code == 201
    return event, phone, proposal


def _proposals(kit, how="visible"):
    """An event with two proposals, the first of them pending, visible or hidden."""
    event = kit.event(moderation="pre" if how == "pending" else "post")
    first, second = kit.proposal(event, "Cykelbanor"), kit.proposal(event, "Fler träd")
    if how == "hidden":
        hide_proposal(kit.staff.facilitator, first, "Utanför frågan")
    return event, first, second


def _on_proposals(kit, make, how="visible"):
    event, first, second = _proposals(kit, how)
    return kit.staff_socket(event), make(first, second)


def _merge(kit):
    event, first, second = _proposals(kit)
    merge = merge_proposals(kit.staff.facilitator, second, first, "Samma förslag")
    return event, merge["merge"]["id"]


def _in_group(kit, make, as_member=False):
    group, phone, member, meeting = kit.group()
    socket = kit.phone_socket(group, phone) if as_member else kit.staff_socket(group)
    return socket, make(member, meeting)


def _budget_measure(kit) -> int:
    return create_measure(kit.staff.reviewer, {"title": "Solceller på skolor",
                                               "investment_sek": 400_000})["measure"]["id"]


def _budget_phone(kit):
    """A phone at a budget ballot in the vote phase, and the ballot's one measure."""
    measure = _budget_measure(kit)
    event = kit.event(phase="vote", voting={"method": "budget", "budget_sek": 1_000_000,
                                            "measure_ids": [measure]})
    return event, kit.phone(event), measure


def _scribe(kit, base):
    event = kit.event(tables=2)
    return kit.phone_socket(event, kit.scribe(event)), base


SOCKET_CASES = {
    "snapshot": lambda k: _phone_on(k, {}),
    "submit_proposal": lambda k: _phone_on(k, {"title": "Fler träd", "client_id": new_id()}),
    "vote": lambda k: (lambda e, phone, p: (k.phone_socket(e, phone), {
        "proposal_id": p, "client_id": new_id(), "dots": 1}))(*_voter(k)),
    "withdraw_vote": lambda k: (lambda e, phone, p: (k.phone_socket(e, phone), {
        "proposal_id": p}))(*_voter(k, voted=True)),
    "budget_ballot": lambda k: (lambda e, phone, m: (k.phone_socket(e, phone), {
        "measure_ids": [m], "client_id": new_id()}))(*_budget_phone(k)),
    "similar": lambda k: _phone_on(k, {"title": "Cykelbanor överallt"}),
    "choose_table": lambda k: _phone_on(k, {"table": 1}, tables=2),
    "scribe_proposal": lambda k: _scribe(k, {"title": "Bordets förslag"}),
    "set_show_name": lambda k: _in_group(k, lambda _m, _t: {"show": True}, as_member=True),
    "set_phase": lambda k: _staff_on(k, {"phase": "vote"}),
    "set_timer": lambda k: _staff_on(k, {"seconds": 60}),
    "reveal_tallies": lambda k: _staff_on(k, {"revealed": True}),
    "set_show_themes": lambda k: _staff_on(k, {"show": True}),
    "set_tables": lambda k: _staff_on(k, {"count": 3}),
    "new_scribe_card": lambda k: _staff_on(k, {"table": 1}, tables=2),
    "set_schedule": lambda k: _staff_on(k, {"opens_at": None, "closes_at": "2090-01-01T10:00"}),
    "set_questions": lambda k: _staff_on(k, {"questions": ["Hur?"]}),
    "add_paper_proposal": lambda k: _staff_on(k, {"title": "Från papper", "table": 1}, tables=2),
    "set_hand_count": lambda k: _on_proposals(k, lambda p, _q: {"proposal_id": p, "count": 3}),
    "approve_proposal": lambda k: _on_proposals(k, lambda p, _q: {"proposal_id": p},
                                                how="pending"),
    "hide_proposal": lambda k: _on_proposals(k, lambda p, _q: {"proposal_id": p,
                                                               "reason": "Olämpligt"}),
    "restore_proposal": lambda k: _on_proposals(k, lambda p, _q: {"proposal_id": p},
                                                how="hidden"),
    "edit_proposal": lambda k: _on_proposals(k, lambda p, _q: {
        "proposal_id": p, "title": "Nytt namn", "reason": "Stavning"}),
    "merge_proposals": lambda k: _on_proposals(k, lambda p, q: {"source_id": q,
                                                                "target_id": p}),
    "undo_merge": lambda k: (lambda e, m: (k.staff_socket(e), {"merge_id": m}))(*_merge(k)),
    "add_member": lambda k: _in_group(k, lambda _m, _t: {"name": "Bo Berg"}),
    "revoke_member": lambda k: _in_group(k, lambda m, _t: {"member_id": m}),
    "reissue_invitation": lambda k: _in_group(k, lambda m, _t: {"member_id": m}),
    "add_meeting": lambda k: _in_group(k, lambda _m, _t: {"title": "Möte två",
                                                          "starts_at": "2030-06-01T18:00"}),
    "set_attendance": lambda k: _in_group(k, lambda m, t: {"meeting_id": t, "member_id": m,
                                                           "present": True}),
}


# --- the REST routes with a body: (browser, headers, path values, payloads it accepts) ------


@dataclass
class Rest:
    http: object
    headers: dict
    path: dict = field(default_factory=dict)
    bases: list = field(default_factory=list)


def _as_staff(kit, *bases, **path) -> Rest:
    return Rest(kit.app.test_client(), kit.admin, path, list(bases))


def _as_phone(http, *bases, **path) -> Rest:
    return Rest(http, {"X-CSRFToken": http.csrf}, path, list(bases))


def _event_route(kit, *bases, **event) -> Rest:
    return _as_staff(kit, *bases, event_id=kit.event(**event).id)


def _proposal_route(kit, *bases, how="visible") -> Rest:
    _event, first, _second = _proposals(kit, how)
    return _as_staff(kit, *bases, proposal_id=first)


def _resident_route(kit, *bases, **event) -> Rest:
    event = kit.event(**event)
    return _as_phone(kit.phone(event), *bases, event_id=event.id)


def _measure_route(kit, *bases) -> Rest:
    measure = create_measure(kit.staff.reviewer, {"title": "Solceller på skolor"})
    return _as_staff(kit, *bases, measure_id=measure["measure"]["id"])


def _link_route(kit) -> Rest:
    _event, first, _second = _proposals(kit)
    measure = create_measure(kit.staff.reviewer, {"title": "Solceller"})["measure"]["id"]
    return _as_staff(kit, {"kind": "created_from"}, {"kind": "supports", "measure_id": measure},
                     {"kind": "out_of_scope", "reason": "Statens ansvar"}, proposal_id=first)


def _logged_in(kit, *bases) -> Rest:
    """A logged-in admin's browser: creating API tokens takes a login, not a token."""
    http = kit.app.test_client()
    login(http, kit.staff.admin)
    csrf = csrf_from(http.get("/account/tokens").get_data(as_text=True))
    return Rest(http, {"X-CSRFToken": csrf}, {}, list(bases))


def _invitation_route(kit) -> Rest:
    group = kit.event(kind="referensgrupp")
    token = members.add_member(kit.staff.facilitator, group.id, "Cia")["invite_token"]
    http = kit.app.test_client()  # a fresh phone: no cookie yet, so the page's token
    http.csrf = csrf_from(http.get(f"/i/{token}").get_data(as_text=True))
    return _as_phone(http, {"token": token})


def _poll_route(kit, live=True) -> Rest:
    """A phone on an event with a (live) quick poll, and the poll's id."""
    from participation.activities import plan
    event = kit.event(phase="collect")
    poll = plan.add_activity(kit.staff.facilitator, event.id, {
        "kind": "poll", "title": "Hur reser du?", "options": ["Cykel", "Buss", "Bil"],
        "multiple": True})["activity"]["id"]
    if live:
        plan.start_activity(kit.staff.facilitator, event.id, poll)
    return _as_phone(kit.phone(event), {"choices": [0], "client_id": new_id()},
                     activity_id=poll)


def _panel_question(kit):
    """A phone on an event whose questions to the panel are live, and a question it asked."""
    from participation.activities import plan
    event = kit.event(phase="collect")
    activity = plan.add_activity(kit.staff.facilitator, event.id, {
        "kind": "questions", "title": "Frågor till panelen"})["activity"]["id"]
    plan.start_activity(kit.staff.facilitator, event.id, activity)
    phone = kit.phone(event)
    asked = phone.post(f"/api/v1/activities/{activity}/responses",
                       json={"text": "När byggs cykelbanan?", "client_id": new_id()},
                       headers={"X-CSRFToken": phone.csrf})
    assert asked.status_code == 200, asked.get_json()
    return phone, asked.get_json()["question"]["id"]


def _plan_route(kit, *bases) -> Rest:
    """Staff on an event with a poll nobody has answered yet, and the poll's id."""
    from participation.activities import plan
    event = kit.event(phase="collect")
    poll = plan.add_activity(kit.staff.facilitator, event.id, {
        "kind": "poll", "title": "Hur reser du?", "options": ["Cykel", "Buss"]})
    return _as_staff(kit, *bases, event_id=event.id, activity_id=poll["activity"]["id"])


def _copy_source(kit) -> int:
    """An event with a plan to copy from."""
    return _plan_route(kit).path["event_id"]


def _word_cloud(kit) -> int:
    from participation.activities import plan
    event = kit.event(phase="collect")
    return plan.add_activity(kit.staff.facilitator, event.id, {
        "kind": "words", "title": "Vad tar du med dig?"})["activity"]["id"]


def _like_route(kit) -> Rest:
    phone, question = _panel_question(kit)
    return _as_phone(phone, {"client_id": new_id()}, question_id=question)


REST_CASES = {
    "api.add_activity": lambda k: _event_route(k, {"kind": "poll", "title": "Hur reser du?",
                                                   "options": ["Cykel", "Buss"]}),
    "api.respond": _poll_route,
    "api.move_activity": lambda k: _plan_route(k, {"position": 2}),
    "api.edit_activity": lambda k: _plan_route(k, {"title": "Hur reser du hit?"},
                                               {"options": ["Tåg", "Buss"], "multiple": True}),
    "api.copy_plan": lambda k: _as_staff(k, {"from_event_id": _copy_source(k)},
                                         event_id=k.event(phase="collect").id),
    "api.like_question": _like_route,
    "api.unlike_question": _like_route,
    "api.hide_word": lambda k: _as_staff(k, {"stem": "buss", "hidden": True},
                                         activity_id=_word_cloud(k)),
    "api.question_status": lambda k: _as_staff(k, {"status": "hidden"}, {"status": "live"},
                                               question_id=_panel_question(k)[1]),
    "api.create_event": lambda k: _as_staff(k, {"title": "Ny verkstad", "prompt": "Hur?",
                                                "kind": "radslag",
                                                "voting": {"method": "approval"}},
                                            {"title": "Budget", "prompt": "Vad köper vi?",
                                             "kind": "radslag",
                                             "voting": {"method": "budget",
                                                        "budget_sek": 1_000_000,
                                                        "measure_ids": [_budget_measure(k)]}}),
    "api.budget_ballot": lambda k: (lambda e, phone, m: _as_phone(
        phone, {"measure_ids": [m], "client_id": new_id()}, event_id=e.id))(*_budget_phone(k)),
    "api.set_phase": lambda k: _event_route(k, {"phase": "vote"}),
    "api.add_paper_proposal": lambda k: _event_route(k, {"title": "Från papper", "table": 1},
                                                     tables=2),
    "api.add_scribe_proposal": lambda k: (lambda e: _as_phone(
        k.scribe(e), {"title": "Bordets förslag"}, event_id=e.id))(k.event(tables=2)),
    "api.set_hand_count": lambda k: _proposal_route(k, {"count": 3}),
    "api.set_tables": lambda k: _event_route(k, {"count": 3}),
    "api.new_scribe_card": lambda k: _event_route(k, {"table": 1}, tables=2),
    "api.choose_table": lambda k: _resident_route(k, {"table": 1}, tables=2),
    "api.reveal": lambda k: _event_route(k, {"revealed": True}),
    "api.set_show_themes": lambda k: _event_route(k, {"show": True}),
    "api.set_timer": lambda k: _event_route(k, {"seconds": 60}),
    "api.set_schedule": lambda k: _event_route(k, {"closes_at": "2090-01-01T10:00"}),
    "api.set_questions": lambda k: _event_route(k, {"questions": ["Hur?"]}),
    "api.set_languages": lambda k: _event_route(k, {"languages": ["sv", "ar"],
                                                    "projector_language": "ar",
                                                    "texts": {"ar": {"title": "عنوان",
                                                                     "prompt": "سؤال"}}}),
    "api.submit_proposal": lambda k: _resident_route(k, {"title": "Träd",
                                                         "client_id": new_id()}),
    "api.vote": lambda k: (lambda _e, phone, p: _as_phone(
        phone, {"client_id": new_id(), "dots": 1}, proposal_id=p))(*_voter(k)),
    "api.withdraw": lambda k: (lambda _e, phone, p: _as_phone(phone, {}, proposal_id=p))(
        *_voter(k, voted=True)),
    "api.hide": lambda k: _proposal_route(k, {"reason": "Olämpligt"}),
    "api.restore": lambda k: _proposal_route(k, {}, how="hidden"),
    "api.edit_proposal": lambda k: _proposal_route(k, {"title": "Nytt", "reason": "Stavning"}),
    "api.merge_proposals": lambda k: (lambda e, p, q: _as_staff(
        k, {"source_id": q, "target_id": p}, event_id=e.id))(*_proposals(k)),
    "api.undo_merge": lambda k: (lambda _e, m: _as_staff(k, {"reason": "Inte samma"},
                                                         merge_id=m))(*_merge(k)),
    "api.add_member": lambda k: _event_route(k, {"name": "Bo Berg"}, kind="referensgrupp"),
    "api.add_meeting": lambda k: _event_route(k, {"title": "Möte", "starts_at": "2030-05-04"},
                                              kind="referensgrupp"),
    "api.add_team_member": lambda k: _event_route(k, {"email": k.staff.reviewer.email,
                                                      "role": "moderator"}),
    "api.set_attendance": lambda k: (lambda _g, _p, m, t: _as_staff(
        k, {"present": True}, meeting_id=t, member_id=m))(*k.group()),
    "api.accept_invitation": _invitation_route,
    "api.set_show_name": lambda k: (lambda g, phone, _m, _t: _as_phone(
        phone, {"show": True}, event_id=g.id))(*k.group()),
    "api.create_measure": lambda k: _as_staff(k, {"title": "Solceller"}),
    "api.update_measure": lambda k: _measure_route(k, {"title": "Solceller på tak"}),
    "api.change_measure_status": lambda k: _measure_route(k, {"status": "assessing"}),
    "api.link_proposal": _link_route,
    "api.put_review": lambda k: _proposal_route(k, {"status": "reviewing"}),
    "api.post_comment": lambda k: _proposal_route(k, {"body": "Fråga gatukontoret."}),
    "api.create_my_token": lambda k: _logged_in(k, {"name": "Power BI"},
                                                {"name": "Skript", "days": 7}),
}


# --- sending, and checking every answer against its document ----------------------------


class SocketCommand:
    """Sends one command on a socket; each ack must be the document's."""

    def __init__(self, asyncapi, socket, name, found):
        self.asyncapi, self.socket, self.name, self.found = asyncapi, socket, name, found
        self.messages = asyncapi["components"]["messages"]

    def __call__(self, payload):
        ack = self.socket.call(self.name, payload)
        message = f"{self.name}.ack" if ack.get("ok") else "refused"
        self.found += [f"{self.name} ack {ack!r:.120}: {problem}" for problem in
                       problems(self.asyncapi, self.messages[message]["payload"], ack)]
        return ack.get("ok") is True, ack.get("error"), ack.get("field")


class RestCall:
    """Sends one route's body; each answer must be the document's, status and shape."""

    def __init__(self, openapi, route, rest, found):
        self.openapi, self.route, self.rest, self.found = openapi, route, rest, found
        self.path = PARAMETER.sub(lambda m: "{" + m.group(1) + "}", route.rule)
        self.url = "/api/v1" + PARAMETER.sub(lambda m: str(rest.path[m.group(1)]), route.rule)

    def __call__(self, payload):
        response = self.rest.http.open(self.url, method=self.route.method, json=payload,
                                       headers=self.rest.headers)
        if response.status_code >= 500:
            return False, "server_error", None
        answer = response.get_json(silent=True)
        declared = openapi_answer_schema(self.openapi, self.path, self.route.method,
                                         response.status_code)
        if declared is None:
            self.found.append(f"{self.route.endpoint}: {response.status_code} is not listed")
        else:
            self.found += [f"{self.route.endpoint} answer {answer!r:.120}: {problem}"
                           for problem in problems(self.openapi, declared, answer)]
        refusal = answer if response.status_code >= 400 and isinstance(answer, dict) else {}
        return response.status_code < 400, refusal.get("error"), refusal.get("field")

    @property
    def schema(self) -> dict:
        body = self.openapi["paths"][self.path][self.route.method.lower()]["requestBody"]
        return inline(body["content"]["application/json"]["schema"],
                      self.openapi["components"]["schemas"])


def _probe(label: str, schema: dict, bases: list, send) -> list[str]:
    """Break each base one rule at a time; send it whole; its values at the limits; then
    hypothesis' payloads. `send(payload)` answers (accepted, error code, field)."""
    found = []
    for base in bases:
        for broken, payload in breaking(schema, base):
            ok, error, _field = send(payload)
            if ok or error == "server_error":
                found.append(f"{label} [{broken}]: {'accepted' if ok else error}")
        ok, error, _field = send(base)
        if not ok:
            found.append(f"{label}: its allowed payload {base} was refused: {error}")
        for name, at_limit, ordinary in at_the_limits(schema, base):
            ok, error, field_ = send(at_limit)
            if not ok and field_ == name and send(ordinary)[2] != name:
                found.append(f"{label}: {name}={at_limit[name]!r:.40} is allowed but refused: "
                             f"{error}")

    @SETTINGS
    @given(payload=allowed_payloads(schema))
    def allowed(payload):
        ok, error, _field = send(payload)
        assert ok or error not in TYPE_ERRORS, f"{label}: {payload!r:.200} -> {error}"

    try:
        allowed()
    except AssertionError as failure:
        found.append(str(failure).splitlines()[0])
    return found


def test_every_command_and_route_with_a_body_has_a_case():
    assert set(SOCKET_CASES) == set(COMMANDS)
    assert set(REST_CASES) == {route.endpoint for route in ROUTES if route.body is not None}


def test_socket_payloads_are_checked_as_their_declarations_say(app, kit):
    asyncapi = fetch(app, "asyncapi")
    found = []
    for name, case in SOCKET_CASES.items():
        socket, base = case(kit)
        schema = inline(asyncapi["components"]["messages"][name]["payload"],
                        asyncapi["components"]["schemas"])
        found += _probe(name, schema, [base], SocketCommand(asyncapi, socket, name, found))
    assert not found, f"{len(found)} disagreements:\n" + "\n".join(found)


def test_rest_bodies_are_checked_as_their_declarations_say(app, kit):
    openapi = fetch(app, "openapi")
    routes = {route.endpoint: route for route in ROUTES}
    found = []
    for endpoint, case in REST_CASES.items():
        rest = case(kit)
        call = RestCall(openapi, routes[endpoint], rest, found)
        found += _probe(endpoint, call.schema, rest.bases, call)
    assert not found, f"{len(found)} disagreements:\n" + "\n".join(found)
