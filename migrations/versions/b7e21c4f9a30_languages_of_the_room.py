"""languages of the room: per-event languages, proposal language tags

Revision ID: b7e21c4f9a30
Revises: a467f3ab9217
Create Date: 2026-12-07 02:00:00

- events.languages (the phones' menu), events.projector_language, events.browser_language
  (a phone's own language setting counts on a first visit), events.texts (title and question
  in other languages, JSON).
- proposals.lang: the language a proposal is written in; existing ones stay unknown (NULL),
  which the text analysis reads as Swedish, as it did.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e21c4f9a30'
down_revision = 'a467f3ab9217'
branch_labels = None
depends_on = None

ALL = "sv,en,fi,ar,so,fa,uk"


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('languages', sa.String(length=40), nullable=False,
                                      server_default=ALL))
        batch_op.add_column(sa.Column('projector_language', sa.String(length=3), nullable=False,
                                      server_default='sv'))
        batch_op.add_column(sa.Column('browser_language', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
        batch_op.add_column(sa.Column('texts', sa.JSON(), nullable=True))
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lang', sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_column('lang')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('texts')
        batch_op.drop_column('browser_language')
        batch_op.drop_column('projector_language')
        batch_op.drop_column('languages')
