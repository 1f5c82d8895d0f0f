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
        url = postgres_url().rsplit("/", 1)[0] + "/participation_migrations"
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
    for table in ("proposals", "events", "moderation_log", "proposal_merge_votes",
                  "activities", "panel_questions", "evaluation_answers"):
        migrated = {c["name"]: " ".join(c["sqltext"].split())
                    for c in inspect(db.engine).get_check_constraints(table)}
        for constraint in db.metadata.tables[table].constraints:
            if isinstance(constraint, CheckConstraint):
                name = constraint.name  # already expanded by the naming convention
                assert name in migrated, f"{name} missing after upgrade"
                for word in ("pending", "pre", "paper", "scribe", "count", "merged", "unmerge",
                             "scale", "budget", "questions", "evaluation", "words", "hidden",
                             ):
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


def test_scribe_source_widens_and_marks_only_the_rows_that_must_be_a_scribes(empty_database):
    """eda1d5fb45f7: "scribe" fits the column and the check; an old 'paper' row becomes
    'scribe' only when it cannot be a paper note (pending, or approved: a paper note is never
    pending), and the downgrade turns every 'scribe' back into 'paper'."""
    upgrade(revision="a7d2e9c4b816")
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO events (id, code, title, prompt, kind, phase, voting_method, "
            "dots_per_person, max_dots_per_proposal, version, moderation, created_at) VALUES "
            "(1, 'AAAAAA', 'T', 'P', 'medborgarverkstad', 'collect', 'approval', 1, 1, 1, "
            "'pre', '2026-12-01 10:00:00')"))
        for pid, source, status in ((1, "phone", "visible"), (2, "paper", "visible"),
                                    (3, "paper", "pending"), (4, "paper", "visible"),
                                    (5, "paper", "hidden"), (6, "phone", "visible")):
            conn.execute(text(
                "INSERT INTO proposals (id, event_id, number, title, body, status, source, "
                "created_at) VALUES (:id, 1, :id, 'Förslag', '', :status, :source, "
                "'2026-12-01 10:00:00')"), {"id": pid, "status": status, "source": source})
        # #4 and #6 were approved (so they were pending once); #5 was hidden, like a note can be.
        for pid, action in ((4, "approve"), (5, "hide"), (6, "approve")):
            conn.execute(text(
                "INSERT INTO moderation_log (event_id, proposal_id, action, created_at) "
                "VALUES (1, :pid, :action, '2026-12-01 10:05:00')"),
                {"pid": pid, "action": action})
    upgrade()

    def sources():
        with db.engine.connect() as conn:
            return dict(conn.execute(text("SELECT id, source FROM proposals")).all())

    assert sources() == {1: "phone", 2: "paper", 3: "scribe", 4: "scribe", 5: "paper",
                         6: "phone"}
    with db.engine.begin() as conn:  # the new value fits the column and the check
        conn.execute(text("UPDATE proposals SET source = 'scribe' WHERE id = 2"))
    with pytest.raises(Exception, match="(?i)check|constraint"), db.engine.begin() as conn:
        conn.execute(text("UPDATE proposals SET source = 'printer' WHERE id = 2"))
    downgrade(revision="a7d2e9c4b816")
    assert sources() == {1: "phone", 2: "paper", 3: "paper", 4: "paper", 5: "paper",
                         6: "phone"}
    downgrade(revision="base")


def test_existing_api_tokens_get_a_name_and_an_expiry_and_keep_working(empty_database):
    """b3e8f1c2d7a4: a token from before it is named "Äldre token" and expires 90 days after
    the migration; the downgrade drops revoked and expired tokens (the old code would take
    them again) and keeps live ones."""
    from datetime import UTC, datetime, timedelta

    upgrade(revision="eda1d5fb45f7")
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO users (id, email, password_hash, role, created_at) VALUES "
            "(1, 'fac@example.se', 'x', 'facilitator', '2026-01-01 10:00:00')"))
        for tid, digest in ((1, "a" * 64), (2, "b" * 64), (3, "c" * 64)):
            conn.execute(text(
                "INSERT INTO api_tokens (id, user_id, digest, created_at) VALUES "
                "(:id, 1, :digest, '2026-01-01 10:00:00')"), {"id": tid, "digest": digest})
    before = datetime.now(UTC).replace(tzinfo=None)
    upgrade(revision="b3e8f1c2d7a4")
    with db.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT name, expires_at, last_used_at, revoked_at FROM api_tokens")).all()
    assert len(rows) == 3
    for name, expires_at, last_used_at, revoked_at in rows:
        assert name == "Äldre token" and last_used_at is None and revoked_at is None
        if isinstance(expires_at, str):  # SQLite hands back text
            expires_at = datetime.fromisoformat(expires_at)
        assert abs(expires_at - (before + timedelta(days=90))) < timedelta(minutes=5)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE api_tokens SET revoked_at = expires_at WHERE id = 2"))
        conn.execute(text(
            "UPDATE api_tokens SET expires_at = '2026-01-02 10:00:00' WHERE id = 3"))
    downgrade(revision="eda1d5fb45f7")
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT id FROM api_tokens")).scalars().all() == [1]
    downgrade(revision="base")


