"""Role matrix: every route (and every staff-only socket event) against every role.

Each endpoint has an explicit rule in RULES; a route without one fails the build, so a new
route cannot ship without a permission decision. Besides the accounts' own roles, two
colleagues on event A's (and group G's) team: `moderator_a` (a facilitator account added as
moderator) and `cofacilitator_a` (one added as facilitator).
"""

import uuid

import pytest

from participation.accounts.operations import create_or_update_user
from participation.accounts.tokens import issue_token
from participation.backlog import operations as backlog_ops
from participation.events import team
from participation.events.models import Event, Table
from participation.events.operations import change_phase
from participation.extensions import db
from participation.members import operations as member_ops
from participation.proposals.merge import merge_proposals
from participation.proposals.models import Proposal
from participation.review import links as review_links

from .conftest import PASSWORD, csrf_from, login
from .support.colleagues import Colleague

ROLES = ("anonymous", "participant_a", "participant_b", "facilitator_a", "facilitator_b",
         "moderator_a", "cofacilitator_a", "reviewer", "admin")
STAFF = {"facilitator_a", "facilitator_b", "moderator_a", "cofacilitator_a", "reviewer",
         "admin"}

# A rule names the roles that must be allowed; every other role must be refused.
# ANY: no refusal is asserted, only "no 500" (public pages, or routes whose answer does not
# depend on who asks).
ANY = "any"
ALL = set(ROLES)
MANAGE_A = {"facilitator_a", "cofacilitator_a", "admin"}  # access.may_manage(event A)
MODERATE_A = MANAGE_A | {"moderator_a"}                 # access.may_moderate(event A)
REVIEW_A = MODERATE_A | {"reviewer"}                    # access.may_review(event A)
ANY_STAFF = set(STAFF)
REVIEWERS = {"reviewer", "admin"}
# Accounts with the role facilitator, or admins (the moderator's account is a facilitator's).
FACILITATORS = {"facilitator_a", "facilitator_b", "moderator_a", "cofacilitator_a", "admin"}
PHONE_A = {"participant_a"}

