"""Privacy: nothing identifying is stored, a resident erases their own input, and personal data
goes after the retention period while the tallies stay exact."""

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, inspect, select, text

from participation.core.time import utcnow
from participation.events.models import Event
from participation.events.operations import change_phase
from participation.extensions import db
from participation.members import operations as members
from participation.members.models import Member
from participation.participants.models import Participant
from participation.privacy import purge as purging
from participation.privacy.erase import erase_own_input
from participation.proposals import operations as ops
from participation.proposals.merge import merge_proposals
from participation.proposals.models import ModerationEntry, Proposal, ProposalMergeVote, Vote
from participation.proposals.ranking import tallies
from participation.proposals.shapes import author_proposal as full_proposal

from .conftest import csrf_from

# What would identify a device or a connection, in any spelling a column might use.
FORBIDDEN_COLUMNS = ("ip", "ip_address", "remote_addr", "user_agent", "useragent", "ua",
                     "x_forwarded_for", "forwarded_for", "client_ip", "device", "fingerprint")


def propose(event, title, token):
    return ops.submit_proposal(event.id, token, title, "", uuid.uuid4().hex)["proposal"]["id"]


def vote(event, pid, token):
    return ops.cast_vote(pid, lambda eid: token if eid == event.id else None, uuid.uuid4().hex, 1)


def person(token) -> Participant:
    db.session.rollback()
    return db.session.scalar(select(Participant).where(Participant.token == token))


def stored_votes(event_id) -> dict[int, int]:
    db.session.rollback()
    rows = db.session.execute(select(Vote.proposal_id, func.sum(Vote.dots))
                              .where(Vote.event_id == event_id).group_by(Vote.proposal_id))
    return dict(rows.all())


# --- nothing identifying is stored -----------------------------------------------------------

def test_no_table_has_a_column_for_ip_addresses_or_user_agents(app):
    inspector = inspect(db.engine)
    found = [(table, column["name"]) for table in inspector.get_table_names()
             for column in inspector.get_columns(table)
             if column["name"].lower() in FORBIDDEN_COLUMNS
             or "agent" in column["name"].lower() or column["name"].lower().endswith("_ip")]
    assert found == []
    # The scan does see the tables it checks (a scan of nothing would pass too).
    assert "participants" in inspector.get_table_names()


def test_an_ip_and_a_user_agent_sent_with_input_are_nowhere_in_the_database(app, make_event):
    event = make_event(phase="collect")
    ip, agent = "203.0.113.77", "Spionwebblasaren/9.9 (unik-agent-4711)"
    phone = app.test_client()
    env = {"REMOTE_ADDR": ip}
    headers = {"User-Agent": agent, "X-Forwarded-For": ip}
    page = phone.get(f"/j/{event.code}", environ_base=env, headers=headers)
    csrf = csrf_from(page.get_data(as_text=True))
    sent = phone.post(f"/j/{event.code}/proposals", environ_base=env, headers=headers,
                      data={"csrf_token": csrf, "title": "Fler cykelställ", "body": "",
                            "client_id": uuid.uuid4().hex})
    assert sent.status_code in (302, 303), sent.get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Proposal.id))) == 1  # the input did arrive
    dump = []
    with db.engine.connect() as connection:
        for table in inspect(db.engine).get_table_names():
            rows = connection.execute(text(f'SELECT * FROM "{table}"'))
            dump += [repr(tuple(row)) for row in rows]
    everything = "\n".join(dump)
    assert "Fler cykelställ" in everything
    assert ip not in everything and "unik-agent-4711" not in everything


# --- a resident erases their own input --------------------------------------------------------

@pytest.fixture
def erasable(make_event, staff):
    """Anna wrote three proposals and voted; Bo's proposal is merged into one of Anna's, one of
    Anna's is merged into Bo's other proposal."""
    event = make_event(phase="collect")
    anna_keep = propose(event, "Annas cykelbana", "anna")
    anna_merged = propose(event, "Annas buss", "anna")
    anna_plain = propose(event, "Annas träd", "anna")
    bo_target = propose(event, "Bos bussar", "bo")
    bo_source = propose(event, "Bos cykelbana", "bo")
    change_phase(staff.facilitator, event.id, "vote")
    vote(event, bo_target, "anna")
    vote(event, bo_source, "bo")
    vote(event, bo_source, "carl")
    vote(event, anna_keep, "carl")
    vote(event, anna_plain, "bo")
    merge_proposals(staff.facilitator, bo_source, anna_keep)
    merge_proposals(staff.facilitator, anna_merged, bo_target)
    db.session.rollback()
    return {"event": db.session.get(Event, event.id), "anna": [anna_keep, anna_merged, anna_plain],
            "bo_target": bo_target, "bo_source": bo_source,
            "code": person("anna").follow_code}


