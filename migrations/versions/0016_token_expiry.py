"""API tokens expire: expires_at chosen at creation; existing tokens get 90 days from creation

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29 20:10:00

"""
from datetime import timedelta

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))
    conn = op.get_bind()
    tokens = sa.table('api_tokens', sa.column('id', sa.Integer), sa.column('created_at', sa.DateTime),
                      sa.column('expires_at', sa.DateTime))
    for token_id, created_at in conn.execute(sa.select(tokens.c.id, tokens.c.created_at)).all():
        conn.execute(tokens.update().where(tokens.c.id == token_id)
                     .values(expires_at=created_at + timedelta(days=90)))
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(), nullable=False)


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
