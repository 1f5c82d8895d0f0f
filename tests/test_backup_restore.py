"""Backups that restore: a database filled through the app's own operations is backed up with
`flask backup`, restored with `flask restore` into another, empty database, and every table is
compared row by row, on SQLite and on PostgreSQL (docs/deploy.md, Backups and restore)."""

import os
import stat
import uuid

import pytest
from flask_migrate import upgrade
from sqlalchemy import MetaData, create_engine, select

from participation.backlog.operations import create_measure
from participation.events.operations import change_phase, create_event
from participation.events.tables import set_table_count
from participation.extensions import db
from participation.members.operations import accept_invitation, add_member
from participation.ops.postgres_tools import connection
from participation.proposals.merge import merge_proposals
from participation.proposals.operations import cast_vote, submit_proposal

from .conftest import Staff, make_app, postgres_url
from .support.topology import fresh_database

# Rows the round trip must carry, so that an empty table cannot pass for a restored one.
FILLED = ("alembic_version", "users", "api_tokens", "staff_audit", "events", "workshop_tables",
          "focus_areas", "participants", "proposals", "votes", "proposal_merges", "members",
          "measures", "measure_status_log", "write_receipts")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def two_databases(request, tmp_path):
    """(the source's URL, an empty database's URL) on one backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'source.db'}", f"sqlite:///{tmp_path / 'restored.db'}"
    base = postgres_url()
    return fresh_database(base, "backup_src"), fresh_database(base, "backup_dst")


def fill(url: str, revision: str = "heads"):
    """A workshop's worth of data, written the way the app writes it."""
    app = make_app(url)
    with app.app_context():
        upgrade(revision=revision)
        if revision != "heads":
            return app
        staff = Staff()  # staff users and their API tokens
        event = create_event(staff.facilitator, "Verkstad om cykling", "Hur cyklar vi mer?",
                             "medborgarverkstad", {"method": "dots", "dots": 3},
                             ["Modig mobilitet", "Smart samskapande"], "post")
        set_table_count(staff.facilitator, event.id, 3)
        change_phase(staff.facilitator, event.id, "collect")
        ids = [submit_proposal(event.id, who, title, "Åäö – längre text", uuid.uuid4().hex,
                               author_name=name)["proposal"]["id"]
               for who, title, name in (("anna", "Cykelbana längs ån", "Anna"),
                                        ("bo", "Fler cykelställ", None),
                                        ("carl", "Cykelbanor vid ån", "Carl"))]
        change_phase(staff.facilitator, event.id, "vote")
        for voter, pid in (("anna", ids[1]), ("bo", ids[0]), ("carl", ids[0]), ("bo", ids[2])):
            cast_vote(pid, lambda eid, v=voter: v, uuid.uuid4().hex, 1)
        merge_proposals(staff.facilitator, ids[2], ids[0], reason="Samma förslag")
        group = create_event(staff.facilitator, "Referensgruppen", "Vad tycker ni?",
                             "referensgrupp", {"method": "approval"}, ["Tema"], "post")
        change_phase(staff.facilitator, group.id, "collect")
        invitation = add_member(staff.facilitator, group.id, "Dana Dahl",
                                email="dana@example.se", organisation="Cykelföreningen")
        accept_invitation(invitation["invite_token"])
        create_measure(staff.reviewer, {"title": "Cykelfartsgator", "description": "Pilot"})
        db.session.remove()
        db.engine.dispose()
    return app


def every_row(url: str) -> dict[str, list[tuple]]:
    """Every table, reflected from the database itself, its rows ordered by primary key."""
    engine = create_engine(url)
    try:
        metadata = MetaData()
        metadata.reflect(bind=engine)
        with engine.connect() as conn:
            return {name: [tuple(row) for row in conn.execute(
                        select(table).order_by(*(table.primary_key.columns or table.columns)))]
                    for name, table in metadata.tables.items()}
    finally:
        engine.dispose()


def cli(app, *args):
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args))
        db.session.remove()
        db.engine.dispose()
    return result