def test_erasing_removes_their_proposals_votes_and_merged_texts(app, erasable):
    event = erasable["event"]
    result = erase_own_input(erasable["code"])
    assert result["proposals"] == 3 and result["votes"] == 1
    db.session.rollback()
    assert db.session.scalars(select(Proposal.id).where(
        Proposal.id.in_(erasable["anna"]))).all() == []
    anna = person("anna")
    assert anna is not None and anna.display_name is None  # the cookie keeps working
    assert db.session.scalar(select(func.count(Vote.id))
                             .where(Vote.participant_id == anna.id)) == 0
    assert db.session.scalar(select(func.count(ProposalMergeVote.id))
                             .where(ProposalMergeVote.participant_id == anna.id)) == 0
    # Anna's text merged into Bo's proposal is gone from its provenance.
    target = db.session.get(Proposal, erasable["bo_target"])
    assert [m["title"] for m in full_proposal(target, event)["merged_from"]] == []
    # Bo's proposal that was merged into Anna's is his own again, with his and Carl's votes.
    source = db.session.get(Proposal, erasable["bo_source"])
    assert source.status == "visible" and source.merged_into_id is None
    assert stored_votes(event.id) == {erasable["bo_source"]: 2}
    trail = db.session.execute(select(ModerationEntry.action, ModerationEntry.actor_id,
                                      ModerationEntry.reason)
                               .where(ModerationEntry.proposal_id == source.id)).all()
    assert [tuple(t) for t in trail][-1] == ("unmerge", None, "Raderat av den som skrev det.")
    # Tallies are derived from what is stored, nothing else.
    derived = {pid: t["dots"] for pid, t in tallies(event.id).items() if t["dots"]}
    assert derived == stored_votes(event.id)


def test_erasing_twice_is_harmless_and_an_unknown_link_is_404(app, erasable):
    erase_own_input(erasable["code"])
    again = erase_own_input(erasable["code"])
    assert again["proposals"] == 0 and again["votes"] == 0
    from participation.core.errors import OperationError

    for bad in ("x" * 16, "short", 12345, None, ["list"], "y" * 200):
        with pytest.raises(OperationError) as error:
            erase_own_input(bad)
        assert error.value.status == 404
        db.session.rollback()


def test_erasing_pushes_the_removal_to_phones_and_staff(app, room):
    r = room()
    author, other = r.phone(), r.phone()
    console = r.facilitator()
    pid = r.propose(author, "Mitt förslag")
    db.session.rollback()
    code = db.session.scalar(select(Participant.follow_code)
                             .where(Participant.follow_code.is_not(None)))
    for socket in (other, console):
        socket.forget()
    erase_own_input(code)
    (push,) = other.received("proposal")
    assert push["proposal"] == {"id": pid, "number": 1, "status": "hidden", "erased": True,
                                "hidden_reason": "Raderat av den som skrev det."}
    assert push["version"] == db.session.get(Event, r.id).version
    assert [p["proposal"]["id"] for p in console.received("staff_proposal")] == [pid]


def test_the_follow_page_erases_after_a_confirmation_with_csrf(app, erasable):
    browser = app.test_client()
    code = erasable["code"]
    page = browser.get(f"/folj/{code}").get_data(as_text=True)
    assert f"/folj/{code}/radera" in page and "Radera mina förslag och röster" in page
    confirm = browser.get(f"/folj/{code}/radera")
    assert confirm.status_code == 200
    assert confirm.headers["Cache-Control"] == "private, no-store"
    assert db.session.scalar(select(func.count(Proposal.id))
                             .where(Proposal.id.in_(erasable["anna"]))) == 3  # GET erases nothing
    assert browser.post(f"/folj/{code}/radera", data={}).status_code == 400  # no CSRF token
    db.session.rollback()
    assert db.session.scalar(select(func.count(Proposal.id))
                             .where(Proposal.id.in_(erasable["anna"]))) == 3
    done = browser.post(f"/folj/{code}/radera",
                        data={"csrf_token": csrf_from(confirm.get_data(as_text=True))})
    assert done.status_code in (302, 303)
    after = browser.get(done.headers["Location"]).get_data(as_text=True)
    assert "Raderat. Förslag: 3, röster: 1." in after
    assert "Annas cykelbana" not in after
    db.session.rollback()
    assert db.session.scalar(select(func.count(Proposal.id))
                             .where(Proposal.id.in_(erasable["anna"]))) == 0
    assert browser.get("/folj/nonexistent-code1/radera").status_code == 404
    assert browser.post("/folj/nonexistent-code1/radera",
                        data={"csrf_token": csrf_from(after)}).status_code == 404


