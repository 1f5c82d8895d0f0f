"""Socket.IO handlers through Flask-SocketIO's test client: connect, acks, pushes, permissions."""

import pytest
from sqlalchemy import func, select

from participation.events.models import Event
from participation.extensions import db
from participation.proposals.models import Proposal, Vote

from .conftest import csrf_from
from .support.sockets import new_id

API = "/api/v1"
DOTS = {"method": "dots", "dots": 5, "max_per_proposal": 3}



def version(event_id) -> int:
    db.session.rollback()  # end the test's read snapshot: see what the handlers committed
    return db.session.scalar(select(Event.version).where(Event.id == event_id))


def stored_tallies(event_id) -> dict:
    db.session.rollback()
    rows = db.session.execute(
        select(Vote.proposal_id, func.count(Vote.id), func.sum(Vote.dots))
        .join(Proposal, Proposal.id == Vote.proposal_id)
        .where(Vote.event_id == event_id, Proposal.status == "visible")
        .group_by(Vote.proposal_id)
    )
    return {str(pid): {"votes": people, "dots": dots} for pid, people, dots in rows}


def count(model, *where) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def without_replayed(ack: dict) -> dict:
    return {k: v for k, v in ack.items() if k != "replayed"}


# --- connecting --------------------------------------------------------------------------------


def test_connect_gets_a_snapshot_with_version(room):
    workshop = room()
    writer = workshop.phone()
    proposal_id = workshop.propose(writer, "Solceller på skolan")
    phone = workshop.phone()
    assert phone.connected
    (snapshot,) = phone.received("snapshot")
    assert snapshot["version"] == version(workshop.id)
    assert snapshot["event"]["id"] == workshop.id
    assert snapshot["event"]["phase"] == "collect"
    assert [p["id"] for p in snapshot["proposals"]] == [proposal_id]
    assert snapshot["me"]["joined"] is True
    assert snapshot["me"]["proposal_ids"] == []
    assert "tallies" not in snapshot  # the live tallies are for the staff room


def test_reconnect_gets_a_newer_snapshot(room):
    workshop = room()
    phone = workshop.phone()
    first = phone.received("snapshot")[0]
    proposal_id = workshop.propose(phone)
    phone.disconnect()
    again = workshop.connect(phone.http, {"csrf_token": phone.http.csrf, "event": workshop.id})
    latest = again.received("snapshot")[0]
    assert latest["version"] > first["version"]
    assert latest["me"]["proposal_ids"] == [proposal_id]


def test_snapshot_can_be_asked_for(room):
    workshop = room()
    phone = workshop.phone()
    workshop.propose(phone)
    ack = phone.call("snapshot", {})
    assert ack["ok"] is True
    assert ack["state"]["version"] == version(workshop.id)
    assert len(ack["state"]["proposals"]) == 1


def test_staff_snapshot_has_tallies_and_the_number_connected(room):
    workshop = room()
    workshop.phone()
    staff_socket = workshop.facilitator()
    (snapshot,) = staff_socket.received("snapshot")
    assert snapshot["tallies"] == {}
    assert snapshot["voters"] == 0
    assert snapshot["connected"] >= 1
    assert "me" not in snapshot


@pytest.mark.parametrize("auth", [
    None, {}, {"csrf_token": "forged"}, {"csrf_token": None}, "not-a-dict",
])
def test_connect_without_a_valid_csrf_token_is_refused(room, auth):
    workshop = room()
    http = workshop.phone(connect=False)
    if isinstance(auth, dict):
        auth = auth | {"event": workshop.id}
    socket = workshop.connect(http, auth)
    assert not socket.connected
    assert not [p for p in socket.client.queue if p["name"] == "snapshot"]
    # the same browser with its page's token is let in
    assert workshop.connect(http, {"csrf_token": http.csrf, "event": workshop.id}).connected


