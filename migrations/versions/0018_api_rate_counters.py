"""API rate limit per token: a counter row per token and window, shared by every worker

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-29 20:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('api_rate_counters',
    sa.Column('token_id', sa.Integer(), nullable=False),
    sa.Column('window_start', sa.BigInteger(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['token_id'], ['api_tokens.id'], name=op.f('fk_api_rate_counters_token_id_api_tokens')),
    sa.PrimaryKeyConstraint('token_id', 'window_start', name=op.f('pk_api_rate_counters'))
    )


def downgrade():
    op.drop_table('api_rate_counters')
