"""Moderation residents can trust: pre-moderation queue, hide, restore, edit, audit trail."""

from sqlalchemy import func, select

from participation.core.errors import OperationError
from participation.extensions import db
from participation.proposals import moderation
from participation.proposals.models import ModerationEntry

from .conftest import csrf_from, login

API = "/api/v1"


def test_pre_moderation_keeps_a_proposal_from_everyone_but_its_author_and_staff(room):
    workshop = room(moderation="pre")
    author, other, projector = workshop.phone(), workshop.phone(), workshop.facilitator()
    other.forget()
    projector.forget()

    ack = author.call("submit_proposal", {"title": "Solceller på skolan", "client_id": "pre-0001"})
    assert ack["ok"] and ack["proposal"]["status"] == "pending"
    assert other.received("proposal") == []
    (staff_push,) = projector.received("staff_proposal")
    assert staff_push["proposal"]["title"] == "Solceller på skolan"

    mine = author.call("snapshot", {})["state"]["proposals"]
    theirs = other.call("snapshot", {})["state"]["proposals"]
    assert [p["status"] for p in mine] == ["pending"] and theirs == []
    phone_page = other.http.get(f"/j/{workshop.code}").get_data(as_text=True)
    assert "Solceller på skolan" not in phone_page

    approved = projector.call("approve_proposal", {"proposal_id": ack["proposal"]["id"]})
    assert approved["ok"], approved
    (public,) = other.received("proposal")
    assert (public["proposal"]["status"], public["proposal"]["title"]) == (
        "visible", "Solceller på skolan")
    assert public["version"] == approved["version"]


def test_votes_only_on_approved_proposals(room):
    workshop = room(moderation="pre")
    author = workshop.phone()
    pending_id = workshop.propose(author, "Väntande förslag")
    workshop.to("vote")
    refused = author.call("vote", {"proposal_id": pending_id, "client_id": "vote-pending-1"})
    # As if there were no such proposal: the answer must not tell a stranger that one waits.
    missing = author.call("vote", {"proposal_id": pending_id + 1000, "client_id": "vote-none-1"})
    assert refused == missing | {"ok": False}
    assert (refused["ok"], refused["error"]) == (False, "proposal_not_found")
    stranger = workshop.phone()
    for name, payload in (("vote", {"client_id": "vote-pending-2"}),
                          ("withdraw_vote", {"client_id": "withdraw-pend-1"})):
        answers = [stranger.call(name, payload | {"proposal_id": pid})
                   for pid in (pending_id, pending_id + 1000)]
        assert answers[0] == answers[1], (name, answers)


def test_hide_restore_edit_are_logged_with_who_when_why(room, staff):
    workshop = room()
    phone = workshop.phone()
    pid = workshop.propose(phone, "Gratis buss för unga")
    fac = staff.facilitator

    moderation.hide_proposal(fac, pid, "Fel aktivitet")
    moderation.restore_proposal(fac, pid, "Det var rätt aktivitet")
    edited = moderation.edit_proposal(fac, pid, "Gratis buss för alla under 20", "",
                                      "Förtydligat efter samtal")
    assert edited["proposal"]["edit_reason"] == "Förtydligat efter samtal"

    log = moderation.moderation_log(workshop.id)
    assert [(e["action"], e["reason"], e["by"]) for e in log] == [
        ("hide", "Fel aktivitet", fac.email),
        ("restore", "Det var rätt aktivitet", fac.email),
        ("edit", "Förtydligat efter samtal", fac.email),
    ]
    assert log[2]["before"]["title"] == "Gratis buss för unga"
    assert log[2]["after"]["title"] == "Gratis buss för alla under 20"
    assert all(e["at"].endswith("Z") for e in log)

    # Residents see that it was edited and why, never a silent change.
    (public,) = [p for p in phone.call("snapshot", {})["state"]["proposals"] if p["id"] == pid]
    assert public["edit_reason"] == "Förtydligat efter samtal"
    page = phone.http.get(f"/j/{workshop.code}").get_data(as_text=True)
    assert "Förtydligat efter samtal" in page