def test_connect_without_a_session_is_refused(room, app):
    workshop = room()
    stranger = app.test_client()  # has a CSRF token, but never opened /j/<code>
    csrf = csrf_from(stranger.get("/").get_data(as_text=True))
    assert not workshop.connect(stranger, {"csrf_token": csrf, "event": workshop.id}).connected
    assert not workshop.connect(app.test_client(), {"event": workshop.id}).connected


def test_facilitator_of_another_event_is_not_staff_there(room, staff):
    workshop = room()
    other = workshop.facilitator(staff.other)  # logged in, but neither owner nor joined
    assert not other.connected


# --- writes and acks --------------------------------------------------------------------------


def test_submit_proposal_ack(room):
    workshop = room()
    phone = workshop.phone()
    area = workshop.event.focus_areas[0]
    ack = phone.call("submit_proposal", {"title": "  Bilfria söndagar ", "body": "En gång i mån.",
                                         "focus_area_id": area.id, "client_id": new_id()})
    assert ack["ok"] is True
    assert ack["proposal"]["title"] == "Bilfria söndagar"
    assert ack["proposal"]["focus_area"] == area.name
    assert ack["version"] == version(workshop.id)
    assert count(Proposal, Proposal.event_id == workshop.id) == 1


def test_submit_retry_with_same_client_id_gives_same_ack_and_counts_once(room):
    workshop = room()
    phone, other = workshop.phone(), workshop.phone()
    other.forget()
    payload = {"title": "Laddstolpar", "client_id": new_id()}
    first, again = phone.call("submit_proposal", payload), phone.call("submit_proposal", payload)
    assert first["ok"] and again["ok"]
    assert without_replayed(again) == without_replayed(first)
    assert count(Proposal) == 1
    assert len(other.received("proposal")) == 1


def test_vote_and_withdraw_acks(room):
    workshop = room()
    phone = workshop.phone()
    proposal_id = workshop.propose(phone)
    workshop.to("vote")
    ack = phone.call("vote", {"proposal_id": proposal_id, "client_id": new_id()})
    assert ack["ok"] is True
    assert ack["proposal_id"] == proposal_id
    assert ack["ballot"]["votes"] == {str(proposal_id): 1}
    assert ack["version"] == version(workshop.id)
    assert stored_tallies(workshop.id) == {str(proposal_id): {"votes": 1, "dots": 1}}

    ack = phone.call("withdraw_vote", {"proposal_id": proposal_id, "client_id": new_id()})
    assert ack["ok"] is True
    assert ack["ballot"]["votes"] == {}
    assert stored_tallies(workshop.id) == {}


def test_dots_vote_ack_shows_what_is_left(room):
    workshop = room(voting=DOTS)
    phone = workshop.phone()
    a, b = workshop.propose(phone, "A"), workshop.propose(phone, "B")
    workshop.to("vote")
    first = phone.call("vote", {"proposal_id": a, "dots": 3, "client_id": new_id()})
    second = phone.call("vote", {"proposal_id": b, "dots": 1, "client_id": new_id()})
    assert first["ballot"]["remaining"] == 2
    assert second["ballot"] == {"votes": {str(a): 3, str(b): 1}, "spent": 4, "remaining": 1}


def test_vote_retry_with_same_client_id_counts_once(room):
    workshop = room(voting=DOTS)
    phone = workshop.phone()
    proposal_id = workshop.propose(phone)
    workshop.to("vote")
    staff_socket = workshop.facilitator()
    payload = {"proposal_id": proposal_id, "dots": 2, "client_id": new_id()}
    first, again = phone.call("vote", payload), phone.call("vote", payload)
    assert first["ok"] and again["ok"]
    assert without_replayed(again) == without_replayed(first)
    assert stored_tallies(workshop.id) == {str(proposal_id): {"votes": 1, "dots": 2}}
    assert staff_socket.received("tallies")[-1]["tallies"] == stored_tallies(workshop.id)


