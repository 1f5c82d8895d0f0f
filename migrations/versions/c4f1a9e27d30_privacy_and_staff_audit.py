"""Privacy and operations: events.closed_at / purged_at, the staff audit log

Revision ID: c4f1a9e27d30
Revises: e5a7c3d19b42
Create Date: 2026-12-01 07:00:00.000000

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4f1a9e27d30'
down_revision = 'e5a7c3d19b42'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('purged_at', sa.DateTime(), nullable=True))
    # Events closed before this migration: their retention period starts now (the safe side).
    # UTC without a zone, like every stored time (core/time.utcnow), on either database.
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    op.get_bind().execute(sa.text("UPDATE events SET closed_at = :now WHERE phase = 'closed'"),
                          {"now": now})
    op.create_table(
        'staff_audit',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('actor', sa.String(length=254), nullable=True),
        sa.Column('action', sa.String(length=40), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=True),
        sa.Column('target', sa.String(length=120), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'],
                                name=op.f('fk_staff_audit_actor_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'],
                                name=op.f('fk_staff_audit_event_id_events'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_audit')),
    )
    with op.batch_alter_table('staff_audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_audit_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_audit_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_audit_created_at'), ['created_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('staff_audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_audit_created_at'))
        batch_op.drop_index(batch_op.f('ix_staff_audit_event_id'))
        batch_op.drop_index(batch_op.f('ix_staff_audit_actor_id'))
    op.drop_table('staff_audit')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('purged_at')
        batch_op.drop_column('closed_at')
