"""An event's team: colleagues the creator adds as facilitators or moderators: the operations'
refusals and audit lines, REST, the console's Arbetslag panel without JavaScript, what a
moderator's console shows, the dashboard. (What each may do on every route and socket command,
and the moderator's 403 on phase changes, are in tests/test_role_matrix.py.)
"""

import pytest

from participation.accounts import manage
from participation.accounts.operations import create_or_update_user
from participation.core.errors import OperationError
from participation.events import team
from participation.events.models import EventTeamMember
from participation.extensions import db
from participation.ops.models import StaffAudit
from participation.proposals import operations as proposal_ops

from .conftest import PASSWORD
from .support.colleagues import Colleague

API = "/api/v1"


def _proposals(room, *titles) -> list[int]:
    phone = room.phone()
    return [room.propose(phone, title) for title in titles]


def test_the_moderators_console_has_no_controls_they_may_not_use(app, room, staff):
    workshop = room(phase="collect", hide_tallies=True, tables=2)
    _proposals(workshop, "Fler cykelbanor", "Träd på torget")
    moderator = Colleague(app, "mod@example.se", role="reviewer")  # a reviewer may moderate
    team.add_team_member(staff.facilitator, workshop.id, moderator.email, "moderator")
    page = moderator.http.get(f"/events/{workshop.id}/console")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f"/events/{workshop.id}/proposals/" in html  # the moderation forms
    assert f'action="/events/{workshop.id}/merges"' in html
    for control in ("phase", "timer", "reveal", "tables", "themes-display", "scribe-cards",
                    "team"):
        assert f'action="/events/{workshop.id}/{control}"' not in html, control
    assert "mod@example.se" in html and "fac@example.se" in html  # the team, to read
    head = moderator.http.get(f"/events/{workshop.id}/console/head").get_data(as_text=True)
    assert "phase-form" not in head and 'data-phase="collect"' in head
    assert moderator.http.get(f"/events/{workshop.id}/projector").status_code == 200
    assert moderator.http.get(f"/events/{workshop.id}/tables/cards").status_code == 403
    # The creator's console has every control.
    creator = Colleague(app, None, user=staff.facilitator)
    own = creator.http.get(f"/events/{workshop.id}/console").get_data(as_text=True)
    for control in ("phase", "timer", "reveal", "tables", "themes-display", "team"):
        assert f'action="/events/{workshop.id}/{control}"' in own, control


def _refusal(call) -> OperationError:
    with pytest.raises(OperationError) as refused:
        call()
    db.session.rollback()
    return refused.value


def test_adding_and_removing_refuse_what_cannot_be(any_db_app, make_event, staff):
    event = make_event()
    create_or_update_user("mod@example.se", "facilitator", PASSWORD)
    add = team.add_team_member

    unknown = _refusal(lambda: add(staff.facilitator, event.id, "nobody@example.se", "moderator"))
    assert (unknown.code, unknown.status, unknown.field) == ("unknown_user", 404, "email")
    assert "personalkonto" in str(unknown.message)  # Swedish first
    for role in ("owner", None, 3, ["moderator"]):
        bad = _refusal(lambda role=role: add(staff.facilitator, event.id, "mod@example.se",
                                             role))
        assert (bad.code, bad.status, bad.field) == ("invalid_role", 400, "role")
    # A reviewer's account may moderate, not run the event.
    reviewer = _refusal(lambda: add(staff.facilitator, event.id, staff.reviewer.email,
                                    "facilitator"))
    assert (reviewer.code, reviewer.status, reviewer.field) == ("role_not_allowed", 400, "role")
    creator = _refusal(lambda: add(staff.facilitator, event.id, "FAC@example.se", "moderator"))
    assert (creator.code, creator.status, creator.field) == ("already_on_team", 409, "email")
    # Only those who may manage the event change its team.
    other = _refusal(lambda: add(staff.other, event.id, "mod@example.se", "moderator"))
    assert (other.code, other.status) == ("forbidden", 403)
    assert db.session.query(EventTeamMember).count() == 0

    added = add(staff.facilitator, event.id, " Mod@Example.se ", "moderator")
    assert added["member"]["email"] == "mod@example.se"
    assert added["member"]["added_by"] == "fac@example.se"
    twice = _refusal(lambda: add(staff.facilitator, event.id, "mod@example.se", "facilitator"))
    assert (twice.code, twice.status, twice.field) == ("already_on_team", 409, "email")
    moderator_adds = _refusal(lambda: add(db.session.get(type(staff.admin), added["member"][
        "user_id"]), event.id, staff.reviewer.email, "moderator"))
    assert moderator_adds.code == "forbidden"

    remove = team.remove_team_member
    creator_out = _refusal(lambda: remove(staff.facilitator, event.id, staff.facilitator.id))
    assert (creator_out.code, creator_out.status) == ("creator_stays", 409)
    stranger = _refusal(lambda: remove(staff.facilitator, event.id, staff.reviewer.id))
    assert (stranger.code, stranger.status) == ("team_member_not_found", 404)
    remove(staff.facilitator, event.id, added["member"]["user_id"])
    assert db.session.query(EventTeamMember).count() == 0
    actions = [(a.action, a.target) for a in db.session.query(StaffAudit).filter(
        StaffAudit.action.like("team.%")).order_by(StaffAudit.id)]
    assert actions == [("team.add", "mod@example.se moderator"),
                       ("team.remove", "mod@example.se moderator")]


