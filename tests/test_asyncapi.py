"""The live channel's document (/api/v1/asyncapi.json) against the AsyncAPI 3.0.0 standard and
against the server: every handler and push is in it, and a real session's acks, pushes and
connect refusals match its messages."""

import copy
import inspect
import re

import pytest
from flask_socketio import ConnectionRefusedError
from flask_wtf.csrf import generate_csrf

from participation.extensions import socketio
from participation.live.socket import connect
from participation.live.socket.commands import COMMANDS
from participation.live.socket.pushes import PUSHES

from .support.budget import add_measures, budget_voting
from .support.documents import asyncapi_meta_schema, fetch, problems, refs, resolve
from .support.sockets import new_id


@pytest.fixture
def asyncapi(app):
    return fetch(app, "asyncapi")


def test_the_document_is_asyncapi_3(asyncapi):
    standard = asyncapi_meta_schema()
    assert not [error.message for error in standard.iter_errors(asyncapi)]
    for ref in set(refs(asyncapi)):
        assert resolve(asyncapi, ref) is not None, ref
    # The check is a real one: a push that names no channel is refused.
    broken = copy.deepcopy(asyncapi)
    del broken["operations"]["push.proposal"]["channel"]
    assert not standard.is_valid(broken)


def test_the_document_names_every_command_and_push(asyncapi):
    operations = asyncapi["operations"]
    for name, command in COMMANDS.items():
        operation = operations[name]
        assert (operation["action"], operation["x-who"]) == ("receive", command.who), name
        assert operation["reply"]["messages"] == [
            {"$ref": f"#/channels/socket/messages/{name}.ack"},
            {"$ref": "#/channels/socket/messages/refused"}]
    for name, push in PUSHES.items():
        operation = operations[f"push.{name}"]
        room = "socket" if push.room == "connection" else push.room
        assert (operation["action"], operation["channel"]) == (
            "send", {"$ref": f"#/channels/{room}"}), name
        payload = asyncapi["components"]["messages"][f"push.{name}"]["payload"]
        assert payload, name
    assert len(operations) == 1 + len(COMMANDS) + len(PUSHES)  # and the connect


def test_every_socket_handler_is_a_command_of_the_document(app, asyncapi):
    handlers = set(socketio.server.handlers["/"]) - {"connect", "disconnect"}
    assert handlers == set(COMMANDS)
    assert handlers <= set(asyncapi["operations"])


def test_connect_refusals_are_the_documents(app, asyncapi, make_event):
    refusal = asyncapi["components"]["messages"]["connect_error"]["payload"]
    codes = re.findall(r'_refused\(\s*"(\w+)"', inspect.getsource(connect))
    assert set(codes) == set(connect.REFUSALS)
    event = make_event()
    app.config.update(SOCKET_RATELIMIT_ENABLED=True, SOCKET_CONNECT_BURST_PER_IP=4,
                      SOCKET_CONNECT_RATE_PER_IP=0.1)
    seen = set()
    with app.test_request_context("/socket.io/"):
        token = generate_csrf()
        for auth in ({}, {"csrf_token": token, "event": 2**31 - 1},
                     {"csrf_token": token, "event": event.id}, {}, {}):
            with pytest.raises(ConnectionRefusedError) as refused:
                connect.on_connect(auth)
            assert not problems(asyncapi, refusal, refused.value.error_args)
            seen.add(refused.value.error_args["data"]["error"])
    assert seen == {"csrf_failed", "event_not_found", "not_joined", "rate_limited"}


def _follow_code(ack) -> str:
    return ack["follow_url"].rsplit("/", 1)[1]


