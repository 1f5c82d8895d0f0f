"""The referensgrupp is invite-only: personal invitation links bind phones to members, only
active members take part (forms, REST, socket), names show only with consent, and staff keep
track of meetings and attendance."""

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from participation.core.errors import OperationError
from participation.core.time import iso, utcnow
from participation.events.operations import change_phase
from participation.extensions import db, socketio
from participation.members import operations as ops
from participation.members.models import Attendance, Meeting, Member, invite_digest
from participation.participants.models import Participant
from participation.proposals.models import Proposal
from participation.web import identity

from .conftest import csrf_from, isolated, login

API = "/api/v1"


def new_id() -> str:
    return uuid.uuid4().hex


@pytest.fixture
def group(make_event):
    def make(phase="collect", **kwargs):
        return make_event(kind="referensgrupp", phase=phase, **kwargs)

    return make


def invite(staff, event, name="Anna Andersson", **kwargs):
    return ops.add_member(staff.facilitator, event.id, name, **kwargs)


def accept(app, token, http=None):
    """A phone opens the invitation link and presses Join; returns the browser and its page's
    CSRF token. Opening alone joins nobody (link scanners open links too)."""
    http = http or app.test_client()
    asked = http.get(f"/i/{token}")
    assert asked.status_code == 200, asked.get_data(as_text=True)
    assert asked.headers["Cache-Control"] == "private, no-store"
    assert "Gå med i gruppen" in asked.get_data(as_text=True)
    join = {"csrf_token": csrf_from(asked.get_data(as_text=True))}
    response = http.post(f"/i/{token}", data=join)
    assert response.status_code == 303, response.get_data(as_text=True)
    page = http.get(response.headers["Location"])
    assert page.status_code == 200
    return http, csrf_from(page.get_data(as_text=True))


def cookie_token(http, event_id):
    with http.session_transaction() as cookie:
        return identity.token_for(event_id, cookie)


def participants(event_id):
    db.session.rollback()
    return db.session.scalar(select(func.count(Participant.id))
                             .where(Participant.event_id == event_id))


def connect(app, http, csrf, event_id):
    client = isolated(socketio.test_client, app, flask_test_client=http,
                      auth={"csrf_token": csrf, "event": event_id})
    return client


def emit(client, name, payload):
    return isolated(client.emit, name, payload, callback=True)


def stranger_with_a_token(app, event):
    """A browser that holds a participant token for the group but no membership (e.g. one
    that joined before the invitations, or was never invited)."""
    http = app.test_client()
    csrf = csrf_from(http.get("/").get_data(as_text=True))
    with http.session_transaction() as cookie:
        cookie[identity.KEY] = [[event.id, "s" * 43]]
    return http, csrf


# --- invite only ------------------------------------------------------------------------------


def test_the_code_alone_does_not_let_anyone_in(app, group, staff):
    event = group()
    http = app.test_client()
    page = http.get(f"/j/{event.code}")
    assert page.status_code == 403
    assert "Den här referensgruppen är bara för inbjudna" in page.get_data(as_text=True)
    assert cookie_token(http, event.id) is None
    assert http.get(f"/j/{event.code}/bord/1").status_code == 403
    csrf = csrf_from(page.get_data(as_text=True))
    response = http.post(f"{API}/events/{event.id}/proposals", headers={"X-CSRFToken": csrf},
                         json={"title": "Jag vill också", "client_id": new_id()})
    assert (response.status_code, response.get_json()["error"]) == (403, "not_joined")
    client = connect(app, http, csrf, event.id)
    assert not client.is_connected()
    assert participants(event.id) == 0


def test_a_stranger_with_a_token_is_refused_on_every_channel(app, group, staff):
    event = group()
    member = invite(staff, event)
    accept(app, member["invite_token"])  # the group has a real member and a proposal to vote on
    http, csrf = stranger_with_a_token(app, event)
    headers = {"X-CSRFToken": csrf}
    before = participants(event.id)

    def refused(response):
        assert (response.status_code, response.get_json()["error"]) == (403, "not_a_member")

    refused(http.post(f"{API}/events/{event.id}/proposals", headers=headers,
                      json={"title": "Smygförslag", "client_id": new_id()}))
    refused(http.post(f"{API}/events/{event.id}/table", headers=headers, json={"table": None}))
    form = http.post(f"/j/{event.code}/proposals",
                     data={"csrf_token": csrf, "title": "Via formulär", "client_id": new_id()})
    assert form.status_code == 403
    name = http.post(f"/j/{event.code}/name", data={"csrf_token": csrf, "display_name": "X"})
    assert name.status_code == 403
    assert http.get(f"/j/{event.code}").status_code == 403
    assert not connect(app, http, csrf, event.id).is_connected()
    proposal = db.session.scalar(select(Proposal.id).where(Proposal.event_id == event.id))
    assert proposal is None
    change_phase(staff.facilitator, event.id, "vote")
    assert participants(event.id) == before
    db.session.rollback()


