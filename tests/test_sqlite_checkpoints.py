"""The serving process checkpoints SQLite's WAL from its own thread (core/sqlite.py)."""

import time

from sqlalchemy import create_engine

from participation.core import sqlite


def test_a_background_thread_moves_the_wal_into_the_database_file(tmp_path, monkeypatch):
    monkeypatch.setattr(sqlite, "_autocheckpoint_pages", sqlite._autocheckpoint_pages)
    path = tmp_path / "checkpoints.db"
    engine = create_engine(f"sqlite:///{path}")
    sqlite.configure(engine)
    stop = sqlite.start_background_checkpoints(engine, interval=0.02)
    try:
        with engine.begin() as connection:
            # Commits leave checkpointing to the thread unless it falls far behind.
            assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == \
                sqlite.FOREGROUND_CHECKPOINT_PAGES
            connection.exec_driver_sql("CREATE TABLE filler (text TEXT)")
            for _ in range(200):
                connection.exec_driver_sql("INSERT INTO filler VALUES (?)", ("x" * 4000,))
        assert path.with_name(path.name + "-wal").stat().st_size > 800_000
        deadline = time.monotonic() + 20
        # Until checkpointed the rows live only in the WAL; then they are in the file itself.
        while path.stat().st_size < 800_000:
            assert time.monotonic() < deadline, "the WAL was never checkpointed"
            time.sleep(0.02)  # polling for the other thread's work, not timing it
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM filler").scalar() == 200
    finally:
        stop()
        engine.dispose()


def test_memory_databases_get_no_checkpoint_thread():
    engine = create_engine("sqlite://")
    assert sqlite.start_background_checkpoints(engine) is None
