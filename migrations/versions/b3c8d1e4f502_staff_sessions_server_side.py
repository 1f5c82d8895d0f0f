"""Staff sessions live on the server: Flask-Session's table, and each account's session epoch

Revision ID: b3c8d1e4f502
Revises: 3b8e61f0c2d9
Create Date: 2026-12-10 10:00:00.000000

- staff_sessions: Flask-Session's SQLAlchemy table (id, session_id unique, data, expiry), used
  when REDIS_URL is unset (participation/web/sessions.py). Residents' sessions stay in the
  signed cookie: nothing of theirs is written here.
- users.session_epoch: raised by accounts/sessions.end_sessions; a session signed in at an
  older epoch is over. Existing sessions named no epoch, so every staff member signs in once
  more after this upgrade.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3c8d1e4f502'
down_revision = '3b8e61f0c2d9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'staff_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.String(length=255), nullable=True),
        sa.Column('data', sa.LargeBinary(), nullable=True),
        sa.Column('expiry', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_sessions')),
        sa.UniqueConstraint('session_id', name=op.f('uq_staff_sessions_session_id')),
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_epoch', sa.Integer(), server_default='0',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_epoch')
    op.drop_table('staff_sessions')