def test_a_member_takes_part_through_the_link_and_a_second_phone_is_the_same_person(
        app, group, staff):
    event = group()
    result = invite(staff, event, email="anna@example.se", organisation="Umeå energi")
    assert result["member"]["status"] == "invited"
    phone, csrf = accept(app, result["invite_token"])
    response = phone.post(f"{API}/events/{event.id}/proposals", headers={"X-CSRFToken": csrf},
                          json={"title": "Laddstolpar vid bibliotek", "client_id": new_id()})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["proposal"]["author_name"] is None  # no consent yet
    second, second_csrf = accept(app, result["invite_token"])
    assert cookie_token(second, event.id) == cookie_token(phone, event.id)
    assert participants(event.id) == 1
    state = second.get(f"{API}/events/{event.id}/state").get_json()
    assert state["me"]["proposal_ids"] == [response.get_json()["proposal"]["id"]]
    client = connect(app, second, second_csrf, event.id)
    assert client.is_connected()
    ack = emit(client, "submit_proposal", {"title": "Från andra telefonen", "client_id": new_id()})
    assert ack["ok"], ack
    isolated(client.disconnect)
    member = db.session.get(Member, result["member"]["id"])
    assert ops.member_info(member)["status"] == "joined"


def test_a_browser_that_joined_another_way_is_rebound_by_the_link(app, group, make_event, staff):
    event = group()
    result = invite(staff, event)
    http, _csrf = stranger_with_a_token(app, event)
    accept(app, result["invite_token"], http)
    assert cookie_token(http, event.id) != "s" * 43


@pytest.mark.parametrize("case", ["expired", "revoked", "unknown", "reissued"])
def test_dead_invitations_are_refused_with_a_friendly_page(app, group, staff, case):
    event = group()
    result = invite(staff, event)
    token, member_id = result["invite_token"], result["member"]["id"]
    if case == "expired":
        db.session.rollback()
        db.session.get(Member, member_id).invite_expires_at -= timedelta(days=61)
        db.session.commit()
    elif case == "revoked":
        ops.revoke_member(staff.facilitator, member_id)
    elif case == "unknown":
        token = "not-an-invitation"
    else:
        fresh = ops.reissue_invitation(staff.facilitator, member_id)["invite_token"]
        assert fresh != token
        accept(app, fresh)
    http = app.test_client()
    response = http.get(f"/i/{token}")
    page = response.get_data(as_text=True)
    assert response.status_code == (410 if case in ("expired", "revoked") else 404)
    assert "Be processledaren om en ny inbjudan" in page
    assert cookie_token(http, event.id) is None
    csrf = csrf_from(page)
    api = http.post(f"{API}/invitations/accept", headers={"X-CSRFToken": csrf},
                    json={"token": token})
    assert api.status_code == response.status_code
    assert api.get_json()["error"] == {"expired": "invitation_expired",
                                       "revoked": "invitation_revoked"}.get(
                                           case, "invitation_unknown")


def test_accept_over_rest_needs_csrf_and_binds_the_browser(app, group, staff):
    event = group()
    token = invite(staff, event)["invite_token"]
    http = app.test_client()
    csrf = csrf_from(http.get("/").get_data(as_text=True))
    no_csrf = http.post(f"{API}/invitations/accept", json={"token": token})
    assert (no_csrf.status_code, no_csrf.get_json()["error"]) == (400, "csrf_failed")
    for bad in (None, 42, ["x"], "x" * 101):
        refused = http.post(f"{API}/invitations/accept", headers={"X-CSRFToken": csrf},
                            json={"token": bad})
        assert (refused.status_code, refused.get_json()["error"]) == (404, "invitation_unknown")
    response = http.post(f"{API}/invitations/accept", headers={"X-CSRFToken": csrf},
                         json={"token": token})
    assert response.status_code == 200
    body = response.get_json()
    assert body["event_id"] == event.id and "participant_token" not in body
    assert http.get(f"/j/{event.code}").status_code == 200