def test_a_refused_write_pushes_nothing(room):
    workshop = room()
    phone, other = workshop.phone(), workshop.phone()
    proposal_id = workshop.propose(phone)
    staff_socket = workshop.facilitator()
    other.forget()
    staff_socket.forget()
    before = version(workshop.id)
    ack = phone.call("vote", {"proposal_id": proposal_id, "client_id": new_id()})
    assert ack["ok"] is False
    assert ack["error"] == "wrong_phase"
    assert other.received() == [] and staff_socket.received() == []
    assert version(workshop.id) == before


# --- pushes ---------------------------------------------------------------------------------


def test_another_phone_receives_the_proposal_push(room):
    workshop = room()
    writer, reader = workshop.phone(), workshop.phone()
    reader.forget()
    ack = writer.call("submit_proposal", {"title": "Fler parkbänkar", "client_id": new_id()})
    (push,) = reader.received("proposal")
    # The writer's ack has the author's view; everyone else gets the public one, which has
    # neither the hidden reason nor the merge target a shown proposal does not need.
    author_only = ("hidden_reason", "merged_into", "merged_into_number")
    assert push["proposal"] == {k: v for k, v in ack["proposal"].items() if k not in author_only}
    assert push["version"] == ack["version"]


def test_phones_of_another_event_hear_nothing(room):
    here, elsewhere = room(), room()
    writer, stranger = here.phone(), elsewhere.phone()
    stranger.forget()
    here.propose(writer)
    here.to("vote")
    assert stranger.received() == []


def test_staff_receives_tallies_after_a_vote_and_phones_do_not(room):
    workshop = room()
    phone, other = workshop.phone(), workshop.phone()
    proposal_id = workshop.propose(phone)
    workshop.to("vote")
    staff_socket = workshop.facilitator()
    staff_socket.forget()
    other.forget()
    ack = phone.call("vote", {"proposal_id": proposal_id, "client_id": new_id()})
    tallies = staff_socket.received("tallies")
    assert tallies, "no tallies push to the staff room"
    assert tallies[-1]["tallies"] == {str(proposal_id): {"votes": 1, "dots": 1}}
    assert tallies[-1]["voters"] == 1
    assert tallies[-1]["version"] >= ack["version"]
    assert other.received("tallies") == []


def test_a_vote_over_rest_reaches_the_staff_socket(room):
    workshop = room()
    phone_socket = workshop.phone()
    proposal_id = workshop.propose(phone_socket)
    workshop.to("vote")
    staff_socket = workshop.facilitator()
    staff_socket.forget()
    http = phone_socket.http
    response = http.post(f"{API}/proposals/{proposal_id}/votes", json={"client_id": new_id()},
                         headers={"X-CSRFToken": http.csrf})
    assert response.status_code == 201
    assert staff_socket.received("tallies")[-1]["tallies"] == stored_tallies(workshop.id)


def test_phase_changes_are_pushed_to_phones_and_staff(room, staff):
    workshop = room()
    phone = workshop.phone()
    proposal_id = workshop.propose(phone)
    staff_socket = workshop.facilitator()
    phone.forget()
    staff_socket.forget()
    http = staff_socket.http
    response = http.post(f"{API}/events/{workshop.id}/phase", json={"phase": "vote"},
                         headers=staff.auth(staff.facilitator))
    assert response.status_code == 200
    for socket in (phone, staff_socket):
        (push,) = socket.received("phase")
        assert push == {"version": response.get_json()["version"], "phase": "vote"}

    phone.call("vote", {"proposal_id": proposal_id, "client_id": new_id()})
    workshop.to("results")
    reveal = phone.received("phase")[-1]
    assert reveal["phase"] == "results"
    assert [(r["id"], r["votes"], r["rank"]) for r in reveal["results"]] == [(proposal_id, 1, 1)]


