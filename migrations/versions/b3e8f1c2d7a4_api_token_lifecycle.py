"""API tokens get a name, an expiry, a last use and a revocation

Revision ID: b3e8f1c2d7a4
Revises: eda1d5fb45f7
Create Date: 2026-12-10 10:00:00.000000

- api_tokens.name VARCHAR(80) NOT NULL: what the owner calls it ("Power BI", "CLI").
- api_tokens.expires_at NOT NULL: the token is refused from then on.
- api_tokens.last_used_at, api_tokens.revoked_at: nullable.

Existing rows: they had neither name nor expiry and would otherwise be refused at once or live
forever. They are named "Äldre token" and expire 90 days after this migration (the default
lifetime of a new token), so whoever uses one has a quarter to replace it.

Downgrade: the columns go; revoked and expired tokens would then work again, so those rows are
deleted first (the old code cannot tell them apart from live ones).
"""
from datetime import UTC, datetime, timedelta

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3e8f1c2d7a4'
down_revision = 'eda1d5fb45f7'
branch_labels = None
depends_on = None

LEGACY_NAME = "Äldre token"
LEGACY_DAYS = 90


def upgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('last_used_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(), nullable=True))

    # Naive UTC, as the application stores every time (core/time.py utcnow).
    expires = datetime.now(UTC).replace(tzinfo=None, microsecond=0) + timedelta(days=LEGACY_DAYS)
    op.get_bind().execute(
        sa.text("UPDATE api_tokens SET name = :name, expires_at = :expires"),
        {"name": LEGACY_NAME, "expires": expires})

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('name', existing_type=sa.String(length=80), nullable=False)
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(), nullable=False)


def downgrade():
    op.get_bind().execute(sa.text(
        "DELETE FROM api_tokens WHERE revoked_at IS NOT NULL OR expires_at <= :now"),
        {"now": datetime.now(UTC).replace(tzinfo=None)})
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('revoked_at')
        batch_op.drop_column('last_used_at')
        batch_op.drop_column('expires_at')
        batch_op.drop_column('name')