# Routes without a staff check: public pages, the phone's own pages (anyone with the event
# code may join, so writing through A's page is joining A, not a hole; the IDOR case — B's
# page with A's proposal id — is tested below), capability links (follow code, invitation
# token, scribe secret) and the login itself. Only "no 500" is asserted for these.
PUBLIC_ROUTES = [
    "accounts.login", "accounts.logout", "sso.start", "sso.callback", "pages.home",
    "pages.join_by_code", "pages.set_language", "pages.choose_language", "pages.languages",
    "health.healthz",
    "public.privacy",
    "api.openapi", "api.asyncapi", "public.accessibility", "public.agreement_page",
    "phone.join", "phone.join_table", "phone.join_as_scribe", "phone.qr", "phone.table_qr",
    "phone.name", "phone.submit", "phone.vote", "phone.withdraw", "phone.budget", "phone.poll",
    "phone.ask", "phone.like", "phone.evaluate", "phone.send_words",
    "phone.table", "phone.scribe", "api.add_scribe_proposal",
    "phone.show_name", "api.set_show_name", "phone.invitation", "phone.accept",
    "api.accept_invitation", "public.follow", "public.event_page", "api.follow",
    "api.public_event", "public.confirm_erase", "public.erase", "api.erase",
    # The measure backlog is published to residents (docs/api.md: public reads).
    "public.measure", "public.dossier", "api.list_measures", "api.get_measure",
    "api.investment",
    # The login's second step and the forgotten-password page (no session yet), and the
    # one-time set-password link (the token is the key).
    "accounts.forgot", "second_factor.code", "second_factor.enrol", "password_reset.page",
    # Liveness; /metrics is kept by address (METRICS_ALLOW) or an admin's token, not a role:
    # tests/test_observability.py.
    "health.live", "metrics.metrics",
    # Who took part (voluntary, the phone's own), and the opt-in e-mail: the follow code or
    # the subscription's secret is the key.
    "phone.who", "public.subscribe", "public.mail_page", "public.mail_confirm",
    "public.mail_unsubscribe",
]
# Running the event: phase, countdown, settings, tables and scribe cards, the referensgrupp,
# the team. A team moderator is refused all of these.
MANAGE_A_ROUTES = [
    "projector.table_cards", "console.scribe_qr", "console.set_phase", "console.set_timer",
    "console.new_scribe_card", "api.new_scribe_card",
    "console.set_tables", "console.reveal", "console.set_show_themes", "console.set_questions",
    "console.set_schedule", "console.add_member", "console.add_meeting", "console.attendance",
    "console.member_action", "console.sheet",
    "api.set_phase", "api.set_timer", "api.set_tables", "api.reveal", "api.set_show_themes",
    "api.set_questions", "api.set_schedule", "api.add_member", "api.list_members",
    "api.revoke_member", "api.reissue_invitation", "api.add_meeting", "api.list_meetings",
    "api.set_attendance", "console.add_team_member", "console.remove_team_member",
    "api.add_team_member", "api.remove_team_member",
    # The event's languages (docs/languages.md).
    "console.set_languages", "api.set_languages",
]
# Moderating at the console: its page and fragments, the projector and poster, moderation,
# merges, paper proposals and hand counts.
MODERATE_A_ROUTES = [
    "console.page", "console.rows", "console.head", "console.plan_section",
    "projector.poster", "projector.page",
    "console.add_paper", "console.moderate", "console.merge_form", "console.undo_merge_form",
    "api.add_paper_proposal", "api.set_hand_count", "api.hide", "api.approve", "api.restore",
    "api.edit_proposal", "api.merge_proposals", "api.undo_merge", "api.event_themes",
]
REVIEW_A_ROUTES = [
    "api.list_team",
    "review.event", "review.event_csv", "review.proposal", "review.add_comment",
    "review.set_review", "api.get_event", "api.results", "api.list_merges",
    "api.moderation_log", "api.duplicate_pairs", "api.get_review", "api.put_review",
    "api.post_comment", "review.budget_file", "review.activities_file",
    # The event report, its print view and its PDF (docs/report.md).
    "report.page", "report.pdf",
]
# Any staff member may open these; what they list is filtered to the events the user may
# review (test_staff_listings_hide_other_events checks that).
ANY_STAFF_ROUTES = [
    "dashboard.index", "review.index", "review.events", "review.agreement_page",
    "review.export_proposals",
    "review.export_votes", "api.list_proposals", "api.aggregated_votes",
    # One's own API tokens: every staff member has a list and may create them.
    "tokens.index", "api.list_my_tokens", "api.create_my_token",
    # The interface languages and their review state (docs/languages.md).
    "languages.page",
]
# Creating a token takes a login's cookie: a bearer token may not mint others.
COOKIE_API = {"api.create_my_token"}
# A staff member's own account page (their password, second factor, signing out everywhere).
OWN_ACCOUNT_ROUTES = [
    "my_account.page", "my_account.password", "my_account.enrol", "my_account.turn_off",
    "my_account.sign_out_everywhere",
]
# Managing staff accounts: admins only (access.may_manage_accounts).
ACCOUNT_ADMIN_ROUTES = [
    "account_admin.index", "account_admin.invite", "account_admin.account",
    "account_admin.set_role", "account_admin.disable", "account_admin.enable",
    "account_admin.reset_link", "account_admin.sign_out", "account_admin.reset_mfa",
]
BACKLOG_ROUTES = [
    "backlog.index", "backlog.new", "backlog.edit", "backlog.set_status", "backlog.delete",
    "backlog.import_page", "backlog.investment", "backlog.link", "backlog.unlink",
    "api.create_measure", "api.update_measure", "api.delete_measure",
    "api.change_measure_status", "api.import_measures", "api.link_proposal",
    "api.unlink_proposal",
    # The city's population figures and own question (access.may_manage_population).
    "population.page", "population.upload", "population.question",
]

# The referensgrupp's console forms, filled with group G's ids.
GROUP_PAGES = {"console.add_member", "console.add_meeting", "console.attendance",
               "console.member_action", "console.sheet", "phone.show_name"}

# The routes whose activity_id is event A's word cloud, not its live poll.
CLOUD_ROUTES = {"api.hide_word", "console.hide_word"}

RULES: dict[str, object] = {
    **dict.fromkeys(PUBLIC_ROUTES, ANY),
    **dict.fromkeys(MANAGE_A_ROUTES, MANAGE_A),
    **dict.fromkeys(MODERATE_A_ROUTES, MODERATE_A),
    **dict.fromkeys(REVIEW_A_ROUTES, REVIEW_A),
    **dict.fromkeys(ANY_STAFF_ROUTES, ANY_STAFF),
    **dict.fromkeys(BACKLOG_ROUTES, REVIEWERS),
    **dict.fromkeys(OWN_ACCOUNT_ROUTES, ANY_STAFF),
    **dict.fromkeys(ACCOUNT_ADMIN_ROUTES, {"admin"}),
    # Only facilitators (and admins) create events; a reviewer cannot.
    "dashboard.create": FACILITATORS, "api.create_event": FACILITATORS,
    # Copying A (access.may_copy_event): those who create events and see A's console.
    "dashboard.copy": MODERATE_A & FACILITATORS, "api.copy_event": MODERATE_A & FACILITATORS,
    "api.list_audit": {"admin"},
    # Revoking facilitator A's token: A only; for everyone else it does not exist (404).
    "tokens.revoke": {"facilitator_a"}, "api.revoke_my_token": {"facilitator_a"},
    # The phone's own API on event A: only the phone that joined A has a token there.
    "api.submit_proposal": PHONE_A, "api.vote": PHONE_A, "api.withdraw": PHONE_A,
    "api.choose_table": PHONE_A, "api.budget_ballot": PHONE_A, "api.respond": PHONE_A,
    # The activity plan: those who run event A change it; its staff read it.
    "api.add_activity": MANAGE_A, "api.start_activity": MANAGE_A,
    "console.add_poll": MANAGE_A, "console.start": MANAGE_A,
    "console.add_titled": MANAGE_A, "console.add_evaluation": MANAGE_A,
    # Preparing A's plan (the live poll: removing it is refused with 409, still past the guard).
    **dict.fromkeys(("api.move_activity", "api.edit_activity", "api.remove_activity",
                     "api.copy_plan", "console.move", "console.edit", "console.remove",
                     "console.copy"), MANAGE_A),
    # A word cloud on A: its team takes a word out (activity_id is the cloud's there).
    "api.hide_word": MODERATE_A, "console.hide_word": MODERATE_A,
    "api.list_activities": REVIEW_A, "api.activity_results": REVIEW_A,
    # Questions to the panel on A: A's phone likes (409 not_live by now: the poll runs);
    # A's team moderates.
    "api.like_question": PHONE_A, "api.unlike_question": PHONE_A,
    "api.question_status": MODERATE_A, "console.question_status": MODERATE_A,
    "api.state": PHONE_A | REVIEW_A, "api.similar": PHONE_A | REVIEW_A,
}