def test_a_revoked_member_is_refused_at_once_even_on_an_open_socket(app, group, staff):
    event = group()
    result = invite(staff, event)
    phone, csrf = accept(app, result["invite_token"])
    client = connect(app, phone, csrf, event.id)
    assert client.is_connected()
    assert emit(client, "submit_proposal", {"title": "Före", "client_id": new_id()})["ok"]
    other_member, other_csrf = accept(app, invite(staff, event, name="Kvar")["invite_token"])
    stays = connect(app, other_member, other_csrf, event.id)
    ops.revoke_member(staff.facilitator, result["member"]["id"])
    assert not client.is_connected()  # closed by the server: no more pushes of the group
    assert stays.is_connected()
    isolated(stays.disconnect)
    rest = phone.post(f"{API}/events/{event.id}/proposals", headers={"X-CSRFToken": csrf},
                      json={"title": "Efter", "client_id": new_id()})
    assert rest.get_json()["error"] == "not_a_member"
    assert phone.get(f"/j/{event.code}").status_code == 403
    assert not connect(app, phone, csrf, event.id).is_connected()
    change_phase(staff.facilitator, event.id, "vote")
    proposal_id = db.session.scalar(select(Proposal.id).where(Proposal.event_id == event.id))
    vote = phone.post(f"{API}/proposals/{proposal_id}/votes", headers={"X-CSRFToken": csrf},
                      json={"client_id": new_id()})
    assert (vote.status_code, vote.get_json()["error"]) == (403, "not_a_member")
    with pytest.raises(OperationError) as reissue:
        ops.reissue_invitation(staff.facilitator, result["member"]["id"])
    assert reissue.value.code == "member_revoked"


def test_an_open_socket_is_refused_on_the_next_call_after_a_revoke_elsewhere(app, group, staff):
    """The revoke happened on another server process: this one's socket stays open, but every
    call on it checks the membership again."""
    event = group()
    result = invite(staff, event)
    phone, csrf = accept(app, result["invite_token"])
    client = connect(app, phone, csrf, event.id)
    assert emit(client, "snapshot", {})["ok"]
    db.session.rollback()  # a fresh snapshot, then write like the other process did
    db.session.get(Member, result["member"]["id"]).revoked_at = utcnow()
    db.session.commit()
    for name, payload in (("submit_proposal", {"title": "Efter", "client_id": new_id()}),
                          ("snapshot", {}), ("similar", {"title": "Efter"}),
                          ("set_show_name", {"show": True})):
        ack = emit(client, name, payload)
        assert (ack["ok"], ack["error"]) == (False, "not_a_member"), name
    isolated(client.disconnect)
    state = phone.get(f"{API}/events/{event.id}/state")
    assert (state.status_code, state.get_json()["error"]) == (403, "not_a_member")
    similar = phone.get(f"{API}/events/{event.id}/similar?title=x")
    assert similar.status_code == 403


def test_members_vote_and_the_open_events_are_unchanged(app, group, make_event, staff):
    event = group()
    phone, csrf = accept(app, invite(staff, event)["invite_token"])
    proposal = phone.post(f"{API}/events/{event.id}/proposals", headers={"X-CSRFToken": csrf},
                          json={"title": "Cykelgarage", "client_id": new_id()}).get_json()
    change_phase(staff.facilitator, event.id, "vote")
    pid = proposal["proposal"]["id"]
    vote = phone.post(f"/j/{event.code}/proposals/{pid}/vote",
                      data={"csrf_token": csrf, "client_id": new_id()})
    assert vote.status_code == 303
    withdraw = phone.delete(f"{API}/proposals/{pid}/votes", headers={"X-CSRFToken": csrf},
                            json={"client_id": new_id()})
    assert withdraw.status_code == 200
    open_event = make_event(phase="collect")
    assert app.test_client().get(f"/j/{open_event.code}").status_code == 200


# --- names with consent -------------------------------------------------------------------------


