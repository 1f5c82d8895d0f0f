"""SQLite tuned for many short writes: WAL, NORMAL sync, busy timeout, BEGIN IMMEDIATE."""

from sqlalchemy import event
from sqlalchemy.engine import Engine

IMMEDIATE = "participation_immediate"


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
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A writer that starts deferred can fail with SQLITE_BUSY_SNAPSHOT when another writer
        # commits first; taking the write lock up front makes the busy timeout apply instead.
        immediate = connection.get_execution_options().get(IMMEDIATE)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
