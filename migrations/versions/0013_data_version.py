"""data version: one row every write to the data behind the figures raises

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 19:30:00

Computed progress is cached under (epoch, version) (app/queries/cache.py); the session hooks
of app/data_version.py raise the version in the same transaction as each write.
"""
import secrets

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table('data_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.Column('epoch', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_version'))
    )
    op.bulk_insert(table, [{"id": 1, "version": 0, "epoch": secrets.token_hex(16)}])


def downgrade():
    op.drop_table('data_version')