def _fresh_csrf(http, path):
    return csrf_from(http.get(path).get_data(as_text=True))


def _colleague(staff, email, role="facilitator"):
    """A staff account besides the fixture's four, with an API token like theirs."""
    user = create_or_update_user(email, role, PASSWORD)
    staff.tokens[user.email] = issue_token(user, "Test")[0]
    return user


class World:
    """Events A and B (facilitator and other), a referensgrupp G of facilitator A, A's and G's
    team (a moderator and a co-facilitator), and a phone of each role; every path parameter is
    filled from here."""

    def __init__(self, app, make_event, staff):
        self.app, self.staff = app, staff
        self.a = make_event(phase="collect", title="Verkstad Alfa")
        self.b = make_event(phase="collect", title="B", user=staff.other)
        self.g = make_event(kind="referensgrupp", phase="collect", title="G")
        self.a_id, self.b_id, self.g_id = self.a.id, self.b.id, self.g.id
        moderator = _colleague(staff, "mod@example.se")
        cofacilitator = _colleague(staff, "cofac@example.se")
        for event_id in (self.a_id, self.g_id):
            team.add_team_member(staff.facilitator, event_id, moderator.email, "moderator")
            team.add_team_member(staff.facilitator, event_id, cofacilitator.email, "facilitator")
        # The colleague the team routes take off A's team (put back before each request), and
        # the one they add.
        self.spare_id = _colleague(staff, "spare@example.se", "reviewer").id
        self.admin_id = staff.admin.id
        _colleague(staff, "new@example.se", "reviewer")
        self.a_code, self.b_code, self.g_code = self.a.code, self.b.code, self.g.code
        self.http, self.csrf = {}, {}
        self.http["anonymous"] = app.test_client()
        self.csrf["anonymous"] = _fresh_csrf(self.http["anonymous"], "/login")
        for role, code in (("participant_a", self.a_code), ("participant_b", self.b_code)):
            self.http[role] = app.test_client()
            self.csrf[role] = _fresh_csrf(self.http[role], f"/j/{code}")
        self.users = {"facilitator_a": staff.facilitator, "facilitator_b": staff.other,
                      "moderator_a": moderator, "cofacilitator_a": cofacilitator,
                      "reviewer": staff.reviewer, "admin": staff.admin}
        for role, user in self.users.items():
            self.http[role] = app.test_client()
            assert login(self.http[role], user).status_code in (302, 303)
            self.csrf[role] = _fresh_csrf(self.http[role], "/events")
        pids = [self._propose("participant_a", self.a_id, title)
                for title in ("Fler cykelbanor", "Cykelbanor överallt", "Träd på torget",
                              "Parkbänkar", "Lekplatser")]
        self.spare_pids = (pids[3][0], pids[4][0])
        self.pid, self.follow_code = pids[0]
        self.b_pid, _ = self._propose("participant_b", self.b_id, "Bättre bussar")
        self.merge_id = merge_proposals(staff.facilitator, pids[2][0], pids[1][0])["merge"]["id"]
        from participation.events.tables import set_table_count
        set_table_count(staff.facilitator, self.a_id, 2)
        table = db.session.query(Table).filter_by(event_id=self.a_id, number=1).one()
        self.secret = table.scribe_token
        added = member_ops.add_member(staff.facilitator, self.g_id, "Anna Andersson")
        self.member_id, self.invite = added["member"]["id"], added["invite_token"]
        self.meeting_id = member_ops.add_meeting(staff.facilitator, self.g_id, "Möte",
                                                 "2026-12-03T18:00")["meeting"]["id"]
        self.measure_id = backlog_ops.create_measure(staff.reviewer,
                                                     {"title": "Åtgärd"})["measure"]["id"]
        review_links.link_proposal(staff.reviewer, self.b_pid, "supports",
                                   measure_id=self.measure_id)
        # A question to the panel on A (asked while they were live), then a live quick poll on
        # A (the activity routes' activity_id).
        from participation.activities import plan
        questions = plan.add_activity(staff.facilitator, self.a_id, {
            "kind": "questions", "title": "Frågor"})["activity"]["id"]
        plan.start_activity(staff.facilitator, self.a_id, questions)
        self.cloud_id = plan.add_activity(staff.facilitator, self.a_id, {
            "kind": "words", "title": "Ord"})["activity"]["id"]
        asked = self.http["participant_a"].post(
            f"/api/v1/activities/{questions}/responses", headers={
                "X-CSRFToken": self.csrf["participant_a"]},
            json={"text": "Varför?", "client_id": uuid.uuid4().hex})
        assert asked.status_code == 200, asked.get_data(as_text=True)
        self.question_id = asked.get_json()["question"]["id"]
        self.activity_id = plan.add_activity(staff.facilitator, self.a_id, POLL)["activity"]["id"]
        plan.start_activity(staff.facilitator, self.a_id, self.activity_id)
        # A climate budget of facilitator A's, with A's team, for the routes only one has.
        ballot_measure = backlog_ops.create_measure(staff.reviewer, {
            "title": "Solceller", "investment_sek": 100_000})["measure"]["id"]
        self.budget_id = make_event(phase="vote", title="Klimatbudget Alfa", voting={
            "method": "budget", "budget_sek": 500_000, "measure_ids": [ballot_measure]}).id
        for user in (moderator, cofacilitator):
            team.add_team_member(staff.facilitator, self.budget_id, user.email,
                                 "moderator" if user is moderator else "facilitator")
        # Not the token the matrix authenticates with: revoking this one ends nothing.
        self.token_id = issue_token(staff.facilitator, "Matrisen")[1].id
        # The account the admin pages act on (role, disable, links), so no role loses theirs.
        self.spare_user_id = create_or_update_user("spare-account@example.se", "facilitator",
                                                   PASSWORD).id

    def _propose(self, role, event_id, title):
        response = self.http[role].post(f"/api/v1/events/{event_id}/proposals",
                                        headers={"X-CSRFToken": self.csrf[role]},
                                        json={"title": title, "client_id": uuid.uuid4().hex})
        assert response.status_code in (200, 201), response.get_data(as_text=True)
        body = response.get_json()
        return body["proposal"]["id"], body["follow_url"].rstrip("/").rsplit("/", 1)[-1]

    def values(self, endpoint) -> dict:
        group = endpoint in GROUP_PAGES or endpoint in GROUP_API
        budget = endpoint in BUDGET_ROUTES
        return {
            "event_id": self.g_id if group else self.budget_id if budget else self.a_id,
            "code": self.g_code if group else self.a_code,
            "proposal_id": self.pid, "merge_id": self.merge_id, "measure_id": self.measure_id,
            "meeting_id": self.meeting_id,
            "activity_id": self.cloud_id if endpoint in CLOUD_ROUTES else self.activity_id,
            "question_id": self.question_id,
            "member_id": self.member_id,
            "follow_code": self.follow_code, "token": self.invite, "number": 1, "kind": "words",
            "secret": self.secret, "lang": "en", "fmt": "csv", "token_id": self.token_id,
            # The admin pages act on an account of their own; the team routes on a colleague.
            "user_id": (self.spare_user_id if endpoint.startswith("account_admin.")
                        else self.spare_id),
            "action": "invitation" if endpoint == "console.member_action" else "hide",
        }

    def payload(self, endpoint) -> dict:
        source, target = self.spare_pids
        return {
            "console.set_phase": {"phase": "vote"}, "api.set_phase": {"phase": "vote"},
            "console.set_timer": {"minutes": "5"}, "api.set_timer": {"seconds": 300},
            "console.set_tables": {"count": "3"}, "api.set_tables": {"count": 3},
            "console.new_scribe_card": {"table": "1"}, "api.new_scribe_card": {"table": 1},
            "console.reveal": {"revealed": "1"}, "api.reveal": {"revealed": True},
            "console.set_show_themes": {"show": "1"}, "api.set_show_themes": {"show": True},
            "console.set_questions": {"questions": "Vad saknas?"},
            "console.set_languages": {"languages": ["sv", "fi"], "projector_language": "sv"},
            "api.set_languages": {"languages": ["sv", "fi"]},
            "api.set_questions": {"questions": ["Vad saknas?"]},
            "console.set_schedule": {}, "api.set_schedule": {},
            "console.add_paper": {"title": "Från papperet"},
            "api.add_paper_proposal": {"title": "Från papperet"},
            "console.moderate": {"reason": "Personuppgifter"},
            "api.hide": {"reason": "Personuppgifter"},
            "api.edit_proposal": {"title": "Ny titel", "reason": "Stavning"},
            "api.set_hand_count": {"count": 3},
            "console.merge_form": {"source_id": str(source), "target_id": str(target)},
            "api.merge_proposals": {"source_id": source, "target_id": target},
            "console.add_member": {"name": "Bo Berg"}, "api.add_member": {"name": "Bo Berg"},
            "console.add_meeting": {"title": "Träff", "starts_at": "2026-12-04T18:00"},
            "api.add_meeting": {"title": "Träff", "starts_at": "2026-12-04T18:00"},
            "console.attendance": {"present": "1"}, "api.set_attendance": {"present": True},
            "review.add_comment": {"body": "Bra"}, "api.post_comment": {"body": "Bra"},
            "review.set_review": {"status": "reviewing", "public_answer": "Tack"},
            "api.put_review": {"status": "reviewing", "public_answer": "Tack"},
            "api.vote": {"client_id": uuid.uuid4().hex},
            "api.withdraw": {"client_id": uuid.uuid4().hex},
            "api.budget_ballot": {"measure_ids": [], "client_id": uuid.uuid4().hex},
            "api.add_activity": POLL,
            "console.add_poll": {"title": "Hur reser du?", "options": "Cykel\nBuss"},
            "api.respond": {"choices": [0], "client_id": uuid.uuid4().hex},
            "api.like_question": {"client_id": uuid.uuid4().hex},
            "api.unlike_question": {"client_id": uuid.uuid4().hex},
            "api.question_status": {"status": "hidden"},
            "console.question_status": {"status": "hidden"},
            "console.add_titled": {"title": "Frågor till panelen"},
            "api.move_activity": {"position": 1}, "console.move": {"position": "1"},
            "api.edit_activity": {"title": "Hur reser du hit?"},
            "console.edit": {"title": "Hur reser du hit?"},
            # G is A's referensgrupp: those who run A may read it (it has no activities: 409).
            "api.copy_plan": {"from_event_id": self.g_id},
            "console.copy": {"from_event_id": str(self.g_id)},
            "api.hide_word": {"stem": "buss", "hidden": True},
            "console.hide_word": {"stem": "buss", "hidden": "1"},
            "api.choose_table": {"table": 1}, "api.submit_proposal": {
                "title": "Ännu en idé", "client_id": uuid.uuid4().hex},
            "api.link_proposal": {"kind": "supports", "measure_id": self.measure_id},
            "api.change_measure_status": {"status": "planned"},
            "api.update_measure": {"title": "Ändrad åtgärd"},
            "api.create_measure": {"title": "Ny åtgärd"},
            "tokens.index": {"name": "Matris", "days": "7"},
            "api.create_my_token": {"name": "Matris", "days": 7},
            "account_admin.invite": {"email": f"ny-{uuid.uuid4().hex[:8]}@example.se",
                                     "role": "facilitator"},
            "account_admin.set_role": {"role": "reviewer"},
            "api.create_event": {"title": "C", "prompt": "Hur?", "kind": "medborgarverkstad",
                                 "voting": {"method": "approval"}},
            "console.add_team_member": {"email": "new@example.se", "role": "moderator"},
            "api.add_team_member": {"email": "new@example.se", "role": "moderator"},
        }.get(endpoint, {})

    def _spare_on_team(self):
        from participation.accounts.models import User
        from participation.events.models import EventTeamMember

        db.session.remove()
        if not db.session.query(EventTeamMember).filter_by(
                event_id=self.a_id, user_id=self.spare_id).count():
            team.add_team_member(db.session.get(User, self.admin_id), self.a_id,
                                 "spare@example.se", "moderator")

    def request(self, role, method, path, endpoint=""):
        if endpoint in ("api.remove_team_member", "console.remove_team_member"):
            self._spare_on_team()  # each role removes the same colleague, if it may
        http = self.http[role]
        api = path.startswith("/api/")
        body = self.payload(endpoint)
        if api and role in self.users and endpoint not in COOKIE_API:
            headers = self.staff.auth(self.users[role])
        else:
            headers = {"X-CSRFToken": self.csrf[role]}
        if method == "GET":
            return http.get(path, headers=headers)
        if api:
            return http.open(path, method=method, headers=headers, json=body)
        return http.open(path, method=method, headers=headers,
                         data={"csrf_token": self.csrf[role], **body})



