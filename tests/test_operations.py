"""The operations every entry point shares, on SQLite and PostgreSQL."""

import hashlib

import pytest
from sqlalchemy import func, select

from participation.core.bus import published
from participation.core.errors import OperationError
from participation.events.models import Event
from participation.events.operations import change_phase
from participation.extensions import db
from participation.participants.models import Participant
from participation.proposals import moderation
from participation.proposals import operations as ops
from participation.proposals.models import Proposal, Vote
from participation.proposals.ranking import ranked, tallies

DOTS = {"method": "dots", "dots": 5, "max_per_proposal": 3}


@pytest.fixture
def events_seen():
    seen = []

    def record(domain_event):
        seen.append(domain_event)

    published.connect(record)
    yield seen
    published.disconnect(record)


def tokens(event_id, token):
    return lambda eid: token if eid == event_id else None


def submit(event, token="phone-a-token", title="Belys cykelbanorna", client_id=None):
    key = client_id or "c-" + hashlib.sha1(f"{title}/{token}".encode()).hexdigest()[:20]
    return ops.submit_proposal(event.id, token, title, "", key)


def version_of(event_id):
    db.session.expire_all()
    return db.session.scalar(select(Event.version).where(Event.id == event_id))


def test_submit_stores_publishes_after_commit_and_bumps_version(any_db_app, make_event,
                                                                events_seen):
    event = make_event(phase="collect")
    before = version_of(event.id)
    result = submit(event)
    assert result["version"] == before + 1 == version_of(event.id)
    assert result["proposal"]["title"] == "Belys cykelbanorna"
    assert [e.name for e in events_seen][-1:] == ["proposal.submitted"]
    assert events_seen[-1].version == result["version"]
    # The publish happened after the commit: a fresh session already sees the row.
    assert db.session.scalar(select(func.count(Proposal.id))) == 1


def test_same_client_id_replays_without_storing_again(any_db_app, make_event, events_seen):
    event = make_event(phase="collect")
    first = submit(event, client_id="same-key-123")
    again = submit(event, client_id="same-key-123")
    assert again["replayed"] is True
    assert again["proposal"] == first["proposal"]
    assert db.session.scalar(select(func.count(Proposal.id))) == 1
    assert [e.name for e in events_seen].count("proposal.submitted") == 1
    assert version_of(event.id) == first["version"]


def test_client_id_reused_for_another_kind_is_refused(any_db_app, make_event):
    event = make_event(phase="collect")
    proposal = submit(event, client_id="shared-key-1")["proposal"]
    change_phase(_creator(event), event.id, "vote")
    with pytest.raises(OperationError) as refused:
        ops.cast_vote(proposal["id"], tokens(event.id, "phone-a-token"), "shared-key-1")
    assert refused.value.code == "client_id_reused"


def _creator(event):
    from participation.accounts.models import User

    return db.session.get(User, db.session.get(Event, event.id).created_by_id)


def test_participant_row_is_created_on_first_write_only(any_db_app, make_event):
    event = make_event(phase="collect")
    assert db.session.scalar(select(func.count(Participant.id))) == 0
    submit(event, token="t-1", title="Ett")
    submit(event, token="t-1", title="Två")
    submit(event, token="t-2", title="Tre")
    assert db.session.scalar(select(func.count(Participant.id))) == 2


def test_approval_vote_once_then_withdraw(any_db_app, make_event):
    event = make_event(phase="collect")
    pid = submit(event)["proposal"]["id"]
    change_phase(_creator(event), event.id, "vote")
    mine = tokens(event.id, "voter-token")
    result = ops.cast_vote(pid, mine, "vote-key-0001")
    assert result["ballot"] == {"votes": {str(pid): 1}, "spent": 1, "remaining": None}
    with pytest.raises(OperationError) as second:
        ops.cast_vote(pid, mine, "vote-key-0002")
    assert (second.value.code, second.value.status) == ("already_voted", 409)
    withdrawn = ops.withdraw_vote(pid, mine, "withdraw-key-1")
    assert withdrawn["ballot"]["spent"] == 0
    assert db.session.scalar(select(func.count(Vote.id))) == 0


