"""`flask db upgrade` builds the schema from empty, and it matches the models exactly."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import CheckConstraint, inspect, text

from participation.extensions import db

from .conftest import make_app, postgres_url
from .support.topology import ensure_database


def _database_url(kind: str, tmp_path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'migrated.db'}"
    url = postgres_url()
    if url is None:
        pytest.skip("TEST_POSTGRES_URL not set")
    url = url.rsplit("/", 1)[0] + "/participation_migrations"
    ensure_database(url)
    return url


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_upgrade_from_empty_matches_models_and_downgrades(kind, tmp_path):
    app = make_app(_database_url(kind, tmp_path))
    with app.app_context():
        if kind == "postgres":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
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
        db.engine.dispose()