POLL = {"kind": "poll", "title": "Hur reser du?", "options": ["Cykel", "Buss"]}
GROUP_API = {"api.list_meetings", "api.add_meeting", "api.list_members", "api.add_member"}
BUDGET_ROUTES = {"review.budget_file"}


def _refused(response) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    return response.status_code in (302, 303) and "/login" in response.headers.get("Location", "")


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "static_plain"):
            continue  # the static files are everyone's (web/assets.py)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


@pytest.fixture
def world(app, make_event, staff):
    return World(app, make_event, staff)


def _path(app, world, rule):
    from flask import url_for

    with app.test_request_context():
        values = world.values(rule.endpoint)
        return url_for(rule.endpoint, **{k: v for k, v in values.items() if k in rule.arguments})


def _ordered(app):
    def key(route):
        rule, method = route
        last = LAST.index(rule.endpoint) if rule.endpoint in LAST else -1
        return last, rule.endpoint, method

    return sorted(_routes(app), key=key)


# Routes that end a session or delete what later rows need run last, in this order.
LAST = ["api.reissue_invitation", "phone.invitation", "phone.accept", "api.accept_invitation",
        "api.revoke_member", "api.undo_merge", "console.undo_merge_form", "api.delete_measure",
        "backlog.delete", "public.erase", "api.erase", "my_account.sign_out_everywhere",
        "accounts.logout"]




