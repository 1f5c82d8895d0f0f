"""Group commit (core/group_commit.py): writes that queue while a transaction is open share the
next one; each is answered after that commit; a refused one rolls back alone; a failed commit
fails them all. Threads stand in for greenlets; the test waits on the queue's length, not on
time."""

import threading
import time

import pytest
from sqlalchemy import select

from participation.core import receipts
from participation.core.errors import OperationError
from participation.core.group_commit import BatchFailed, GroupCommit, _Pending, _Queue, batch_key
from participation.core.receipts import WriteReceipt
from participation.extensions import db
from participation.participants import identity

from .support.sockets import new_id


@pytest.fixture
def person(any_db_app, make_event):
    event_id = make_event(phase="vote").id
    participant_id = identity.create(db.session, event_id, "group-commit-token-" + "g" * 24).id
    db.session.commit()
    db.session.remove()
    return event_id, participant_id


def _receipt(participant_id, client_id, fail=False):
    def step(cursor, _session):
        receipts.store_prepared(cursor, participant_id, client_id, "vote", {"ok": 1})
        if fail:  # after writing: the savepoint must take the row back
            raise OperationError("refused", "Refused on purpose.", 409)
        return client_id
    return step


def _stored(participant_id) -> set[str]:
    db.session.remove()
    return set(db.session.scalars(select(WriteReceipt.client_id).where(
        WriteReceipt.participant_id == participant_id)))


def _queued(group: GroupCommit, key, count: int) -> None:
    """Until `count` writes wait in the queue behind the open transaction (a condition, polled:
    the queue has no hook to wait on)."""
    deadline = time.monotonic() + 10
    while len(group._queues[key].pending) < count and time.monotonic() < deadline:
        time.sleep(0.001)
    assert len(group._queues[key].pending) == count


def test_queued_writes_share_one_commit_and_a_refusal_rolls_back_alone(any_db_app, person):
    event_id, participant_id = person
    group, key = GroupCommit(), batch_key(event_id)
    entered, hold, answers = threading.Event(), threading.Event(), {}
    ids = {name: new_id() for name in ("first", "b", "refused", "d")}

    def first(cursor, session):
        entered.set()
        hold.wait(10)  # the open transaction the others queue behind
        return _receipt(participant_id, ids["first"])(cursor, session)

    def call(name, step):
        with any_db_app.app_context():
            try:
                answers[name] = group.run(step, key)
            except OperationError as error:
                answers[name] = error.code
            finally:
                db.session.remove()

    threads = [threading.Thread(target=call, args=("first", first))]
    threads[0].start()
    assert entered.wait(10)  # the first leads, alone in its transaction
    for name in ("b", "refused", "d"):
        thread = threading.Thread(target=call, args=(name, _receipt(
            participant_id, ids[name], fail=name == "refused")))
        thread.start()
        threads.append(thread)
        _queued(group, key, len(threads) - 1)
    hold.set()
    for thread in threads:
        thread.join(10)

    assert answers == {"first": ids["first"], "b": ids["b"], "refused": "refused",
                       "d": ids["d"]}
    assert (group.batches, group.writes) == (2, 4)  # the first alone, then the three together
    assert _stored(participant_id) == {ids["first"], ids["b"], ids["d"]}


def test_a_failed_transaction_fails_every_write_of_its_batch(any_db_app, person):
    """A failure that is not one write's own (here a step that ends the transaction under
    the batch's feet) fails them all, each with its own exception, and stores nothing."""
    _event_id, participant_id = person
    group, key = GroupCommit(), "batch"
    entered, hold, answers = threading.Event(), threading.Event(), {}

    def first(cursor, session):
        entered.set()
        hold.wait(10)
        return _receipt(participant_id, "first-" + new_id()[:20])(cursor, session)

    def breaks(cursor, session):
        _receipt(participant_id, "breaks-" + new_id()[:20])(cursor, session)
        cursor.sql("ROLLBACK")  # the savepoint is gone: the batch cannot go on
        raise OperationError("refused", "Refused on purpose.", 409)

    def call(name, step):
        with any_db_app.app_context():
            try:
                answers[name] = group.run(step, key)
            except Exception as error:  # noqa: BLE001 - the answer is what is tested
                answers[name] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=call, args=("first", first))]
    threads[0].start()
    assert entered.wait(10)
    for name, step in (("ok", _receipt(participant_id, "ok-" + new_id()[:20])),
                       ("breaks", breaks)):
        threads.append(threading.Thread(target=call, args=(name, step)))
        threads[-1].start()
        _queued(group, key, len(threads) - 1)
    hold.set()
    for thread in threads:
        thread.join(10)
    assert isinstance(answers["first"], str)  # its own batch, committed
    assert isinstance(answers["ok"], BatchFailed) and isinstance(answers["breaks"], BatchFailed)
    assert answers["ok"] is not answers["breaks"]
    assert answers["ok"].__cause__ is answers["breaks"].__cause__  # the one failure behind both
    assert _stored(participant_id) == {answers["first"]}


def test_a_waiter_that_dies_hands_the_queue_on():
    """A leader (or the next in line) killed while it waits must not leave the queue with a
    leader that never comes: the next waiter leads."""
    group = GroupCommit()
    queue = _Queue()
    leader, waiter, last = _Pending(None), _Pending(None), _Pending(None)
    queue.pending[:] = [leader, waiter, last]
    queue.leading = leader.leads = True
    group._queues["key"] = queue
    group._abandon(queue, "key", waiter)  # an ordinary waiter: only leaves the line
    assert queue.pending == [leader, last] and not last.done.is_set()
    group._abandon(queue, "key", leader)  # the leader, before writing: the next one leads
    assert queue.pending == [last] and last.leads and last.done.is_set()
    group._abandon(queue, "key", last)  # the last one: nobody leads, the queue is gone
    assert not queue.leading and "key" not in group._queues


def test_a_vote_through_a_socket_never_locks_another_event(any_db_app, make_event, staff):
    """With the socket's event as its hint, a vote on another event's proposal is refused
    without touching that event (a batch holds one event's lock, never two)."""
    from participation.events.models import Event
    from participation.proposals.operations import cast_vote, submit_proposal

    here, there = make_event(phase="vote"), make_event(phase="collect")
    here_id, there_id = here.id, there.id
    proposal = submit_proposal(there_id, "author-token-" + "a" * 30, "Fler bänkar", "",
                               new_id())["proposal"]["id"]
    db.session.remove()
    version = db.session.get(Event, there_id).version
    db.session.remove()
    with pytest.raises(OperationError) as refused:
        cast_vote(proposal, lambda event_id: "voter-token-" + "v" * 30
                  if event_id == here_id else None, new_id(), event_hint=here_id)
    assert refused.value.code == "not_joined"
    db.session.remove()
    assert db.session.get(Event, there_id).version == version
    with pytest.raises(OperationError) as missing:
        cast_vote(2_000_000_000, lambda _e: "voter-token-" + "v" * 30, new_id(),
                  event_hint=here_id)
    assert missing.value.code == "proposal_not_found"


def test_alone_a_write_costs_no_savepoint(any_db_app, person):
    """With nothing queued a write is one plain transaction (what tests/test_write_cost.py
    counts)."""
    _event_id, participant_id = person
    statements = []
    from sqlalchemy import event as sa_event

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement.split()[0].upper())

    sa_event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert GroupCommit().run(_receipt(participant_id, "alone-" + new_id()[:20]),
                                 "key").startswith("alone-")
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", record)
    assert "SAVEPOINT" not in statements and "INSERT" in statements
