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
from participation.core.group_commit import GroupCommit, batch_key
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


def test_a_failed_commit_fails_every_write_of_its_batch(any_db_app, person):
    _event_id, participant_id = person
    group = GroupCommit()
    same = new_id()

    # Two writes of one batch with the same key: the second breaks the receipts' unique
    # constraint, and a failure outside an OperationError is not a refusal: nothing is kept.
    def both(cursor, session):
        _receipt(participant_id, same)(cursor, session)
        return _receipt(participant_id, same)(cursor, session)

    with pytest.raises(Exception) as raised:
        group.run(both, None)
    assert "IntegrityError" in type(raised.value).__name__
    assert _stored(participant_id) == set()


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