def test_every_route_has_a_permission_decision(app):
    endpoints = {rule.endpoint for rule, _method in _routes(app)}
    assert not endpoints - RULES.keys(), "routes without a rule in RULES"
    assert not RULES.keys() - endpoints, "rules for routes that no longer exist"


def _violation(world, role, rule_roles, response, path) -> str | None:
    status = response.status_code
    if status >= 500:
        return f"{status}"
    if rule_roles is ANY:
        return None
    refused = _refused(response)
    if role in rule_roles:
        return f"refused ({status})" if refused else None
    if not refused:
        return f"allowed ({status})"
    if role == "anonymous" and "participant_a" not in rule_roles:
        # Staff routes tell a browser to log in and an API client that it is not authenticated.
        if path.startswith("/api/") and status != 401:
            return f"anonymous API got {status}, not 401"
        if not path.startswith("/api/") and status not in (302, 303):
            return f"anonymous page got {status}, not a redirect to /login"
    return None


def test_role_matrix(app, world):
    failures, cells = [], 0
    for rule, method in _ordered(app):
        path = _path(app, world, rule)
        for role in ROLES:
            response = world.request(role, method, path, rule.endpoint)
            cells += 1
            if problem := _violation(world, role, RULES[rule.endpoint], response, path):
                failures.append(f"{method} {path} ({rule.endpoint}) as {role}: {problem}")
    assert not failures, "\n".join(failures)
    assert cells >= 100 * len(ROLES)


