"""Event teams: colleagues who run an event with its creator, as facilitators or moderators

Revision ID: b3e8f51c2a97
Revises: b3e8f1c2d7a4
Create Date: 2026-12-10 09:00:00.000000

- event_team_members (event_id, user_id, role 'facilitator' | 'moderator', added_by_id,
  added_at), one row per person and event. The creator (events.created_by_id) stays the
  event's facilitator without a row, so existing events need no data.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3e8f51c2a97'
down_revision = 'b3e8f1c2d7a4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'event_team_members',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=12), nullable=False),
        sa.Column('added_by_id', sa.Integer(), nullable=True),
        sa.Column('added_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("role IN ('facilitator', 'moderator')",
                           name=op.f('ck_event_team_members_role')),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'],
                                name=op.f('fk_event_team_members_event_id_events'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_event_team_members_user_id_users'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['added_by_id'], ['users.id'],
                                name=op.f('fk_event_team_members_added_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_event_team_members')),
        sa.UniqueConstraint('event_id', 'user_id',
                            name=op.f('uq_event_team_members_event_id_user_id')),
    )
    with op.batch_alter_table('event_team_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_team_members_user_id'), ['user_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('event_team_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_team_members_user_id'))
    op.drop_table('event_team_members')