def test_refused_moderation_changes_nothing(room, staff):
    workshop = room()
    pid = workshop.propose(workshop.phone(), "Cykelpump vid stationen")
    for call, code in (
        (lambda: moderation.approve_proposal(staff.facilitator, pid), "already_visible"),
        (lambda: moderation.restore_proposal(staff.facilitator, pid), "already_visible"),
        (lambda: moderation.hide_proposal(staff.other, pid, "Spam"), "forbidden"),
        (lambda: moderation.hide_proposal(staff.facilitator, pid, "  "), "required"),
        (lambda: moderation.edit_proposal(staff.facilitator, pid, "Cykelpump vid stationen", "",
                                          "Ingen ändring"), "unchanged"),
        (lambda: moderation.edit_proposal(staff.facilitator, pid, "x" * 121, "", "För långt"),
         "too_long"),
    ):
        try:
            call()
        except OperationError as error:
            assert error.code == code
        else:
            raise AssertionError(f"expected {code}")
    db.session.rollback()
    assert db.session.scalar(select(func.count(ModerationEntry.id))) == 0


def test_rest_moderation_and_log(app, room, staff):
    workshop = room(moderation="pre")
    pid = workshop.propose(workshop.phone(), "Laddstolpar i garaget")
    http, auth = app.test_client(), staff.auth(staff.facilitator)
    assert http.post(f"{API}/proposals/{pid}/approve", headers=auth).status_code == 200
    edit = http.patch(f"{API}/proposals/{pid}", headers=auth, json={
        "title": "Laddstolpar i alla garage", "body": "", "reason": "Samlat två förslag"})
    assert edit.status_code == 200, edit.get_json()
    no_reason = http.patch(f"{API}/proposals/{pid}", headers=auth,
                           json={"title": "Annat", "body": ""})
    assert (no_reason.status_code, no_reason.get_json()["error"]) == (400, "required")
    other = http.post(f"{API}/proposals/{pid}/approve", headers=staff.auth(staff.other))
    assert other.status_code == 403
    log = http.get(f"{API}/events/{workshop.id}/moderation",
                   headers=staff.auth(staff.reviewer)).get_json()["entries"]
    assert [e["action"] for e in log] == ["approve", "edit"]


def test_console_forms_moderate_without_javascript(app, room, staff):
    workshop = room(moderation="pre")
    pid = workshop.propose(workshop.phone(), "Fler sopkärl för plast")
    http = app.test_client()
    login(http, staff.facilitator)
    console = http.get(f"/events/{workshop.id}/console").get_data(as_text=True)
    assert "Fler sopkärl för plast" in console
    csrf = csrf_from(console)
    base = f"/events/{workshop.id}/proposals/{pid}"
    assert http.post(f"{base}/approve", data={"csrf_token": csrf}).status_code == 302
    response = http.post(f"{base}/hide", data={"csrf_token": csrf, "reason": "Reklam"})
    assert response.status_code == 302
    assert http.post(f"{base}/explode", data={"csrf_token": csrf}).status_code == 404
    rows = http.get(f"/events/{workshop.id}/console/proposals").get_data(as_text=True)
    assert "Reklam" in rows
    db.session.rollback()  # end the test's own read snapshot
    assert [e["action"] for e in moderation.moderation_log(workshop.id)] == ["approve", "hide"]


def test_edit_without_a_body_keeps_it_and_routes_check_the_event(app, room, staff):
    workshop, other = room(), room()
    pid = workshop.propose(workshop.phone(), "Tak över cykelställen", body="Vid stationen")
    edited = moderation.edit_proposal(staff.facilitator, pid, "Tak över alla cykelställ",
                                      None, "Bredare förslag")
    assert edited["proposal"]["body"] == "Vid stationen"
    http = app.test_client()
    login(http, staff.facilitator)
    csrf = csrf_from(http.get(f"/events/{workshop.id}/console").get_data(as_text=True))
    wrong = http.post(f"/events/{other.id}/proposals/{pid}/hide",
                      data={"csrf_token": csrf, "reason": "Fel aktivitet"})
    assert wrong.status_code == 404


def test_a_pending_proposal_gets_no_hand_count(room, staff):
    from participation.proposals.paper import set_hand_count

    workshop = room(moderation="pre")
    pid = workshop.propose(workshop.phone(), "Väntar")
    try:
        set_hand_count(staff.facilitator, pid, 3)
    except OperationError as error:
        assert error.code == "proposal_pending"
    else:
        raise AssertionError("a pending proposal was counted")