def _shows_a(world, text) -> bool:
    # Pages and proposal lists name A's proposal; the vote CSV has only ids (first column).
    return ("Fler cykelbanor" in text or "Verkstad Alfa" in text
            or f"\n{world.a_id},{world.pid}," in text)


def test_staff_listings_hide_other_events(app, world):
    for path in ("/review/", "/review/events", "/review/proposals.csv", "/review/votes.csv"):
        assert _shows_a(world, world.http["facilitator_a"].get(path).get_data(as_text=True)), path
        seen_by_b = world.http["facilitator_b"].get(path)
        assert seen_by_b.status_code == 200 and not _shows_a(world, seen_by_b.get_data(
            as_text=True)), path
    for path in ("/api/v1/proposals", "/api/v1/votes/aggregated"):
        mine = world.http["facilitator_a"].get(path,
                                               headers=world.staff.auth(world.staff.facilitator))
        assert f'"proposal_id":{world.pid},' in mine.get_data(as_text=True).replace(" ", ""), path
        theirs = world.http["facilitator_b"].get(path, headers=world.staff.auth(world.staff.other))
        assert theirs.status_code == 200, path
        assert f'"proposal_id":{world.pid},' not in theirs.get_data(as_text=True).replace(" ", "")


def _votes_on(proposal_id) -> int:
    from participation.proposals.models import Vote

    db.session.remove()
    return db.session.query(Vote).filter_by(proposal_id=proposal_id).count()


def test_participant_b_cannot_vote_on_a_proposal_of_a(app, world):
    change_phase(world.staff.facilitator, world.a_id, "vote")
    change_phase(world.staff.other, world.b_id, "vote")
    http, csrf = world.http["participant_b"], world.csrf["participant_b"]
    through_b = http.post(f"/j/{world.b_code}/proposals/{world.pid}/vote",
                          data={"csrf_token": csrf, "client_id": uuid.uuid4().hex})
    # A's proposal is visible (no secret); this phone has not joined A: 403 not_joined, as
    # proposals/operations.py refuses a vote on another event's proposal.
    assert through_b.status_code == 403
    by_api = http.post(f"/api/v1/proposals/{world.pid}/votes", headers={"X-CSRFToken": csrf},
                       json={"client_id": uuid.uuid4().hex})
    assert (by_api.status_code, by_api.get_json()["error"]) == (403, "not_joined")
    withdraw = http.delete(f"/api/v1/proposals/{world.pid}/votes", headers={"X-CSRFToken": csrf},
                           json={"client_id": uuid.uuid4().hex})
    assert (withdraw.status_code, withdraw.get_json()["error"]) == (403, "not_joined")
    assert _votes_on(world.pid) == 0
    # The same phone may vote on B's own proposal, so the refusals above are about A.
    own = http.post(f"/api/v1/proposals/{world.b_pid}/votes", headers={"X-CSRFToken": csrf},
                    json={"client_id": uuid.uuid4().hex})
    assert own.status_code == 201  # a first vote (a new client_id): counted, not a replay
    assert _votes_on(world.b_pid) == 1