def test_names_show_only_with_consent_and_consent_renames_existing_proposals(
        app, room, group, staff):
    event = group()
    result = invite(staff, event, name="Bertil Berg", email="bertil@example.se")
    phone, csrf = accept(app, result["invite_token"])
    first = phone.post(f"{API}/events/{event.id}/proposals", headers={"X-CSRFToken": csrf},
                       json={"title": "Solceller på skolor", "client_id": new_id()}).get_json()
    assert first["proposal"]["author_name"] is None
    page = phone.get(f"/j/{event.code}").get_data(as_text=True)
    assert "Visa mitt namn för gruppen" in page and "Bertil Berg" in page
    assert 'name="display_name"' not in page  # in a group the name is the member's, by consent
    facilitator = app.test_client()
    login(facilitator, staff.facilitator)
    staff_csrf = csrf_from(facilitator.get("/events").get_data(as_text=True))
    watcher = connect(app, facilitator, staff_csrf, event.id)
    resident = connect(app, phone, csrf, event.id)
    isolated(watcher.get_received)
    isolated(resident.get_received)

    response = phone.post(f"/j/{event.code}/show-name", data={"csrf_token": csrf,
                                                               "show_name": "y"})
    assert response.status_code == 303
    db.session.rollback()
    assert db.session.get(Proposal, first["proposal"]["id"]).author_name == "Bertil Berg"
    pushes = isolated(resident.get_received)
    proposal_pushes = [p["args"][0] for p in pushes if p["name"] == "proposal"]
    assert proposal_pushes and proposal_pushes[0]["proposal"]["author_name"] == "Bertil Berg"
    assert any(p["name"] == "staff_proposal" for p in isolated(watcher.get_received))
    later = emit(resident, "submit_proposal", {"title": "Fler träd", "client_id": new_id()})
    assert later["proposal"]["author_name"] == "Bertil Berg"

    ack = emit(resident, "set_show_name", {"show": False})
    assert ack["ok"] and len(ack["proposal_ids"]) == 2
    db.session.rollback()
    assert {p.author_name for p in db.session.scalars(
        select(Proposal).where(Proposal.event_id == event.id))} == {None}
    rest = phone.post(f"{API}/events/{event.id}/show-name", headers={"X-CSRFToken": csrf},
                      json={"show": True})
    assert rest.status_code == 200 and rest.get_json()["show_name"] is True
    bad = phone.post(f"{API}/events/{event.id}/show-name", headers={"X-CSRFToken": csrf},
                     json={"show": "yes"})
    assert (bad.status_code, bad.get_json()["field"]) == (400, "show_name")
    isolated(watcher.disconnect)
    isolated(resident.disconnect)

    # Never in the export: no member names, no e-mails.
    change_phase(staff.facilitator, event.id, "vote")
    change_phase(staff.facilitator, event.id, "results")
    csv = facilitator.get(f"/review/events/{event.id}/proposals.csv").get_data(as_text=True)
    assert "Solceller på skolor" in csv
    assert "Bertil" not in csv and "bertil@example.se" not in csv


def test_show_name_outside_a_group_or_by_a_stranger(app, group, make_event, staff):
    with pytest.raises(OperationError) as not_group:
        ops.set_show_name(make_event().id, "t" * 43, True)
    assert not_group.value.code == "not_a_group"
    event = group()
    http, csrf = stranger_with_a_token(app, event)
    response = http.post(f"{API}/events/{event.id}/show-name", headers={"X-CSRFToken": csrf},
                         json={"show": True})
    assert (response.status_code, response.get_json()["error"]) == (403, "not_a_member")


# --- staff: members, invitations, meetings --------------------------------------------------------


def test_the_console_adds_members_prints_invitations_and_reissues(app, group, staff):
    event = group()
    http = app.test_client()
    login(http, staff.facilitator)
    console = http.get(f"/events/{event.id}/console").get_data(as_text=True)
    assert 'id="add-member-form"' in console
    csrf = csrf_from(console)
    added = http.post(f"/events/{event.id}/members", data={
        "csrf_token": csrf, "name": "Cecilia Ceder", "email": "cecilia@example.se",
        "organisation": "Hyresgästföreningen"})
    assert added.status_code == 303  # post, redirect, get: a reload adds nobody again
    sheet = http.get(added.headers["Location"])
    assert sheet.status_code == 200
    assert sheet.headers["Cache-Control"] == "private, no-store"
    text = sheet.get_data(as_text=True)
    assert "Cecilia Ceder" in text and "<svg" in text and "Du är inbjuden" in text
    assert "You are invited" in text and event.title in text
    link = text.split('class="poster-url invite-url">')[1].split("<")[0]
    assert link.startswith("http://testserver/i/")
    db.session.rollback()
    member = db.session.scalar(select(Member).where(Member.event_id == event.id))
    token = link.rsplit("/", 1)[1]
    assert member.invite_digest == invite_digest(token) != token  # only the digest is kept
    console = http.get(f"/events/{event.id}/console").get_data(as_text=True)
    assert "Cecilia Ceder" in console and "Inbjuden" in console
    again = http.get(added.headers["Location"], follow_redirects=True)
    assert "visas bara en gång" in again.get_data(as_text=True)  # the link is shown once
    reissued = http.post(f"/events/{event.id}/members/{member.id}/invitation",
                         data={"csrf_token": csrf}, follow_redirects=True)
    new_link = reissued.get_data(as_text=True).split(
        'class="poster-url invite-url">')[1].split("<")[0]
    assert new_link != link
    assert app.test_client().get(link.replace("http://testserver", "")).status_code == 404
    phone, _ = accept(app, new_link.rsplit("/", 1)[1])
    assert "Gått med" in http.get(f"/events/{event.id}/console").get_data(as_text=True)
    revoked = http.post(f"/events/{event.id}/members/{member.id}/revoke",
                        data={"csrf_token": csrf})
    assert revoked.status_code == 303
    assert "Återkallad" in http.get(f"/events/{event.id}/console").get_data(as_text=True)
    refused = http.post(f"/events/{event.id}/members", data={
        "csrf_token": csrf, "name": "Dag", "email": "inte-en-adress"}, follow_redirects=True)
    assert "Kontrollera e-postadressen" in refused.get_data(as_text=True)
    assert http.post(f"/events/{event.id}/members/{member.id}/revoke",
                     data={}).status_code == 400


