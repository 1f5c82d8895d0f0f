"""Theme cloud on the projector (events.show_themes)

Revision ID: e5a7c3d19b42
Revises: b7e3c1a9d2f4
Create Date: 2026-12-01 06:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5a7c3d19b42'
down_revision = '8b55cd849af8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('show_themes', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('show_themes')
