"""Proposals from a table's scribe get their own source, "scribe"

Revision ID: eda1d5fb45f7
Revises: a7d2e9c4b816
Create Date: 2026-12-08 10:00:00.000000

- proposals.source: VARCHAR(5) -> VARCHAR(8) ("scribe" is six characters), and the check
  constraint ck_proposals_source allows 'phone', 'paper' and 'scribe'.

Existing rows: until now a scribe's proposal ("Bordets sekreterare") was stored exactly like a
paper note typed in by staff: source 'paper', a table, no participant, same columns. In general
the two cannot be told apart, so old scribe proposals mostly stay 'paper'. Only one thing
proves a row was a scribe's: a paper note is always written `visible`, never `pending`, so a
'paper' row that is still `pending`, or that a facilitator approved (an 'approve' entry in
moderation_log, which only a pending proposal can get), came from a scribe under
pre-moderation. Those rows, and only those, become 'scribe'. A scribe's proposal written
without pre-moderation, or rejected while pending (its 'hide' entry looks like a paper note's),
stays 'paper'.

Downgrade: every 'scribe' row becomes 'paper' again (what the old code wrote), then the column
and the constraint narrow back.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'eda1d5fb45f7'
down_revision = 'a7d2e9c4b816'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_proposals_source'), type_='check')
        batch_op.alter_column('source', existing_type=sa.String(length=5),
                              type_=sa.String(length=8), existing_nullable=False,
                              existing_server_default='phone')
        batch_op.create_check_constraint(op.f('ck_proposals_source'),
                                         "source IN ('phone', 'paper', 'scribe')")

    # The same statement on SQLite and PostgreSQL: the rows that can only be a scribe's.
    op.get_bind().execute(sa.text(
        "UPDATE proposals SET source = 'scribe' WHERE source = 'paper' AND "
        "(status = 'pending' OR EXISTS (SELECT 1 FROM moderation_log "
        "WHERE moderation_log.proposal_id = proposals.id "
        "AND moderation_log.action = 'approve'))"))


def downgrade():
    op.get_bind().execute(sa.text(
        "UPDATE proposals SET source = 'paper' WHERE source = 'scribe'"))
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_proposals_source'), type_='check')
        batch_op.alter_column('source', existing_type=sa.String(length=8),
                              type_=sa.String(length=5), existing_nullable=False,
                              existing_server_default='phone')
        batch_op.create_check_constraint(op.f('ck_proposals_source'),
                                         "source IN ('phone', 'paper')")