def test_member_names_stay_off_pages_for_the_public(app, group, make_event, staff):
    event = group()
    result = invite(staff, event, name="Doris Dahl", email="doris@example.se")
    phone, csrf = accept(app, result["invite_token"])
    phone.post(f"/j/{event.code}/show-name", data={"csrf_token": csrf})  # no consent
    phone.post(f"{API}/events/{event.id}/proposals", headers={"X-CSRFToken": csrf},
               json={"title": "Mer kollektivtrafik", "client_id": new_id()})
    other, other_csrf = accept(app, invite(staff, event, name="Erik Ek")["invite_token"])
    page = other.get(f"/j/{event.code}").get_data(as_text=True)
    assert "Mer kollektivtrafik" in page
    assert "Doris" not in page and "doris@example.se" not in page
    state = other.get(f"{API}/events/{event.id}/state").get_data(as_text=True)
    assert "Doris" not in state


def test_rest_and_socket_for_staff_with_permissions(app, group, make_event, staff):
    event = group()
    api = app.test_client()
    auth = staff.auth(staff.facilitator)
    created = api.post(f"{API}/events/{event.id}/members", headers=auth,
                       json={"name": "Fia Fors", "email": "fia@example.se"})
    assert created.status_code == 201
    body = created.get_json()
    assert body["invite_url"].startswith("http://testserver/i/") and "invite_token" not in body
    member_id = body["member"]["id"]
    listing = api.get(f"{API}/events/{event.id}/members", headers=auth).get_json()
    assert listing["counts"] == {"total": 1, "invited": 1, "joined": 0, "revoked": 0,
                                 "expired": 0}
    assert "invite_url" not in listing["members"][0]
    other = staff.auth(staff.other)
    for method, url, payload in (
            ("get", f"{API}/events/{event.id}/members", None),
            ("post", f"{API}/events/{event.id}/members", {"name": "X"}),
            ("post", f"{API}/members/{member_id}/revoke", None),
            ("post", f"{API}/members/{member_id}/invitation", None),
            ("get", f"{API}/events/{event.id}/meetings", None),
            ("post", f"{API}/events/{event.id}/meetings",
             {"title": "Möte", "starts_at": "2026-12-03T18:00"})):
        response = getattr(api, method)(url, headers=other, json=payload)
        assert (response.status_code, response.get_json()["error"]) == (403, "forbidden"), url
    reissued = api.post(f"{API}/members/{member_id}/invitation", headers=auth)
    assert reissued.get_json()["invite_url"] != body["invite_url"]
    open_event = make_event()
    not_group = api.post(f"{API}/events/{open_event.id}/members", headers=auth,
                         json={"name": "Gustav"})
    assert (not_group.status_code, not_group.get_json()["error"]) == (409, "not_a_group")

    http = app.test_client()
    login(http, staff.facilitator)
    csrf = csrf_from(http.get("/events").get_data(as_text=True))
    watcher = connect(app, http, csrf, event.id)
    isolated(watcher.get_received)
    ack = emit(watcher, "add_member", {"name": "Hanna Holm", "organisation": "Föreningen"})
    assert ack["ok"] and ack["invite_url"].startswith("http://testserver/i/")
    members_push = [p["args"][0] for p in isolated(watcher.get_received)
                    if p["name"] == "members"]
    assert members_push[-1]["counts"]["total"] == 2 and "Hanna" not in str(members_push)
    again = emit(watcher, "reissue_invitation", {"member_id": ack["member"]["id"]})
    assert again["ok"] and again["invite_url"] != ack["invite_url"]
    revoke = emit(watcher, "revoke_member", {"member_id": ack["member"]["id"]})
    assert revoke["ok"] and revoke["member"]["status"] == "revoked"
    phone, phone_csrf = accept(app, reissued.get_json()["invite_url"].rsplit("/", 1)[1])
    resident = connect(app, phone, phone_csrf, event.id)
    denied = emit(resident, "add_member", {"name": "Ingen"})
    assert (denied["ok"], denied["error"]) == (False, "forbidden")
    isolated(resident.disconnect)
    isolated(watcher.disconnect)


