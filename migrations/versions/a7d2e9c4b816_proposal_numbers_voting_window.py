"""Proposal numbers per event; a rådslag's voting window; a phase set by hand holds

Revision ID: a7d2e9c4b816
Revises: c4f1a9e27d30
Create Date: 2026-12-05 18:30:00.000000

- proposals.number: #1, #2, … within each event, unique per event; existing proposals are
  numbered in the order they were written (by id), and each event's counter
  (events.last_proposal_number) starts after its highest number.
- events.voting_opens_at: the schedule moves collect -> vote at this time.
- events.phase_set_by_hand_at: the schedule leaves a facilitator's own phase change alone until
  its next time after it.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d2e9c4b816'
down_revision = 'c4f1a9e27d30'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('voting_opens_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('phase_set_by_hand_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('last_proposal_number', sa.Integer(), server_default='0',
                                      nullable=False))
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sa.Integer(), nullable=True))

    bind = op.get_bind()
    # The same statements on SQLite and PostgreSQL: a proposal's number is how many proposals
    # of its event have an id up to its own.
    bind.execute(sa.text(
        "UPDATE proposals SET number = (SELECT COUNT(*) FROM proposals AS earlier "
        "WHERE earlier.event_id = proposals.event_id AND earlier.id <= proposals.id)"))
    bind.execute(sa.text(
        "UPDATE events SET last_proposal_number = (SELECT COALESCE(MAX(number), 0) "
        "FROM proposals WHERE proposals.event_id = events.id)"))

    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.alter_column('number', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_proposals_event_id_number'),
                                          ['event_id', 'number'])
        batch_op.create_check_constraint(op.f('ck_proposals_number'), 'number >= 1')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f('ck_events_voting_window'),
            "voting_opens_at IS NULL OR ((opens_at IS NULL OR voting_opens_at > opens_at) AND "
            "(closes_at IS NULL OR closes_at > voting_opens_at))")
        batch_op.create_check_constraint(op.f('ck_events_last_proposal_number'), 'last_proposal_number >= 0')


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_events_last_proposal_number'), type_='check')
        batch_op.drop_constraint(op.f('ck_events_voting_window'), type_='check')
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_proposals_number'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_proposals_event_id_number'), type_='unique')
        batch_op.drop_column('number')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('last_proposal_number')
        batch_op.drop_column('phase_set_by_hand_at')
        batch_op.drop_column('voting_opens_at')