def test_staff_socket_sets_phase_and_hides(room):
    workshop = room()
    phone = workshop.phone()
    proposal_id = workshop.propose(phone)
    staff_socket = workshop.facilitator()
    phone.forget()

    ack = staff_socket.call("set_phase", {"phase": "vote"})
    assert ack["ok"] is True and ack["phase"] == "vote"
    assert phone.received("phase")[-1]["phase"] == "vote"

    ack = staff_socket.call("hide_proposal", {"proposal_id": proposal_id, "reason": "Dubblett"})
    assert ack["ok"] is True
    push = phone.received("proposal")[-1]
    assert push["proposal"] == {"id": proposal_id, "number": 1, "status": "hidden",
                                "hidden_reason": "Dubblett"}
    assert count(Proposal, Proposal.status == "hidden") == 1


def test_staff_socket_errors_come_back_as_error_acks(room):
    workshop = room()
    staff_socket = workshop.facilitator()
    before = version(workshop.id)
    ack = staff_socket.call("set_phase", {"phase": "results"})
    assert (ack["ok"], ack["error"]) == (False, "invalid_transition")
    assert ack["message"]
    assert version(workshop.id) == before


def test_a_phone_cannot_set_phase_or_hide(room):
    workshop = room()
    phone = workshop.phone()
    proposal_id = workshop.propose(phone)
    before = version(workshop.id)
    for name, payload in (("set_phase", {"phase": "vote"}),
                          ("hide_proposal", {"proposal_id": proposal_id, "reason": "Spam"})):
        ack = phone.call(name, payload)
        assert ack["ok"] is False
        assert ack["error"] == "forbidden"
        assert ack["message"]
    assert version(workshop.id) == before
    db.session.rollback()
    assert db.session.get(Event, workshop.id).phase == "collect"
    assert count(Proposal, Proposal.status == "hidden") == 0


def test_push_versions_only_go_up(room):
    workshop = room()
    writer, reader = workshop.phone(), workshop.phone()
    ids = [workshop.propose(writer, f"Förslag {n}") for n in range(3)]
    workshop.to("vote")
    for proposal_id in ids:
        writer.call("vote", {"proposal_id": proposal_id, "client_id": new_id()})
    workshop.to("results")
    versions = [data["version"] for data in reader.received()]
    assert len(versions) == 1 + 3 + 2  # snapshot, three proposals, two phase changes
    assert versions == sorted(set(versions))
    assert versions[-1] == version(workshop.id)


def test_tallies_always_equal_the_stored_votes(room):
    workshop = room(voting=DOTS)
    phones = [workshop.phone() for _ in range(3)]
    ids = [workshop.propose(phones[0], title) for title in ("A", "B", "C")]
    workshop.to("vote")
    staff_socket = workshop.facilitator()
    script = [
        (0, "vote", ids[0], 2), (1, "vote", ids[0], 3), (2, "vote", ids[1], 1),
        (0, "vote", ids[2], 2), (1, "withdraw_vote", ids[0], None), (2, "vote", ids[2], 2),
        (0, "vote", ids[1], 1), (2, "vote", ids[0], 2),
    ]
    for who, action, proposal_id, dots in script:
        payload = {"proposal_id": proposal_id, "client_id": new_id()}
        if dots:
            payload["dots"] = dots
        assert phones[who].call(action, payload)["ok"]
        latest = staff_socket.received("tallies")[-1]
        assert latest["tallies"] == stored_tallies(workshop.id)
        db.session.rollback()
        voters = db.session.scalar(select(func.count(func.distinct(Vote.participant_id))))
        assert latest["voters"] == voters
    assert stored_tallies(workshop.id)[str(ids[0])] == {"votes": 2, "dots": 4}


def test_staff_hears_phones_come_and_go(room):
    workshop = room()
    staff_socket = workshop.facilitator()
    start = staff_socket.received("snapshot")[0]["connected"]
    phone = workshop.phone()
    assert staff_socket.received("presence")[-1]["connected"] == start + 1
    phone.disconnect()
    assert staff_socket.received("presence")[-1]["connected"] == start
