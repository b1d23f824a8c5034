"""money that arrives: funds arrivals per project, zone monthly indicators, value targets

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 19:16:36.936574

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('zone_monthly_indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('revenue', sa.BigInteger(), nullable=True),
    sa.Column('fdi', sa.BigInteger(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('fdi >= 0', name=op.f('ck_zone_monthly_indicators_fdi_not_negative')),
    sa.CheckConstraint('month BETWEEN 1 AND 12', name=op.f('ck_zone_monthly_indicators_month_in_year')),
    sa.CheckConstraint('revenue >= 0', name=op.f('ck_zone_monthly_indicators_revenue_not_negative')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_zone_monthly_indicators_updated_by_id_users')),
    sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], name=op.f('fk_zone_monthly_indicators_zone_id_zones')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zone_monthly_indicators')),
    sa.UniqueConstraint('zone_id', 'year', 'month', name='uq_zone_monthly_zone_year_month')
    )
    with op.batch_alter_table('zone_monthly_indicators', schema=None) as batch_op:
        batch_op.create_index('ix_zone_monthly_year_month', ['year', 'month', 'zone_id'], unique=False)

    op.create_table('funds_arrivals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.Column('arrived_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('source_note', sa.String(length=200), nullable=False),
    sa.Column('voucher_ref', sa.String(length=64), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('registered_capital', 'fixed_assets', 'foreign_paid_in')", name=op.f('ck_funds_arrivals_kind')),
    sa.CheckConstraint('amount > 0', name=op.f('ck_funds_arrivals_amount_positive')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_funds_arrivals_project_id_projects')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_funds_arrivals_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], name=op.f('fk_funds_arrivals_zone_id_zones')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funds_arrivals'))
    )
    with op.batch_alter_table('funds_arrivals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_funds_arrivals_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_funds_arrivals_zone_day', ['zone_id', 'arrived_on', 'currency', 'amount'], unique=False)

    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('floor_value', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('stretch_value', sa.BigInteger(), nullable=True))



def downgrade():
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_column('stretch_value')
        batch_op.drop_column('floor_value')

    with op.batch_alter_table('funds_arrivals', schema=None) as batch_op:
        batch_op.drop_index('ix_funds_arrivals_zone_day')
        batch_op.drop_index(batch_op.f('ix_funds_arrivals_project_id'))

    op.drop_table('funds_arrivals')
    with op.batch_alter_table('zone_monthly_indicators', schema=None) as batch_op:
        batch_op.drop_index('ix_zone_monthly_year_month')

    op.drop_table('zone_monthly_indicators')