def test_a_backup_restores_every_table_row_by_row(two_databases, tmp_path):
    source_url, target_url = two_databases
    source = fill(source_url)
    backup = tmp_path / "nightly" / "participation.backup"
    old_umask = os.umask(0)  # the file must be private whatever the umask says
    try:
        made = cli(source, "backup", "--output", str(backup))
    finally:
        os.umask(old_umask)
    assert made.exit_code == 0, made.output
    assert f"Backed up to {backup} (" in made.output
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600

    target = make_app(target_url)
    restored = cli(target, "restore", str(backup))
    assert restored.exit_code == 0, restored.output
    assert "this code's head: ready to start" in restored.output

    before, after = every_row(source_url), every_row(target_url)
    assert set(before) == set(db.metadata.tables) | {"alembic_version"}
    assert set(after) == set(before)
    for name in sorted(before):
        assert after[name] == before[name], name
    empty = [name for name in FILLED if not before[name]]
    assert empty == [], "the scene should fill these tables"
    for name in FILLED:  # the restore's report counts what is there
        assert f"  {name} " in restored.output and f" {len(after[name])}\n" in restored.output

    # Restoring again, now over data, is refused and changes nothing.
    again = cli(target, "restore", str(backup))
    assert again.exit_code != 0
    assert "is not empty" in again.output and "Nothing was changed" in again.output
    assert every_row(target_url) == after


def test_a_backup_from_an_older_schema_tells_the_operator_to_upgrade(tmp_path):
    source = fill(f"sqlite:///{tmp_path / 'old.db'}", revision="e5a7c3d19b42")
    backup = tmp_path / "old.backup"
    assert cli(source, "backup", "-o", str(backup)).exit_code == 0
    restored = cli(make_app(f"sqlite:///{tmp_path / 'new.db'}"), "restore", str(backup))
    assert restored.exit_code == 0, restored.output
    assert "e5a7c3d19b42 is older than this code's head" in restored.output
    assert "run `flask --app wsgi db upgrade`" in restored.output


def test_a_backup_never_overwrites_a_file(app, tmp_path):
    existing = tmp_path / "there.db"
    existing.write_text("keep me")
    result = app.test_cli_runner().invoke(args=["backup", "--output", str(existing)])
    assert result.exit_code != 0 and "exists already" in result.output
    assert existing.read_text() == "keep me"


@pytest.mark.postgres
def test_postgresql_tools_missing_or_older_than_the_server_are_clear_errors(tmp_path,
                                                                            monkeypatch):
    base = postgres_url()
    app = make_app(fresh_database(base, "backup_src"))
    target = tmp_path / "never.dump"

    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    missing = cli(app, "backup", "-o", str(target))
    assert missing.exit_code != 0 and "pg_dump is not installed" in missing.output
    assert "postgresql-client" in missing.output

    old = tmp_path / "old-client"
    old.mkdir()
    (old / "pg_dump").write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    (old / "pg_dump").chmod(0o755)
    monkeypatch.setenv("PATH", str(old))
    older = cli(app, "backup", "-o", str(target))
    assert older.exit_code != 0 and "pg_dump is version 9, older than the server's" in older.output
    assert not target.exists()

    sqlite_backup = tmp_path / "sqlite.backup"
    sqlite_backup.write_bytes(b"SQLite format 3\x00" + bytes(100))
    wrong = cli(app, "restore", str(sqlite_backup))
    assert wrong.exit_code != 0 and "is an SQLite backup" in wrong.output


def test_the_password_reaches_pg_dump_in_its_environment_not_its_arguments():
    from sqlalchemy.engine import make_url

    conn = connection(make_url("postgresql+psycopg://app:s3cr%27t@db.example:5433/part"
                               "?sslmode=verify-full"))
    assert "s3cr" not in conn.conninfo
    assert conn.conninfo == ("sslmode='verify-full' host='db.example' port='5433' user='app' "
                             "dbname='part'")
    assert conn.env["PGPASSWORD"] == "s3cr't"