def test_meetings_and_attendance(app, group, staff):
    event = group()
    anna = invite(staff, event)["member"]["id"]
    bo = invite(staff, event, name="Bo Bergman")["member"]["id"]
    meeting = ops.add_meeting(staff.facilitator, event.id, "Första träffen",
                              "2026-12-03T18:00+01:00")["meeting"]
    assert meeting["starts_at"] == "2026-12-03T17:00:00.000Z"
    first = ops.set_attendance(staff.facilitator, meeting["id"], anna, True)
    again = ops.set_attendance(staff.facilitator, meeting["id"], anna, True)
    assert first["meeting"]["present"] == again["meeting"]["present"] == [anna]
    assert db.session.scalar(select(func.count(Attendance.id))) == 1
    ops.set_attendance(staff.facilitator, meeting["id"], bo, True)
    assert ops.set_attendance(staff.facilitator, meeting["id"], anna,
                              False)["meeting"]["present"] == [bo]
    with pytest.raises(OperationError) as forbidden:
        ops.set_attendance(staff.other, meeting["id"], bo, False)
    assert forbidden.value.code == "forbidden"

    api = app.test_client()
    auth = staff.auth(staff.facilitator)
    put = api.put(f"{API}/meetings/{meeting['id']}/attendance/{anna}", headers=auth,
                  json={"present": True})
    assert put.status_code == 200 and put.get_json()["meeting"]["present"] == [anna, bo]
    other = api.put(f"{API}/meetings/{meeting['id']}/attendance/{anna}",
                    headers=staff.auth(staff.other), json={"present": False})
    assert other.status_code == 403
    created = api.post(f"{API}/events/{event.id}/meetings", headers=auth,
                       json={"title": "Andra träffen", "starts_at": "2027-01-14T17:30:00Z"})
    assert created.status_code == 201
    listing = api.get(f"{API}/events/{event.id}/meetings", headers=auth).get_json()
    assert [m["title"] for m in listing["meetings"]] == ["Första träffen", "Andra träffen"]

    http = app.test_client()
    login(http, staff.facilitator)
    console = http.get(f"/events/{event.id}/console").get_data(as_text=True)
    assert 'id="attendance-table"' in console and "Första träffen" in console
    csrf = csrf_from(console)
    added = http.post(f"/events/{event.id}/meetings",
                      data={"csrf_token": csrf, "title": "Tredje", "starts_at": "2027-02-01T18:00"})
    assert added.status_code == 303
    toggled = http.post(f"/events/{event.id}/meetings/{meeting['id']}/attendance/{bo}",
                        data={"csrf_token": csrf, "present": "0"})
    assert toggled.status_code == 303
    db.session.rollback()
    assert ops.list_meetings(staff.facilitator, db.session.get(
        type(event), event.id))[0]["present"] == [anna]
    assert http.post(f"/events/{event.id}/meetings/{meeting['id']}/attendance/{bo}",
                     data={"csrf_token": csrf, "present": "maybe"}).status_code == 400
    csrf_other = app.test_client()
    login(csrf_other, staff.other)
    assert csrf_other.get(f"/events/{event.id}/console").status_code == 403

    watcher = connect(app, http, csrf, event.id)
    isolated(watcher.get_received)
    ack = emit(watcher, "set_attendance", {"meeting_id": meeting["id"], "member_id": bo,
                                           "present": True})
    assert ack["ok"] and ack["present"] is True
    assert any(p["name"] == "meeting" for p in isolated(watcher.get_received))
    bad = emit(watcher, "set_attendance", {"meeting_id": meeting["id"], "member_id": bo,
                                           "present": "yes"})
    assert (bad["ok"], bad["field"]) == (False, "present")
    meeting_ack = emit(watcher, "add_meeting", {"title": "Fjärde", "starts_at": "2027-03-01"})
    assert meeting_ack["ok"]
    isolated(watcher.disconnect)


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("payload", "status", "field"), [
    ({"name": ""}, 400, "name"),
    ({"name": 42}, 400, "name"),
    ({"name": "x" * 81}, 400, "name"),
    ({"name": ["Anna"]}, 400, "name"),
    ({"name": "Anna", "email": "anna"}, 400, "email"),
    ({"name": "Anna", "email": "anna@example"}, 400, "email"),
    ({"name": "Anna", "email": "an na@example.se"}, 400, "email"),
    ({"name": "Anna", "email": "a" * 250 + "@x.se"}, 400, "email"),
    ({"name": "Anna", "email": 7}, 400, "email"),
    ({"name": "Anna", "organisation": "o" * 121}, 400, "organisation"),
    ({"name": "Anna", "organisation": {"a": 1}}, 400, "organisation"),
])
def test_bad_member_input_is_refused_and_nothing_stored(app, group, staff, payload, status,
                                                        field):
    event = group()
    response = app.test_client().post(f"{API}/events/{event.id}/members",
                                      headers=staff.auth(staff.facilitator), json=payload)
    assert response.status_code == status
    assert response.get_json()["field"] == field
    db.session.rollback()
    assert db.session.scalar(select(func.count(Member.id))) == 0