def test_dot_budget_and_per_proposal_cap(any_db_app, make_event):
    event = make_event(voting=DOTS, phase="collect")
    first = submit(event, title="Första")["proposal"]["id"]
    second = submit(event, title="Andra")["proposal"]["id"]
    change_phase(_creator(event), event.id, "vote")
    mine = tokens(event.id, "dotter")
    assert ops.cast_vote(first, mine, "dots-key-01", 3)["ballot"]["remaining"] == 2
    with pytest.raises(OperationError) as cap:
        ops.cast_vote(first, mine, "dots-key-02", 1)
    assert cap.value.code == "proposal_dot_limit"
    assert ops.cast_vote(second, mine, "dots-key-03", 2)["ballot"]["remaining"] == 0
    with pytest.raises(OperationError) as budget:
        ops.cast_vote(second, mine, "dots-key-04", 1)
    assert budget.value.code in ("no_dots_left", "proposal_dot_limit")
    assert tallies(event.id) == {first: {"votes": 1, "dots": 3}, second: {"votes": 1, "dots": 2}}


def test_writes_outside_their_phase_change_nothing(any_db_app, make_event):
    event = make_event(phase="lobby")
    before = version_of(event.id)
    with pytest.raises(OperationError) as early:
        submit(event)
    assert early.value.code == "wrong_phase"
    assert version_of(event.id) == before
    assert db.session.scalar(select(func.count(Participant.id))) == 0


def test_closed_event_refuses_with_its_own_code(any_db_app, make_event):
    event = make_event(phase="closed")
    with pytest.raises(OperationError) as closed:
        submit(event)
    assert closed.value.code == "event_closed"


def test_phase_transitions_follow_the_workshop(any_db_app, make_event, staff):
    event = make_event()
    with pytest.raises(OperationError) as skip:
        change_phase(staff.facilitator, event.id, "results")
    assert skip.value.code == "invalid_transition"
    with pytest.raises(OperationError) as other:
        change_phase(staff.other, event.id, "collect")
    assert other.value.code == "forbidden"
    assert change_phase(staff.admin, event.id, "collect").phase == "collect"


def test_hide_keeps_reason_visible_and_returns_votes(any_db_app, make_event, staff, events_seen):
    event = make_event(voting=DOTS, phase="collect")
    pid = submit(event)["proposal"]["id"]
    change_phase(staff.facilitator, event.id, "vote")
    ops.cast_vote(pid, tokens(event.id, "v1"), "hide-vote-01", 2)
    result = moderation.hide_proposal(staff.facilitator, pid, "Personangrepp")
    assert (result["proposal"]["status"], result["proposal"]["hidden_reason"]) == (
        "hidden", "Personangrepp")
    assert tallies(event.id) == {}
    assert db.session.scalar(select(func.count(Vote.id))) == 0
    assert (events_seen[-1].name, events_seen[-1].data["action"]) == ("proposal.moderated", "hide")
    assert events_seen[-1].data["public"] == {
        "id": pid, "number": 1, "status": "hidden", "hidden_reason": "Personangrepp"}
    with pytest.raises(OperationError) as again:
        ops.cast_vote(pid, tokens(event.id, "v1"), "hide-vote-02", 1)
    assert again.value.code == "proposal_hidden"


def test_ranking_shares_ranks_on_ties(any_db_app, make_event):
    event = make_event(phase="collect")
    ids = [submit(event, title=t)["proposal"]["id"] for t in ("A", "B", "C", "D")]
    change_phase(_creator(event), event.id, "vote")
    for voter, picks in {"v1": [0, 1, 2], "v2": [0, 1], "v3": [2]}.items():
        for i in picks:
            ops.cast_vote(ids[i], tokens(event.id, voter), f"{voter}-pick-{i}")
    rows = ranked(db.session.get(Event, event.id))
    assert [(r["title"], r["votes"], r["rank"]) for r in rows] == [
        ("A", 2, 1), ("B", 2, 1), ("C", 2, 1), ("D", 0, 4)]


def test_sqlite_writes_begin_immediate_and_use_wal(app, make_event):
    from sqlalchemy import event as sa_event
    from sqlalchemy import text

    event = make_event(phase="collect")
    statements = []

    def capture(conn, cursor, statement, *args):
        statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", capture)
    try:
        submit(event)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", capture)
    assert "BEGIN IMMEDIATE" in statements
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 15000
