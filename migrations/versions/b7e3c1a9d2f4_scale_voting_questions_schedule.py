"""Scale voting, question cards and an opening schedule

Revision ID: b7e3c1a9d2f4
Revises: 4fd61df36d50
Create Date: 2026-12-01 05:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e3c1a9d2f4'
down_revision = '60787eb705dd'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.CheckConstraint('length(text) BETWEEN 1 AND 300', name=op.f('ck_questions_text_length')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_questions_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questions'))
    )
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questions_event_id'), ['event_id'], unique=False)

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opens_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('closes_at', sa.DateTime(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_events_schedule_order'),
            'opens_at IS NULL OR closes_at IS NULL OR closes_at > opens_at')
        # Autogenerate does not see CHECK changes: the 1-5 scale joins approval and dots.
        batch_op.drop_constraint(op.f('ck_events_voting_method'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_events_voting_method'), "voting_method IN ('approval', 'dots', 'scale')")

    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('question_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_proposals_question_id'), ['question_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_proposals_question_id_questions'), 'questions', ['question_id'], ['id'])

    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_votes_dots_max'), 'dots <= 100')


def downgrade():
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_votes_dots_max'), type_='check')

    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_proposals_question_id_questions'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_proposals_question_id'))
        batch_op.drop_column('question_id')

    # Scale events become approval events: each rating counts as one vote of support.
    op.execute("UPDATE votes SET dots = 1 WHERE event_id IN "
               "(SELECT id FROM events WHERE voting_method = 'scale')")
    op.execute("UPDATE events SET voting_method = 'approval' WHERE voting_method = 'scale'")
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_events_voting_method'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_events_voting_method'), "voting_method IN ('approval', 'dots')")
        batch_op.drop_constraint(op.f('ck_events_schedule_order'), type_='check')
        batch_op.drop_column('closes_at')
        batch_op.drop_column('opens_at')

    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questions_event_id'))

    op.drop_table('questions')