@pytest.mark.parametrize(("payload", "field"), [
    ({"title": "", "starts_at": "2026-12-03T18:00"}, "title"),
    ({"title": "t" * 121, "starts_at": "2026-12-03T18:00"}, "title"),
    ({"title": "Möte", "starts_at": "imorgon"}, "starts_at"),
    ({"title": "Möte", "starts_at": 1700000000}, "starts_at"),
    ({"title": "Möte"}, "starts_at"),
    ({"title": 5, "starts_at": "2026-12-03T18:00"}, "title"),
])
def test_bad_meeting_input_is_refused(app, group, staff, payload, field):
    event = group()
    response = app.test_client().post(f"{API}/events/{event.id}/meetings",
                                      headers=staff.auth(staff.facilitator), json=payload)
    assert (response.status_code, response.get_json()["field"]) == (400, field)


@pytest.mark.parametrize("present", ["true", 1, None, [True]])
def test_attendance_needs_a_boolean(app, group, staff, present):
    event = group()
    member = invite(staff, event)["member"]["id"]
    meeting = ops.add_meeting(staff.facilitator, event.id, "Möte", "2026-12-03T18:00")
    response = app.test_client().put(
        f"{API}/meetings/{meeting['meeting']['id']}/attendance/{member}",
        headers=staff.auth(staff.facilitator), json={"present": present})
    assert (response.status_code, response.get_json()["field"]) == (400, "present")


def test_unknown_members_and_meetings_are_404(app, group, make_event, staff):
    event = group()
    auth = staff.auth(staff.facilitator)
    api = app.test_client()
    meeting = ops.add_meeting(staff.facilitator, event.id, "Möte", "2026-12-03T18:00")
    other_group = group()
    stranger = invite(staff, other_group)["member"]["id"]
    for method, url, payload, code in (
            ("post", f"{API}/members/9999/revoke", None, "member_not_found"),
            ("post", f"{API}/members/9999/invitation", None, "member_not_found"),
            ("put", f"{API}/meetings/9999/attendance/1", {"present": True}, "meeting_not_found"),
            ("put", f"{API}/meetings/{meeting['meeting']['id']}/attendance/{stranger}",
             {"present": True}, "member_not_found"),
            ("get", f"{API}/events/9999/members", None, "event_not_found")):
        response = getattr(api, method)(url, headers=auth, json=payload)
        assert (response.status_code, response.get_json()["error"]) == (404, code), url
    bad_json = api.post(f"{API}/events/{event.id}/members", headers=auth, data="[]",
                        content_type="application/json")
    assert bad_json.get_json()["error"] == "invalid_json"
    for bad_id in ("1", None, True):
        with pytest.raises(OperationError) as refused:
            ops.revoke_member(staff.facilitator, bad_id)
        assert refused.value.code == "member_not_found"


@pytest.mark.parametrize(("name", "payload", "code"), [
    ("add_member", ["a list"], "invalid_payload"),
    ("add_member", {"name": 42}, "invalid_type"),
    ("add_member", {"name": "Anna", "email": "nope"}, "invalid_email"),
    ("revoke_member", {"member_id": "1"}, "member_not_found"),
    ("reissue_invitation", {"member_id": None}, "member_not_found"),
    ("add_meeting", {"title": "Möte", "starts_at": ["2026-12-03"]}, "invalid_time"),
    ("set_attendance", {"meeting_id": "1", "member_id": 1, "present": True},
     "meeting_not_found"),
])
def test_bad_socket_payloads_from_staff(app, group, staff, name, payload, code):
    event = group()
    http = app.test_client()
    login(http, staff.facilitator)
    client = connect(app, http, csrf_from(http.get("/events").get_data(as_text=True)), event.id)
    ack = emit(client, name, payload)
    isolated(client.disconnect)
    assert (ack["ok"], ack["error"]) == (False, code)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Member.id))) == 0


@pytest.mark.parametrize("show", ["true", 1, None])
def test_show_name_needs_a_boolean_over_the_socket(app, group, staff, show):
    event = group()
    phone, csrf = accept(app, invite(staff, event)["invite_token"])
    client = connect(app, phone, csrf, event.id)
    ack = emit(client, "set_show_name", {"show": show})
    isolated(client.disconnect)
    assert (ack["ok"], ack["field"]) == (False, "show_name")


def test_every_group_route_is_in_openapi(app):
    spec = app.test_client().get(f"{API}/openapi.json").get_json()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and any(
                word in rule.rule for word in ("member", "meeting", "invitation", "show-name")):
            path = rule.rule.removeprefix("/api/v1").replace("<int:", "{").replace(">", "}")
            assert path in spec["paths"], path
            assert {m.lower() for m in rule.methods} - {"head", "options"} <= set(
                spec["paths"][path]), path