def test_a_session_acks_and_pushes_as_the_document_says(app, asyncapi, room, staff):
    messages = asyncapi["components"]["messages"]
    acks = []

    def call(socket, name, payload):
        ack = socket.call(name, payload)
        acks.append((name, ack))
        return ack

    measures = add_measures()  # before any socket: the test's own session then writes alone
    workshop = room()
    console = workshop.facilitator()
    phone = workshop.phone()
    call(console, "set_tables", {"count": 2})
    call(phone, "choose_table", {"table": 1})
    call(phone, "choose_table", {"table": 9})
    first = call(phone, "submit_proposal", {"title": "Fler cykelbanor i centrum",
                                            "client_id": new_id()})
    second = call(phone, "submit_proposal", {"title": "Cykelbanor i centrum",
                                             "client_id": new_id()})
    call(phone, "submit_proposal", {"title": " ", "client_id": new_id()})
    ids = [first["proposal"]["id"], second["proposal"]["id"]]
    call(phone, "similar", {"title": "cykelbanor centrum"})
    call(console, "set_questions", {"questions": ["Hur reser vi?"]})
    call(console, "set_schedule", {"closes_at": "2090-01-01T10:00"})
    call(console, "set_timer", {"seconds": 60})
    call(console, "reveal_tallies", {})
    call(console, "set_show_themes", {"show": True})
    from participation.events.languages import set_languages
    set_languages(staff.facilitator, workshop.id, ["sv", "fi", "ar"], "ar")  # the languages push
    merged = call(console, "merge_proposals", {"source_id": ids[1], "target_id": ids[0]})
    call(console, "undo_merge", {"merge_id": merged["merge"]["id"]})
    call(console, "hide_proposal", {"proposal_id": ids[1]})
    call(console, "hide_proposal", {"proposal_id": ids[1], "reason": "Dubblett"})
    call(console, "restore_proposal", {"proposal_id": ids[1]})
    call(phone, "set_phase", {"phase": "vote"})
    call(console, "set_phase", {"phase": "vote"})
    call(phone, "vote", {"proposal_id": ids[0], "client_id": new_id()})
    call(phone, "vote", {"proposal_id": ids[0], "client_id": new_id()})
    call(phone, "withdraw_vote", {"proposal_id": ids[0]})
    call(phone, "vote", {"proposal_id": ids[1], "client_id": new_id()})
    call(console, "set_phase", {"phase": "results"})
    call(phone, "snapshot", {})
    call(console, "snapshot", None)
    erased = phone.http.post(f"/api/v1/follow/{_follow_code(first)}/erase",
                             headers={"X-CSRFToken": phone.http.csrf})
    assert erased.status_code == 200
    group = room(kind="referensgrupp")
    group_console = group.facilitator()
    member = call(group_console, "add_member", {"name": "Anna Andersson"})
    meeting = call(group_console, "add_meeting", {"title": "Möte", "starts_at": "2030-05-04"})
    call(group_console, "set_attendance", {"meeting_id": meeting["meeting"]["id"],
                                           "member_id": member["member"]["id"],
                                           "present": True})
    call(group_console, "revoke_member", {"member_id": member["member"]["id"]})
    budget = room(phase="vote", voting=budget_voting(measures))
    budget_console, budget_phone = budget.facilitator(), budget.phone()
    call(budget_phone, "budget_ballot", {"measure_ids": measures[:2], "client_id": new_id()})
    call(budget_phone, "budget_ballot", {"measure_ids": measures, "client_id": new_id()})
    call(budget_console, "set_phase", {"phase": "results"})
    call(budget_phone, "snapshot", {})
    call(budget_console, "snapshot", {})
    # A quick poll (docs/activities.md): the activity push, the staff's bars, the snapshots.
    from participation.activities import panel, plan
    polled = room(phase="collect")
    poll_console, poll_phone = polled.facilitator(), polled.phone()
    activity = plan.add_activity(staff.facilitator, polled.id, {
        "kind": "poll", "title": "Hur reser du?", "options": ["Cykel", "Buss"],
        "show_results": True})["activity"]["id"]
    plan.start_activity(staff.facilitator, polled.id, activity)
    answered = poll_phone.http.post(f"/api/v1/activities/{activity}/responses",
                                    json={"choices": [1], "client_id": new_id()},
                                    headers={"X-CSRFToken": poll_phone.http.csrf})
    assert answered.status_code == 200 and plan.live_kind(polled.id, "poll") is not None
    call(poll_phone, "snapshot", {})
    call(poll_console, "snapshot", {})
    # Questions to the panel, then the evaluation, in one room: their pushes and snapshots.
    asking = room(phase="collect")
    panel_console, panel_phone = asking.facilitator(), asking.phone()
    later = {"X-CSRFToken": panel_phone.http.csrf}
    questions, evaluation = (plan.add_activity(staff.facilitator, asking.id, body)["activity"]["id"]
                             for body in ({"kind": "questions", "title": "Frågor till panelen"},
                                          {"kind": "evaluation"}))
    plan.start_activity(staff.facilitator, asking.id, questions)
    asked = panel_phone.http.post(f"/api/v1/activities/{questions}/responses", headers=later,
                                  json={"text": "När byggs cykelbanan?", "client_id": new_id()})
    question = asked.get_json()["question"]["id"]
    liked = panel_phone.http.post(f"/api/v1/questions/{question}/likes", headers=later,
                                  json={"client_id": new_id()})
    assert (asked.status_code, liked.status_code) == (200, 200)
    panel.set_status(staff.facilitator, question, "live")
    call(panel_phone, "snapshot", {})
    call(panel_console, "snapshot", {})
    cloud = plan.add_activity(staff.facilitator, asking.id, {
        "kind": "words", "title": "Vad tar du med dig?"})["activity"]["id"]
    plan.start_activity(staff.facilitator, asking.id, cloud)
    sent = panel_phone.http.post(f"/api/v1/activities/{cloud}/responses", headers=later,
                                 json={"words": ["Buss", "Hopp"], "client_id": new_id()})
    assert sent.status_code == 200
    call(panel_phone, "snapshot", {})
    call(panel_console, "snapshot", {})
    plan.start_activity(staff.facilitator, asking.id, evaluation)
    rated = panel_phone.http.post(f"/api/v1/activities/{evaluation}/responses", headers=later,
                                  json={"ratings": {"overall": 4}, "client_id": new_id()})
    assert rated.status_code == 200
    call(panel_phone, "snapshot", {})
    call(panel_console, "snapshot", {})

    found = []
    for name, ack in acks:
        message = f"{name}.ack" if ack.get("ok") else "refused"
        found += [f"{name} {ack}: {p}" for p in problems(asyncapi, messages[message]["payload"],
                                                         ack)]
    pushed = [(name, data)
              for socket in (console, phone, group_console, budget_console, budget_phone,
                             poll_console, poll_phone, panel_console, panel_phone)
              for name in PUSHES for data in socket.received(name)]
    for name, data in pushed:
        found += [f"push {name} {data!r:.200}: {p}"
                  for p in problems(asyncapi, messages[f"push.{name}"]["payload"], data)]
    assert not found, "\n".join(found)
    assert {ack["ok"] for _name, ack in acks} == {True, False}
    assert {name for name, _data in pushed} == set(PUSHES)
    assert any(data["proposal"].get("erased") for name, data in pushed if name == "proposal")
