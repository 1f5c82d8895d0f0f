"""Group commit: the writes that are waiting when a transaction starts share its commit.

At a thousand votes a second a commit per vote is most of a vote's cost (BEGIN, the Session
and its connection, the WAL write of the same few pages, COMMIT). Here a vote that arrives
while another batch is being written queues; the next batch takes every queued vote (up to
MAX_BATCH) into one transaction, each in a SAVEPOINT of its own so a refused vote rolls back
alone, and commits once. Every caller gets its own answer only after that commit, so an
acknowledgement still means "stored"; if the commit fails, every vote of the batch fails and
its phone retries with the same client_id.

With no queue (a quiet room) a vote runs alone, in a transaction of its own, without
savepoints: what it cost before. No thread or greenlet is added: the caller whose vote is
first in the queue writes the batch, the others wait for theirs.

A step runs in the context (contextvars) of the request that queued it, so what it reads of
its own request (the browser's session, its token) is its own; it must use the Cursor and
Session it is given (the batch's own, not any request's), never `db.session`, which would be
a second connection waiting for the database lock this transaction holds. A waiter that is
killed while it waits (a timeout, a stopping server) leaves the queue and hands it on.

Batches are kept apart by `key`: one queue for a SQLite database (it has one writer anyway),
one queue per event on PostgreSQL, where a batch over two events could take their row locks
in one order while another process takes them in the other.
"""

import contextvars
import logging
import threading

from flask import current_app

from .errors import last_refusal
from .prepared import Cursor
from .tx import separate_write_transaction

MAX_BATCH = 64
logger = logging.getLogger("participation.group_commit")


class BatchFailed(Exception):
    """The transaction a write shared failed (its commit, or another write's error that was
    not a refusal): nothing of the batch is stored; the client retries with its client_id."""


class _Pending:
    __slots__ = ("step", "context", "done", "leads", "handed_on", "result", "error", "shared")

    def __init__(self, step):
        self.step = step
        self.context = contextvars.copy_context()
        self.done = threading.Event()  # gevent's Event once monkey-patched
        self.leads = False
        self.handed_on = False  # a leader that wrote its batch has passed the queue on
        self.result = None
        self.error = None
        self.shared = False  # the error is the batch's, not this write's own

    def answer(self):
        if self.error is not None:
            if self.shared:
                # Each waiter raises its own exception (one object raised in many greenlets
                # would mix their tracebacks); the batch's error is its cause.
                raise BatchFailed("the transaction this write shared failed") from self.error
            # The step ran in a copy of its request's context: the refusal it noted (for the
            # write log, web/logs.py) is its request's.
            if (refused := self.context.get(last_refusal)) is not None:
                last_refusal.set(refused)
            raise self.error
        return self.result


class _Queue:
    __slots__ = ("pending", "leading")

    def __init__(self):
        self.pending: list[_Pending] = []
        self.leading = False


def _yield_now():
    """Under gevent: let the greenlets that are ready (votes already read off their sockets)
    reach the queue before a batch is taken. With threads they queue meanwhile anyway."""
    from gevent import monkey

    if monkey.is_module_patched("threading"):
        import gevent

        gevent.sleep(0)


def batch_key(event_id):
    """The queue a write on `event_id` joins: SQLite's one, else the event's (None, an event
    not known before the write: it runs alone)."""
    # The configured URL, not db.engine: finding the app's engine costs more than the rest.
    sqlite = current_app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    return "sqlite" if sqlite else event_id


class GroupCommit:
    def __init__(self):
        self._lock = threading.Lock()
        self._queues: dict = {}
        self.batches = 0  # for the bench and tests: how many transactions the writes took
        self.writes = 0

    def run(self, step, key=None):
        """Run `step(cursor, session)` in a write transaction shared with whatever is queued
        under the same `key` (batch_key); its return value, or its exception, once that
        transaction has ended. With no key it runs alone."""
        pending = _Pending(step)
        if key is None:
            self._write([pending])
            return pending.answer()
        with self._lock:
            queue = self._queues.setdefault(key, _Queue())
            queue.pending.append(pending)
            if not queue.leading:
                queue.leading = pending.leads = True
        try:
            if not pending.leads:
                pending.done.wait()
            if pending.leads:  # first in the queue, or handed the queue by the batch before
                self._lead(queue, key, pending)
        except BaseException:
            # Killed while waiting or about to lead (a timeout, a stopping server): the queue
            # must not be left with a leader that never comes.
            self._abandon(queue, key, pending)
            raise
        return pending.answer()

    def _lead(self, queue: _Queue, key, leader: _Pending) -> None:
        _yield_now()
        with self._lock:
            batch = queue.pending[:MAX_BATCH]
            del queue.pending[:MAX_BATCH]
        try:
            self._write(batch)
        finally:
            with self._lock:
                self._hand_on(queue, key)
                leader.handed_on = True
            for pending in batch:
                pending.done.set()

    def _hand_on(self, queue: _Queue, key) -> None:
        """Under the lock: the next batch is led by the first of those that wait, if any."""
        if queue.pending:
            queue.pending[0].leads = True
            queue.pending[0].done.set()
        else:
            queue.leading = False
            if self._queues.get(key) is queue:
                del self._queues[key]

    def _abandon(self, queue: _Queue, key, pending: _Pending) -> None:
        with self._lock:
            if pending in queue.pending:
                queue.pending.remove(pending)
            if pending.leads and not pending.handed_on:
                self._hand_on(queue, key)

    def _write(self, batch: list[_Pending]) -> None:
        self.batches += 1
        self.writes += len(batch)
        try:
            with separate_write_transaction() as session:
                cursor = Cursor(session.connection())
                if len(batch) == 1:
                    # Alone: the transaction is the savepoint; a refusal rolls it all back.
                    alone = batch[0]
                    try:
                        alone.result = alone.context.run(alone.step, cursor, session)
                    except Exception as error:
                        alone.error = error
                        raise
                    return
                for pending in batch:
                    _in_savepoint(pending, cursor, session)
        except BaseException as error:
            shared = [pending for pending in batch if pending.error is None]
            for pending in shared:
                pending.result, pending.error, pending.shared = None, error, True
            if shared:
                # Logged once here; each of those writes is answered server_error (and retried
                # by its client with the same client_id).
                logger.error("a transaction of %d votes failed", len(batch), exc_info=error)
            if not isinstance(error, Exception):
                raise  # GreenletExit, KeyboardInterrupt: the waiters have their answer


def _in_savepoint(pending: _Pending, cursor: Cursor, session) -> None:
    cursor.sql("SAVEPOINT vote")
    try:
        pending.result = pending.context.run(pending.step, cursor, session)
    except Exception as error:
        cursor.sql("ROLLBACK TO SAVEPOINT vote")
        # A participant the ORM added in the rolled-back part must not stay in its identity map
        # (the batch's own Session: the requests' objects are not in it).
        session.expunge_all()
        pending.error = error
    cursor.sql("RELEASE SAVEPOINT vote")