def test_rest_team_endpoints(any_db_app, make_event, staff):
    app, event = any_db_app, make_event()
    create_or_update_user("mod@example.se", "reviewer", PASSWORD)
    http, creator = app.test_client(), staff.auth(staff.facilitator)
    unknown = http.post(f"{API}/events/{event.id}/team", headers=creator,
                        json={"email": "nobody@example.se", "role": "moderator"})
    assert unknown.status_code == 404
    assert unknown.get_json()["field"] == "email" and unknown.get_json()["error"] == "unknown_user"
    bad_role = http.post(f"{API}/events/{event.id}/team", headers=creator,
                         json={"email": "mod@example.se", "role": "boss"})
    assert bad_role.status_code == 400 and bad_role.get_json()["field"] == "role"
    added = http.post(f"{API}/events/{event.id}/team", headers=creator,
                      json={"email": "mod@example.se", "role": "moderator"})
    assert added.status_code == 201
    body = added.get_json()
    assert body["member"]["role"] == "moderator" and body["member"]["creator"] is False
    listed = http.get(f"{API}/events/{event.id}/team", headers=creator).get_json()
    assert [(m["email"], m["role"], m["creator"]) for m in listed["team"]] == [
        ("fac@example.se", "facilitator", True), ("mod@example.se", "moderator", False)]
    assert http.get(f"{API}/events/{event.id}/team",
                    headers=staff.auth(staff.other)).status_code == 403
    user_id = body["member"]["user_id"]
    assert http.delete(f"{API}/events/{event.id}/team/{user_id}",
                       headers=staff.auth(staff.other)).status_code == 403
    assert http.delete(f"{API}/events/{event.id}/team/{user_id}",
                       headers=creator).status_code == 200
    assert http.delete(f"{API}/events/{event.id}/team/{user_id}",
                       headers=creator).status_code == 404


def test_the_team_panel_works_without_javascript(app, make_event, staff):
    event = make_event(title="Verkstad i Väster")
    create_or_update_user("mod@example.se", "facilitator", PASSWORD)
    creator = Colleague(app, None, user=staff.facilitator)
    page = creator.http.get(f"/events/{event.id}/console").get_data(as_text=True)
    assert "Arbetslag" in page and 'id="add-team-member-form"' in page
    unknown = creator.form(f"/events/{event.id}/team", email="nobody@example.se",
                           role="moderator")
    assert unknown.status_code == 303
    after = creator.http.get(unknown.headers["Location"]).get_data(as_text=True)
    assert "Det finns inget personalkonto med den e-postadressen" in after
    added = creator.form(f"/events/{event.id}/team", email="mod@example.se", role="moderator")
    assert added.status_code == 303 and added.headers["Location"].endswith("#team-heading")
    page = creator.http.get(added.headers["Location"]).get_data(as_text=True)
    assert "mod@example.se är nu med i arbetslaget" in page
    db.session.remove()
    moderator_id = db.session.query(EventTeamMember).one().user_id

    moderator = Colleague(app, "mod@example.se")
    dashboard = moderator.http.get("/events").get_data(as_text=True)
    assert "Verkstad i Väster" in dashboard and f"/events/{event.id}/console" in dashboard
    assert '<span class="badge">Moderator</span>' in dashboard
    assert "Verkstad i Väster" not in app.test_client().get("/events").get_data(as_text=True)
    outsider = Colleague(app, "other-fac@example.se")
    assert "Verkstad i Väster" not in outsider.http.get("/events").get_data(as_text=True)

    removed = creator.form(f"/events/{event.id}/team/{moderator_id}/remove")
    assert removed.status_code == 303
    db.session.remove()
    assert db.session.query(EventTeamMember).count() == 0
    assert "Verkstad i Väster" not in moderator.http.get("/events").get_data(as_text=True)
    assert moderator.http.get(f"/events/{event.id}/console").status_code == 403


def test_a_colleague_who_removes_themselves_goes_back_to_the_dashboard(app, make_event, staff):
    event = make_event()
    colleague = Colleague(app, "cofac@example.se")
    team.add_team_member(staff.facilitator, event.id, colleague.email, "facilitator")
    gone = colleague.form(f"/events/{event.id}/team/{colleague.id}/remove")
    assert gone.status_code == 303 and gone.headers["Location"].endswith("/events")
    assert colleague.http.get(f"/events/{event.id}/console").status_code == 403


def test_a_team_row_counts_only_while_the_account_may_hold_the_role(app, make_event, staff):
    event = make_event(phase="collect")
    proposal = proposal_ops.submit_proposal(event.id, "phone-token", "Fler cykelbanor", "",
                                            "c-team-row")["proposal"]["id"]
    colleague = Colleague(app, "cofac@example.se")
    team.add_team_member(staff.facilitator, event.id, colleague.email, "facilitator")
    assert colleague.http.post(f"{API}/events/{event.id}/timer", headers=colleague.api,
                               json={"seconds": 60}).status_code == 200
    # Their account becomes a reviewer's: a facilitator's part on the team no longer counts.
    manage.change_role(manage.COMMAND_LINE, colleague.id, "reviewer")
    assert colleague.http.post(f"{API}/events/{event.id}/timer", headers=colleague.api,
                               json={"seconds": 60}).status_code == 403
    # Refused as any staff member off the team: 403 (the proposal's existence is no secret to
    # staff: reviewers read every event's proposals).
    assert colleague.http.post(f"{API}/proposals/{proposal}/hide", headers=colleague.api,
                               json={"reason": "x"}).status_code == 403
