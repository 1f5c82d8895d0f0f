"""SQLite tuned for many short writes: WAL, NORMAL sync, busy timeout, BEGIN IMMEDIATE.

The server also checkpoints the WAL from a thread of its own (start_background_checkpoints):
SQLite's automatic checkpoint runs inside whichever commit crosses 1,000 pages, copies the WAL
into the database and syncs it, which under a steady vote load was most of the commits' time
and stalled the whole gevent process for 10-20 ms every couple of hundred votes. The commit
itself is unchanged (WAL + synchronous=NORMAL: durable against a process crash, each
acknowledged write committed on its own).
"""

import sys

from sqlalchemy import event
from sqlalchemy.engine import Engine

IMMEDIATE = "participation_immediate"
# SQLite's default; raised while a background thread checkpoints, so a commit only checkpoints
# itself if that thread falls far behind.
_autocheckpoint_pages = 1000
FOREGROUND_CHECKPOINT_PAGES = 20000


def configure(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Take transaction control away from pysqlite so that we can emit BEGIN IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA wal_autocheckpoint={_autocheckpoint_pages}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A writer that starts deferred can fail with SQLITE_BUSY_SNAPSHOT when another writer
        # commits first; taking the write lock up front makes the busy timeout apply instead.
        immediate = connection.get_execution_options().get(IMMEDIATE)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def start_background_checkpoints(engine: Engine, interval: float = 0.2):
    """In the serving process: checkpoint the WAL every `interval` seconds from an OS thread.

    The thread has its own sqlite3 connection and runs PASSIVE checkpoints, which never wait
    for or block a writer; the sqlite3 module releases the GIL while SQLite works, so the
    gevent loop keeps serving meanwhile. Returns a function that stops the thread (None for
    a database that is not a SQLite file).
    """
    global _autocheckpoint_pages
    path = engine.url.database
    if engine.dialect.name != "sqlite" or not path or path == ":memory:":
        return None
    _autocheckpoint_pages = FOREGROUND_CHECKPOINT_PAGES
    engine.dispose()  # pooled connections reopen with the raised limit
    from gevent import monkey

    start_thread = monkey.get_original("_thread", "start_new_thread")
    sleep = monkey.get_original("time", "sleep")
    running = [True]  # a plain flag: gevent's Event would not wake an OS thread
    start_thread(_checkpoint_loop, (path, interval, sleep, running))
    return lambda: running.clear()


def _checkpoint_loop(path: str, interval: float, sleep, running: list) -> None:
    import sqlite3

    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    while running:
        sleep(interval)
        try:
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error as error:  # e.g. busy or being replaced; try again next time
            # Not `logging`: its locks are gevent's, and this is not a gevent thread.
            sys.stderr.write(f"background WAL checkpoint failed: {error}\n")
    connection.close()
