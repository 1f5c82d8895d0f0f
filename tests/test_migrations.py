"""`flask db upgrade` builds the schema from empty, and it matches the models exactly."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import CheckConstraint, inspect, text

from participation.extensions import db

from .conftest import make_app, postgres_url
from .support.topology import ensure_database


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database(request, tmp_path):
    """An app on an empty database, in its app context: a file for SQLite; for PostgreSQL the
    participation_migrations database beside TEST_POSTGRES_URL's, its schema dropped first."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'migrated.db'}"
    else:
        url = postgres_url()
        if url is None:
            pytest.skip("TEST_POSTGRES_URL not set")
        url = url.rsplit("/", 1)[0] + "/participation_migrations"
        ensure_database(url)
    app = make_app(url)
    with app.app_context():
        if request.param == "postgres":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        yield app
        db.engine.dispose()


def test_upgrade_from_empty_matches_models_and_downgrades(empty_database):
    upgrade()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"
    # Autogenerate cannot compare CHECK constraints, so the ones migrations change by hand
    # are checked here against the models.
    for table in ("proposals", "events", "moderation_log", "proposal_merge_votes"):
        migrated = {c["name"]: " ".join(c["sqltext"].split())
                    for c in inspect(db.engine).get_check_constraints(table)}
        for constraint in db.metadata.tables[table].constraints:
            if isinstance(constraint, CheckConstraint):
                name = constraint.name  # already expanded by the naming convention
                assert name in migrated, f"{name} missing after upgrade"
                for word in ("pending", "pre", "paper", "count", "merged", "unmerge", "scale"):
                    if word in str(constraint.sqltext):
                        assert word in migrated[name], (name, migrated[name])
    tables = set(inspect(db.engine).get_table_names())
    assert {"events", "proposals", "votes", "participants", "write_receipts"} <= tables

    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}


def test_existing_proposals_are_numbered_per_event_in_the_order_written(empty_database):
    """a7d2e9c4b816: proposals written before it get #1, #2, … per event by id, and each
    event's counter continues after its highest number."""
    upgrade(revision="c4f1a9e27d30")
    with db.engine.begin() as conn:
        for event_id, code in ((1, "AAAAAA"), (2, "BBBBBB"), (3, "CCCCCC")):
            conn.execute(text(
                "INSERT INTO events (id, code, title, prompt, kind, phase, voting_method, "
                "dots_per_person, max_dots_per_proposal, version, created_at) VALUES "
                "(:id, :code, 'T', 'P', 'radslag', 'collect', 'approval', 1, 1, 1, "
                "'2026-12-01 10:00:00')"), {"id": event_id, "code": code})
        # Ids interleaved between the events, as proposals arrive in two rooms at once.
        for pid, event_id in ((1, 1), (2, 2), (3, 1), (4, 2), (5, 2), (6, 1)):
            conn.execute(text(
                "INSERT INTO proposals (id, event_id, title, body, status, created_at) "
                "VALUES (:id, :event, 'Förslag', '', 'visible', '2026-12-01 10:00:00')"),
                {"id": pid, "event": event_id})
    upgrade()
    with db.engine.connect() as conn:
        numbers = conn.execute(text(
            "SELECT id, number FROM proposals ORDER BY id")).all()
        counters = conn.execute(text(
            "SELECT id, last_proposal_number FROM events ORDER BY id")).all()
    assert [tuple(row) for row in numbers] == [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3),
                                               (6, 3)]
    assert [tuple(row) for row in counters] == [(1, 3), (2, 3), (3, 0)]
    downgrade(revision="base")