def _staff_only_socket_events() -> dict[str, set]:
    # From the command table, so a new staff-only command joins the matrix by itself: each
    # with the roles that must reach its operation.
    from participation.live.socket.commands import COMMANDS, MODERATE, STAFF

    return {name: MODERATE_A if command.who == MODERATE else MANAGE_A
            for name, command in COMMANDS.items() if command.who in STAFF}


SOCKET_ROLES = ("participant_a", "participant_b", "facilitator_a", "facilitator_b",
                "moderator_a", "cofacilitator_a", "reviewer", "admin")


def test_staff_only_socket_events_refuse_everyone_but_the_events_staff(app, world):
    from .support.sockets import Socket

    events = _staff_only_socket_events()
    assert len(events) >= 20
    assert events["set_phase"] == events["add_member"] == MANAGE_A
    assert events["hide_proposal"] == events["merge_proposals"] == MODERATE_A
    cells, refused_at_connect = 0, []
    for role in SOCKET_ROLES:
        socket = Socket(app, world.http[role],
                        {"csrf_token": world.csrf[role], "event": world.a_id})
        try:
            if not socket.connected:
                # Turned away at connect (staff of another event, a phone of B): a refusal too.
                assert role not in MODERATE_A, f"{role} could not connect to A"
                refused_at_connect.append(role)
                cells += len(events)
                continue
            for name, allowed in events.items():
                ack = socket.call(name, {})
                cells += 1
                if role in allowed:
                    # Staff of A reach the operation (which may reject the empty payload).
                    assert ack.get("error") not in ("forbidden", "server_error"), (name, ack)
                else:
                    assert ack == {"ok": False, "error": "forbidden",
                                   "message": ack.get("message")}, (role, name, ack)
        finally:
            socket.disconnect()
    assert cells == len(events) * len(SOCKET_ROLES)
    # The resident's own connection must really have been tried event by event.
    assert "participant_a" not in refused_at_connect


def test_facilitator_of_b_connects_to_a_only_as_a_resident(app, world):
    from participation.live.socket.connections import connections

    from .support.sockets import Socket

    outsider = Socket(app, world.http["facilitator_b"],
                      {"csrf_token": world.csrf["facilitator_b"], "event": world.a_id})
    owner = Socket(app, world.http["facilitator_a"],
                   {"csrf_token": world.csrf["facilitator_a"], "event": world.a_id})
    try:
        assert owner.connected
        staff_flags = {c.event_id: [] for c in connections.values()}
        for connection in connections.values():
            staff_flags[connection.event_id].append(connection.staff)
        # Exactly one staff connection to A: the owner's; B's facilitator is not staff there.
        assert staff_flags.get(world.a_id, []).count(True) == 1
        if outsider.connected:
            assert outsider.call("set_phase", {"phase": "vote"})["error"] == "forbidden"
        assert owner.call("set_phase", {"phase": "vote"})["ok"] is True
    finally:
        outsider.disconnect()
        owner.disconnect()


def test_console_forms_of_a_write_nothing_for_the_facilitator_of_b(app, world):
    from participation.events.models import Event
    from participation.proposals.models import Proposal

    http, csrf = world.http["facilitator_b"], world.csrf["facilitator_b"]
    phase = http.post(f"/events/{world.a_id}/phase", data={"csrf_token": csrf, "phase": "vote"})
    hide = http.post(f"/events/{world.a_id}/proposals/{world.pid}/hide",
                     data={"csrf_token": csrf, "reason": "Personuppgifter"})
    assert (phase.status_code, hide.status_code) == (403, 403)
    db.session.remove()
    assert db.session.get(Event, world.a_id).phase == "collect"
    assert db.session.get(Proposal, world.pid).status == "visible"


# --- a team moderator and a team facilitator, explicitly (issue 14's "done when") ---------

API = "/api/v1"


def _status_of(proposal_id) -> str:
    db.session.remove()
    return db.session.get(Proposal, proposal_id).status


def _phase(event_id) -> str:
    db.session.remove()
    return db.session.get(Event, event_id).phase


def _proposals(room, *titles) -> list[int]:
    phone = room.phone()
    return [room.propose(phone, title) for title in titles]