def test_opening_the_invitation_on_a_meetings_day_marks_the_member_present(app, group, staff):
    event = group()
    today = ops.add_meeting(staff.facilitator, event.id, "I dag", iso(utcnow()))["meeting"]
    later = ops.add_meeting(staff.facilitator, event.id, "Senare",
                            iso(utcnow() + timedelta(days=14)))["meeting"]
    result = invite(staff, event)
    accept(app, result["invite_token"])
    accept(app, result["invite_token"])  # a second phone changes nothing
    db.session.rollback()
    meetings = {m["id"]: m["present"] for m in ops.list_meetings(
        staff.facilitator, db.session.get(type(event), event.id))}
    assert meetings == {today["id"]: [result["member"]["id"]], later["id"]: []}


def test_membership_and_attendance_on_both_databases(any_db_app, group, staff):
    event = group()
    result = invite(staff, event, email="olle@example.se")
    first, csrf = accept(any_db_app, result["invite_token"])
    second, _ = accept(any_db_app, result["invite_token"])
    assert cookie_token(first, event.id) == cookie_token(second, event.id)
    assert participants(event.id) == 1
    meeting = ops.add_meeting(staff.facilitator, event.id, "Träff", "2026-12-03T18:00")
    for present in (True, True, False, True):
        outcome = ops.set_attendance(staff.facilitator, meeting["meeting"]["id"],
                                     result["member"]["id"], present)
    assert outcome["meeting"]["present"] == [result["member"]["id"]]
    ops.revoke_member(staff.facilitator, result["member"]["id"])
    refused = first.post(f"{API}/events/{event.id}/proposals", headers={"X-CSRFToken": csrf},
                         json={"title": "Efter", "client_id": new_id()})
    assert refused.get_json()["error"] == "not_a_member"


def test_the_console_forms_are_the_events_facilitators_only(app, group, staff):
    event = group()
    member = invite(staff, event)["member"]["id"]
    meeting = ops.add_meeting(staff.facilitator, event.id, "Träff", "2026-12-03T18:00")
    other = app.test_client()
    login(other, staff.other)
    csrf = csrf_from(other.get("/events").get_data(as_text=True))
    for url, data in (
            (f"/events/{event.id}/members", {"name": "Smyg"}),
            (f"/events/{event.id}/members/{member}/revoke", {}),
            (f"/events/{event.id}/members/{member}/invitation", {}),
            (f"/events/{event.id}/meetings", {"title": "X", "starts_at": "2026-12-04T18:00"}),
            (f"/events/{event.id}/meetings/{meeting['meeting']['id']}/attendance/{member}",
             {"present": "1"})):
        assert other.post(url, data={"csrf_token": csrf, **data}).status_code == 403, url
    db.session.rollback()
    assert db.session.scalar(select(func.count(Member.id))) == 1
    assert db.session.get(Member, member).revoked_at is None


def test_opening_the_link_joins_nobody_until_the_member_presses_join(app, group, staff):
    event = group()
    token = invite(staff, event)["invite_token"]
    scanner = app.test_client()  # an e-mail link checker or a chat preview
    assert scanner.get(f"/i/{token}").status_code == 200
    assert cookie_token(scanner, event.id) is None
    db.session.rollback()
    assert db.session.scalar(select(Member)).joined_at is None
    assert participants(event.id) == 0
    assert scanner.post(f"/i/{token}", data={}).status_code == 400  # no CSRF token: refused
    assert participants(event.id) == 0


def test_a_new_invitation_shuts_out_phones_that_used_the_old_link(app, group, staff):
    event = group(phase="collect")
    member = invite(staff, event)
    leaked, csrf = accept(app, member["invite_token"])
    fresh = ops.reissue_invitation(staff.facilitator, member["member"]["id"])["invite_token"]
    refused = leaked.post(f"{API}/events/{event.id}/proposals", headers={"X-CSRFToken": csrf},
                          json={"title": "Från en läckt länk", "client_id": new_id()})
    assert (refused.status_code, refused.get_json()["error"]) == (403, "not_a_member")
    phone, csrf = accept(app, fresh)
    written = phone.post(f"{API}/events/{event.id}/proposals", headers={"X-CSRFToken": csrf},
                         json={"title": "Från den nya länken", "client_id": new_id()})
    assert written.status_code == 201
    assert participants(event.id) == 1  # the same participant row, under a new secret


def test_a_meeting_typed_on_the_console_is_local_time(app, group, staff):
    event = group()
    http = app.test_client()
    login(http, staff.facilitator)
    csrf = csrf_from(http.get(f"/events/{event.id}/console").get_data(as_text=True))
    http.post(f"/events/{event.id}/meetings", data={
        "csrf_token": csrf, "title": "Första träffen", "starts_at": "2026-12-03T18:00"})
    db.session.rollback()
    meeting = db.session.scalar(select(Meeting))
    assert meeting.starts_at.isoformat() == "2026-12-03T17:00:00"  # 18:00 in Stockholm, CET