def test_the_activity_plan_keeps_every_event_proposal_and_vote(empty_database):
    """cb84ed3ba429 (issue 17): events, their proposals and votes from before it are kept, and
    get no plan (each runs its proposal flow as before); the new kinds are allowed; the
    downgrade drops only the plan's tables."""
    upgrade(revision="c4d2e7a9b1f3")
    rows = {
        "events": "INSERT INTO events (id, code, title, prompt, kind, phase, voting_method, "
                  "dots_per_person, max_dots_per_proposal, version, created_at) VALUES "
                  "(1, 'AAAAAA', 'Verkstad', 'Hur?', 'medborgarverkstad', 'vote', 'approval', "
                  "1, 1, 7, '2026-12-01 10:00:00')",
        "participants": "INSERT INTO participants (id, event_id, token, created_at) VALUES "
                        "(1, 1, 'token-ett', '2026-12-01 10:00:00')",
        "proposals": "INSERT INTO proposals (id, event_id, participant_id, title, body, "
                     "status, number, created_at) VALUES (1, 1, 1, 'Cykelbana', '', "
                     "'visible', 1, '2026-12-01 10:00:00')",
        "votes": "INSERT INTO votes (id, event_id, proposal_id, participant_id, dots, "
                 "created_at) VALUES (1, 1, 1, 1, 1, '2026-12-01 10:01:00')",
    }
    with db.engine.begin() as conn:
        for statement in rows.values():
            conn.execute(text(statement))
    upgrade()
    with db.engine.begin() as conn:
        kept = {table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()
                for table in rows}
        assert kept == dict.fromkeys(rows, 1)
        assert conn.execute(text("SELECT version, phase FROM events")).one() == (7, "vote")
        assert conn.execute(text("SELECT count(*) FROM activities")).scalar() == 0
        for position, kind in enumerate(("proposals", "questions", "evaluation"), start=1):
            conn.execute(text(
                "INSERT INTO activities (event_id, position, kind, title, live, created_at) "
                "VALUES (1, :position, :kind, 'T', :live, '2026-12-01 11:00:00')"),
                {"position": position, "kind": kind, "live": position == 1})
        conn.execute(text(
            "INSERT INTO panel_questions (activity_id, participant_id, text, status, "
            "created_at) SELECT id, 1, 'Varför?', 'open', '2026-12-01 11:00:00' "
            "FROM activities WHERE kind = 'questions'"))
    downgrade(revision="c4d2e7a9b1f3")
    with db.engine.connect() as conn:
        assert {table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()
                for table in rows} == dict.fromkeys(rows, 1)
    assert "activities" not in inspect(db.engine).get_table_names()
    downgrade(revision="base")


def test_every_participant_gets_a_follow_code_except_in_purged_events(empty_database):
    """a467f3ab9217 (issue 18): voters get a follow link too, so rows from before it get a
    code; a purged event's codes were cleared on purpose and stay cleared."""
    upgrade(revision="cb84ed3ba429")
    with db.engine.begin() as conn:
        for event_id, purged in ((1, "NULL"), (2, "'2026-11-01 10:00:00'")):
            conn.execute(text(
                "INSERT INTO events (id, code, title, prompt, kind, phase, voting_method, "
                "dots_per_person, max_dots_per_proposal, version, created_at, purged_at) "
                f"VALUES ({event_id}, 'CODE{event_id}', 'V', 'Hur?', 'medborgarverkstad', "
                f"'closed', 'approval', 1, 1, 1, '2026-10-01 10:00:00', {purged})"))
        conn.execute(text(
            "INSERT INTO participants (id, event_id, token, follow_code, created_at) VALUES "
            "(1, 1, 'a', NULL, '2026-10-01 10:00:00'), (2, 1, 'b', 'hadonealready1', "
            "'2026-10-01 10:00:00'), (3, 2, 'c', NULL, '2026-10-01 10:00:00')"))
    upgrade()
    with db.engine.connect() as conn:
        codes = dict(conn.execute(text("SELECT id, follow_code FROM participants")).all())
    assert len(codes[1]) == 16 and codes[2] == "hadonealready1" and codes[3] is None
    downgrade(revision="cb84ed3ba429")
    assert "mail_subscriptions" not in inspect(db.engine).get_table_names()
    downgrade(revision="base")