# --- the notice ------------------------------------------------------------------------------

def test_the_privacy_notice_in_swedish_and_english_is_linked_from_pages(app, make_event):
    browser = app.test_client()
    sv = browser.get("/integritet").get_data(as_text=True)
    assert "Integritet: det här sparar vi om dig" in sv and "365 dagar" in sv
    assert "IP-adress" in sv and "Radera mina förslag och röster" in sv
    csrf = csrf_from(sv)
    browser.post("/lang/en", data={"csrf_token": csrf, "next": "/integritet"})
    en = browser.get("/integritet").get_data(as_text=True)
    assert "Privacy: what we keep about you" in en and "365 days" in en
    event = make_event(phase="collect")
    phone = app.test_client().get(f"/j/{event.code}").get_data(as_text=True)
    assert phone.count('href="/integritet"') == 2  # the page's own line and the footer
    assert 'href="/integritet"' in app.test_client().get("/").get_data(as_text=True)


# --- purge after retention --------------------------------------------------------------------

def test_purge_clears_identities_after_retention_and_keeps_tallies_exact(any_db_app, make_event,
                                                                        staff):
    event = make_event(phase="collect")
    first = propose(event, "Fler cykelställ", "anna")
    from participation.participants.operations import set_display_name

    set_display_name(event.id, "bo", "Bo B")
    ops.submit_proposal(event.id, "bo", "Bussar", "", uuid.uuid4().hex)
    change_phase(staff.facilitator, event.id, "vote")
    vote(event, first, "bo")
    vote(event, first, "carl")
    group = make_event(kind="referensgrupp", phase="collect")
    members.add_member(staff.facilitator, group.id, "Anna Andersson", email="anna@example.se")
    members.add_member(staff.facilitator, group.id, "Bo Berg", email="bo@example.se")
    recent = make_event(phase="collect")
    propose(recent, "Nytt", "dora")
    for e in (event, group, recent):
        for phase in ("vote", "results", "closed") if e.id != event.id else ("results", "closed"):
            change_phase(staff.facilitator, e.id, phase)
    long_ago = utcnow() - timedelta(days=400)
    db.session.execute(Event.__table__.update().where(Event.id.in_([event.id, group.id]))
                       .values(closed_at=long_ago))
    db.session.commit()
    before = stored_votes(event.id)
    version = db.session.get(Event, event.id).version

    dry = purging.purge(365, dry_run=True)
    assert [(e.id, c) for e, c in dry] == [
        # Everyone who took part has a follow code, the voter who wrote nothing too.
        (event.id, {"participants": 3, "follow_codes": 3, "display_names": 1,
                    "author_names": 1, "members": 0}),
        (group.id, {"participants": 0, "follow_codes": 0, "display_names": 0,
                    "author_names": 0, "members": 2})]
    db.session.rollback()
    assert person("anna").follow_code is not None  # a dry run changes nothing
    assert db.session.get(Event, event.id).version == version

    done = purging.purge(365)
    assert [e.id for e, _ in done] == [event.id, group.id]
    db.session.rollback()
    assert person("anna") is None and person("bo") is None  # the cookies match nobody now
    rows = db.session.scalars(select(Participant).where(Participant.event_id == event.id)).all()
    assert all(p.follow_code is None and p.display_name is None for p in rows)
    assert db.session.scalars(select(Proposal.author_name)
                              .where(Proposal.event_id == event.id)).all() == [None, None]
    assert db.session.scalars(select(Proposal.title).where(Proposal.event_id == event.id)
                              .order_by(Proposal.id)).all() == ["Fler cykelställ", "Bussar"]
    assert stored_votes(event.id) == before == {first: 2}
    names = db.session.execute(select(Member.name, Member.email).where(Member.event_id == group.id)
                               .order_by(Member.id)).all()
    assert [tuple(n) for n in names] == [("Medlem 1", None), ("Medlem 2", None)]
    assert person("dora").follow_code is not None  # closed too recently: untouched
    assert purging.purge(365) == []  # a purged event is not purged again