def test_a_moderator_hides_and_merges_but_gets_403_on_phase_changes(app, room, staff):
    workshop = room(phase="collect")
    p = _proposals(workshop, "Fler cykelbanor", "Cykelbanor", "Cykelbanor överallt",
                   "Träd på torget", "Parkbänkar", "Lekplatser", "Bättre bussar")
    moderator = Colleague(app, "mod@example.se")  # a facilitator's account, as moderator
    team.add_team_member(staff.facilitator, workshop.id, moderator.email, "moderator")
    event_id = workshop.id

    # The plain forms (no JavaScript).
    hidden = moderator.form(f"/events/{event_id}/proposals/{p[0]}/hide", reason="Personuppgifter")
    assert hidden.status_code in (302, 303) and _status_of(p[0]) == "hidden"
    merged = moderator.form(f"/events/{event_id}/merges", source_id=str(p[1]),
                            target_id=str(p[2]))
    assert merged.status_code in (302, 303) and _status_of(p[1]) == "merged"
    phase = moderator.form(f"/events/{event_id}/phase", phase="vote", confirmed="1")
    assert phase.status_code == 403 and _phase(event_id) == "collect"
    for path, data in ((f"/events/{event_id}/timer", {"minutes": "5"}),
                       (f"/events/{event_id}/tables", {"count": "3"})):
        assert moderator.form(path, **data).status_code == 403

    # REST.
    hide = moderator.http.post(f"{API}/proposals/{p[3]}/hide", headers=moderator.api,
                               json={"reason": "Utanför ämnet"})
    assert hide.status_code == 200 and _status_of(p[3]) == "hidden"
    merge = moderator.http.post(f"{API}/events/{event_id}/merges", headers=moderator.api,
                                json={"source_id": p[4], "target_id": p[5]})
    assert merge.status_code == 201 and _status_of(p[4]) == "merged"
    phase = moderator.http.post(f"{API}/events/{event_id}/phase", headers=moderator.api,
                                json={"phase": "vote"})
    assert phase.status_code == 403 and phase.get_json()["error"] == "forbidden"
    assert _phase(event_id) == "collect"

    # The socket: the moderator's connection is staff, yet set_phase is refused.
    socket = workshop.connect(moderator.http, {"csrf_token": moderator.csrf, "event": event_id})
    assert socket.connected
    assert socket.call("hide_proposal", {"proposal_id": p[6], "reason": "Dubblett"})["ok"]
    assert socket.call("restore_proposal", {"proposal_id": p[6]})["ok"]
    assert socket.call("merge_proposals", {"source_id": p[6], "target_id": p[5]})["ok"]
    refused = socket.call("set_phase", {"phase": "vote"})
    assert (refused["ok"], refused["error"]) == (False, "forbidden")
    assert socket.call("set_timer", {"seconds": 60})["error"] == "forbidden"
    assert _phase(event_id) == "collect"


def test_a_team_facilitator_runs_the_event_until_removed(app, room, staff):
    workshop = room(phase="collect")
    colleague = Colleague(app, "cofac@example.se")
    team.add_team_member(staff.facilitator, workshop.id, colleague.email, "facilitator")
    event_id, creator_id, creator = workshop.id, staff.facilitator.id, staff.auth(staff.facilitator)
    socket = workshop.connect(colleague.http, {"csrf_token": colleague.csrf, "event": event_id})
    assert socket.connected
    assert colleague.form(f"/events/{event_id}/phase", phase="vote",
                          confirmed="1").status_code in (302, 303)
    assert _phase(event_id) == "vote"
    back = colleague.http.post(f"{API}/events/{event_id}/phase", headers=colleague.api,
                               json={"phase": "collect"})
    assert back.status_code == 200 and _phase(event_id) == "collect"
    assert socket.call("set_timer", {"seconds": 60})["ok"]
    # A team facilitator may change the team too (but not remove the creator).
    creator_out = colleague.http.delete(f"{API}/events/{event_id}/team/{creator_id}",
                                        headers=colleague.api)
    assert creator_out.status_code == 409 and creator_out.get_json()["error"] == "creator_stays"

    removed = app.test_client().delete(f"{API}/events/{event_id}/team/{colleague.id}",
                                       headers=creator)
    assert removed.status_code == 200
    assert removed.get_json()["removed_user_id"] == colleague.id
    assert [m["email"] for m in removed.get_json()["team"]] == ["fac@example.se"]

    # Their very next request, on every channel, is refused.
    assert colleague.http.post(f"{API}/events/{event_id}/phase", headers=colleague.api,
                               json={"phase": "vote"}).status_code == 403
    assert colleague.form(f"/events/{event_id}/phase", phase="vote",
                          confirmed="1").status_code == 403
    assert colleague.http.get(f"/events/{event_id}/console").status_code == 403
    # Their open socket was closed by the server (on this process; on another, each command
    # is checked again).
    assert not socket.connected
    assert _phase(event_id) == "collect"


def test_a_removed_moderators_socket_is_closed(app, room, staff):
    workshop = room(phase="collect")
    moderator = Colleague(app, "mod@example.se")
    team.add_team_member(staff.facilitator, workshop.id, moderator.email, "moderator")
    socket = workshop.connect(moderator.http, {"csrf_token": moderator.csrf,
                                               "event": workshop.id})
    assert socket.connected
    team.remove_team_member(staff.facilitator, workshop.id, moderator.id)
    assert not socket.connected
