"""Budget ballots: an event's voting method "budget", its measures, and each person's choices

Revision ID: c4d2e7a9b1f3
Revises: b3c8d1e4f502
Create Date: 2026-12-06 10:00:00.000000

- events.budget_sek and voting_method 'budget' (docs/budget.md): residents approve backlog
  measures whose costs fit in the budget; Equal Shares decides what is funded.
- event_ballot_measures: the measures on a budget event's ballot, their order and their cost
  when the ballot was made.
- budget_ballots: one row per person and approved measure, unique per (event, person,
  measure), its (event, measure) on the event's ballot.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4d2e7a9b1f3'
down_revision = 'b3c8d1e4f502'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('budget_sek', sa.BigInteger(), nullable=True))
        batch_op.drop_constraint(op.f('ck_events_voting_method'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_events_voting_method'),
            "voting_method IN ('approval', 'dots', 'scale', 'budget')")
        batch_op.create_check_constraint(
            op.f('ck_events_budget_sek'),
            "budget_sek IS NULL OR budget_sek BETWEEN 1 AND 10000000000")
    op.create_table(
        'event_ballot_measures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('measure_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('cost_sek', sa.BigInteger(), nullable=False),
        sa.CheckConstraint('cost_sek > 0', name=op.f('ck_event_ballot_measures_cost_sek')),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'],
                                name=op.f('fk_event_ballot_measures_event_id_events'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['measure_id'], ['measures.id'],
                                name=op.f('fk_event_ballot_measures_measure_id_measures'),
                                ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_event_ballot_measures')),
        sa.UniqueConstraint('event_id', 'measure_id',
                            name=op.f('uq_event_ballot_measures_event_id_measure_id')),
        sa.UniqueConstraint('event_id', 'position',
                            name=op.f('uq_event_ballot_measures_event_id_position')),
    )
    with op.batch_alter_table('event_ballot_measures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_ballot_measures_measure_id'), ['measure_id'],
                              unique=False)
    op.create_table(
        'budget_ballots',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=False),
        sa.Column('measure_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['event_id', 'measure_id'],
                                ['event_ballot_measures.event_id',
                                 'event_ballot_measures.measure_id'],
                                name=op.f('fk_budget_ballots_event_id_event_ballot_measures'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'],
                                name=op.f('fk_budget_ballots_event_id_events'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['measure_id'], ['measures.id'],
                                name=op.f('fk_budget_ballots_measure_id_measures'),
                                ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['participant_id'], ['participants.id'],
                                name=op.f('fk_budget_ballots_participant_id_participants'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_ballots')),
        sa.UniqueConstraint('event_id', 'participant_id', 'measure_id',
                            name=op.f('uq_budget_ballots_event_id_participant_id_measure_id')),
    )
    with op.batch_alter_table('budget_ballots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_ballots_measure_id'), ['measure_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_budget_ballots_participant_id'),
                              ['participant_id'], unique=False)


def downgrade():
    op.drop_table('budget_ballots')
    op.drop_table('event_ballot_measures')
    op.execute("DELETE FROM events WHERE voting_method = 'budget'")
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_events_budget_sek'), type_='check')
        batch_op.drop_constraint(op.f('ck_events_voting_method'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_events_voting_method'), "voting_method IN ('approval', 'dots', 'scale')")
        batch_op.drop_column('budget_sek')
