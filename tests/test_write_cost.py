"""How many SQL statements a vote costs, on SQLite and PostgreSQL: a count, not a timing.

The write path was about 20 statements per vote through the ORM (docs/benchmarks.md); these
bounds keep what it was cut to, so a change that adds queries to every vote fails here.
Transaction control (BEGIN, BEGIN IMMEDIATE) is not counted: SQLite shows it as a statement,
PostgreSQL does not.
"""

import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import event as sa_event

from participation.events.operations import change_phase
from participation.extensions import db
from participation.live.socket.relay import relay
from participation.proposals.models import Vote
from participation.proposals.operations import cast_vote, submit_proposal, withdraw_vote

from .conftest import csrf_from, isolated
from .support.sockets import new_id

# UPDATE events … RETURNING (lock, version, the event's row), the proposal, one read of the
# participant with any receipt for the client_id and the person's votes, INSERT vote, INSERT
# receipt (proposals/ballot_statements.py).
VOTE_STATEMENTS = 5
WITHDRAW_STATEMENTS = 4
FIRST_VOTE_STATEMENTS = VOTE_STATEMENTS + 1  # INSERT participant
REPLAY_STATEMENTS = 3
# The coalesced tallies push: version and method, tallies, hand counts, voters.
TALLY_FLUSH_STATEMENTS = 4
# A resident's snapshot: the event, proposals, their merged sources, focus areas, questions and
# tables once per version and process (events/snapshot.py), then the participant and its votes.
SNAPSHOT_STATEMENTS = 8
# The next phone at the same version: the event and the participant only.
SHARED_SNAPSHOT_STATEMENTS = 2


@contextmanager
def counted():
    statements = []

    def record(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith("BEGIN"):
            statements.append(" ".join(statement.split()))

    sa_event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", record)


@pytest.fixture
def no_tally_push(monkeypatch):
    """Tests run the relay synchronously; production coalesces it, so it is counted apart."""
    monkeypatch.setattr(relay, "mark_tallies", lambda event_id: None)


@pytest.fixture
def voting(any_db_app, make_event, staff):
    event = make_event(phase="collect")
    proposals = [submit_proposal(event.id, f"author-token-{i:02d}-{'x' * 20}", f"Förslag {i}", "",
                                 new_id())["proposal"]["id"] for i in range(3)]
    change_phase(staff.facilitator, event.id, "vote")
    db.session.remove()
    return event.id, event.code, proposals


def _as(token):
    return lambda _event_id: token


def test_a_vote_costs_a_bounded_number_of_statements(voting, no_tally_push):
    _event_id, _code, proposals = voting
    token = "voter-token-" + "v" * 31
    with counted() as first:
        result = cast_vote(proposals[0], _as(token), new_id())
    assert result["ballot"]["spent"] == 1
    assert len(first) <= FIRST_VOTE_STATEMENTS, first
    db.session.remove()

    with counted() as second:
        cast_vote(proposals[1], _as(token), new_id())
    assert len(second) <= VOTE_STATEMENTS, second
    assert sum("INSERT INTO votes" in s for s in second) == 1
    db.session.remove()

    client_id = new_id()
    cast_vote(proposals[2], _as(token), client_id)
    db.session.remove()
    with counted() as replay:
        again = cast_vote(proposals[2], _as(token), client_id)
    assert again["replayed"] is True
    assert len(replay) <= REPLAY_STATEMENTS, replay
    assert not any(s.startswith("INSERT") for s in replay)
    assert db.session.query(Vote).filter_by(proposal_id=proposals[2]).count() == 1


def test_withdrawing_costs_no_more_than_voting(voting, no_tally_push):
    _event_id, _code, proposals = voting
    token = "voter-token-" + "w" * 31
    cast_vote(proposals[0], _as(token), new_id())
    db.session.remove()
    with counted() as statements:
        result = withdraw_vote(proposals[0], _as(token), new_id())
    assert result["ballot"]["spent"] == 0
    assert len(statements) <= WITHDRAW_STATEMENTS, statements


def test_the_coalesced_tally_push_is_a_bounded_read(voting):
    event_id, _code, proposals = voting
    cast_vote(proposals[0], _as("voter-token-" + "t" * 31), new_id())
    db.session.remove()
    with counted() as statements:
        relay._flush({event_id}, set())
    assert len(statements) <= TALLY_FLUSH_STATEMENTS, statements


def test_a_socket_vote_adds_no_statement_to_the_operation(any_db_app, voting, no_tally_push):
    from participation.extensions import socketio

    event_id, code, proposals = voting
    http = any_db_app.test_client()
    csrf = csrf_from(http.get(f"/j/{code}").get_data(as_text=True))
    with counted() as connect:
        phone = isolated(socketio.test_client, any_db_app, flask_test_client=http,
                         auth={"csrf_token": csrf, "event": event_id})
    assert phone.is_connected()
    assert len(connect) <= SNAPSHOT_STATEMENTS, connect
    other = any_db_app.test_client()
    other_csrf = csrf_from(other.get(f"/j/{code}").get_data(as_text=True))
    with counted() as shared:
        neighbour = isolated(socketio.test_client, any_db_app, flask_test_client=other,
                             auth={"csrf_token": other_csrf, "event": event_id})
    snapshot = neighbour.get_received()[0]["args"][0]
    isolated(neighbour.disconnect)
    assert len(shared) <= SHARED_SNAPSHOT_STATEMENTS, shared
    assert {p["id"] for p in snapshot["proposals"]} == set(proposals)
    assert snapshot["me"]["ballot"]["spent"] == 0
    try:
        with counted() as first:
            ack = isolated(phone.emit, "vote", {"proposal_id": proposals[0],
                                                "client_id": uuid.uuid4().hex}, callback=True)
        assert ack["ok"], ack
        assert len(first) <= FIRST_VOTE_STATEMENTS, first
        with counted() as second:
            ack = isolated(phone.emit, "vote", {"proposal_id": proposals[1],
                                                "client_id": uuid.uuid4().hex}, callback=True)
        assert ack["ok"] and ack["ballot"]["spent"] == 1 + 1, ack
        assert len(second) <= VOTE_STATEMENTS, second
    finally:
        isolated(phone.disconnect)