def test_purge_cli_reports_counts_and_dry_run(app, make_event, staff):
    event = make_event(phase="collect")
    propose(event, "Ett förslag", "anna")
    for phase in ("vote", "results", "closed"):
        change_phase(staff.facilitator, event.id, phase)
    assert db.session.get(Event, event.id).closed_at is not None
    runner = app.test_cli_runner()
    out = runner.invoke(args=["privacy", "purge", "--dry-run"]).output
    assert "0 events would purge (retention 365 days)" in out
    app.config["RETENTION_DAYS"] = 0
    out = runner.invoke(args=["privacy", "purge", "--dry-run"]).output
    assert f"would purge event {event.id}" in out and "follow_codes 1" in out
    code = person("anna").follow_code
    assert app.test_client().get(f"/folj/{code}").status_code == 200
    out = runner.invoke(args=["privacy", "purge"]).output
    assert f"purged event {event.id}" in out and "1 events purged" in out
    assert person("anna") is None
    assert app.test_client().get(f"/folj/{code}").status_code == 404


def test_reopening_an_event_clears_its_closing_time(app, make_event, staff):
    event = make_event(phase="closed")
    assert db.session.get(Event, event.id).closed_at is not None
    change_phase(staff.facilitator, event.id, "results")
    db.session.rollback()
    assert db.session.get(Event, event.id).closed_at is None


def test_rest_erase_uses_the_same_operation_and_is_described(app, erasable, room):
    http = app.test_client()
    answer = http.post(f"/api/v1/follow/{erasable['code']}/erase")
    assert answer.status_code == 200
    db.session.rollback()
    assert answer.get_json() == {"proposals": 3, "votes": 1,
                                 "version": db.session.get(Event, erasable["event"].id).version}
    assert answer.headers["Cache-Control"] == "private, no-store"
    assert http.post(f"/api/v1/follow/{erasable['code']}/erase").get_json()["proposals"] == 0
    for bad in ("x" * 16, "short", "y" * 40):
        refused = http.post(f"/api/v1/follow/{bad}/erase")
        assert refused.status_code == 404 and refused.get_json()["error"] == "follow_not_found"
    # A joined phone's cookie carries authority: then the page's CSRF token is required.
    r = room()
    phone = r.phone(connect=False)
    assert phone.post(f"/api/v1/follow/{erasable['code']}/erase").status_code == 400
    ok = phone.post(f"/api/v1/follow/{erasable['code']}/erase",
                    headers={"X-CSRFToken": phone.csrf})
    assert ok.status_code == 200
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    assert set(spec["paths"]["/follow/{follow_code}/erase"]) == {"post"}


def test_the_migration_starts_the_retention_of_already_closed_events_now(tmp_path):
    from flask_migrate import downgrade, upgrade

    from .conftest import make_app

    app = make_app(f"sqlite:///{tmp_path / 'migrated.db'}")
    with app.app_context():
        upgrade(revision="e5a7c3d19b42")
        with db.engine.begin() as conn:
            for code, phase in (("OLD1", "closed"), ("OPEN1", "collect")):
                conn.execute(text(
                    "INSERT INTO events (code, title, prompt, kind, phase, voting_method, "
                    "dots_per_person, max_dots_per_proposal, moderation, hide_tallies, "
                    "tallies_revealed, shuffle_ballot, show_themes, version, created_at) "
                    "VALUES (:code, 't', 'p', 'medborgarverkstad', :phase, 'approval', 1, 1, "
                    "'post', 0, 0, 0, 0, 1, :now)"), {"code": code, "phase": phase,
                                                     "now": utcnow()})
        upgrade(revision="c4f1a9e27d30")
        with db.engine.connect() as conn:
            rows = dict(conn.execute(text("SELECT code, closed_at FROM events")).all())
        assert rows["OPEN1"] is None and rows["OLD1"] is not None
        downgrade(revision="e5a7c3d19b42")
        assert "staff_audit" not in inspect(db.engine).get_table_names()
        db.engine.dispose()
