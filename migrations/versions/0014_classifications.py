"""classifications: GB/T 4754-2017 industries, the synonyms of closed vocabularies, and each
project's industry code and tags beside the zone's own wording

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 09:00:00

The 20 sections and 97 divisions are seeded from app/domain/data/gbt4754_2017.csv, the
synonyms real ledgers use from app/domain/data/synonyms.csv. The product's 12 old industry
labels stay as the projects' wording and become a code and tags
(domain.classifications.LEGACY_INDUSTRIES): 新能源 is D, or 38 for a manufacturing project,
tagged 新能源产业; 现代食品 is 14 tagged 现代食品; 其他 has no code (C when manufacturing) and
becomes blank wording.
"""
from alembic import op
import sqlalchemy as sa

from app.domain import classifications as K


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    industries = op.create_table('industries',
    sa.Column('code', sa.String(length=2), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('section', sa.String(length=1), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_industries'))
    )
    synonyms = op.create_table('synonyms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vocabulary', sa.String(length=16), nullable=False),
    sa.Column('word', sa.String(length=50), nullable=False),
    sa.Column('value', sa.String(length=16), server_default='', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_synonyms')),
    sa.UniqueConstraint('vocabulary', 'word', name='uq_synonyms_vocabulary_word')
    )
    op.bulk_insert(industries, [{"code": code, "name": name, "section": K.section_of(code)}
                                for code, name in K.INDUSTRIES.items()])
    op.bulk_insert(synonyms, [{"vocabulary": v, "word": w, "value": value} for v, w, value in K.SHIPPED_SYNONYMS])
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('industry_code', sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column('tags', sa.String(length=200), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_projects_industry_code'), ['industry_code'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_projects_industry_code_industries'), 'industries',
                                    ['industry_code'], ['code'])
    projects = sa.table('projects', sa.column('industry', sa.String), sa.column('is_manufacturing', sa.Boolean),
                        sa.column('industry_code', sa.String), sa.column('tags', sa.String))
    for label in K.LEGACY_INDUSTRIES:
        for manufacturing in (False, True):
            code, tags = K.legacy_industry(label, manufacturing)
            op.execute(projects.update()
                       .where(projects.c.industry == label, projects.c.is_manufacturing == manufacturing)
                       .values(industry_code=code, tags=K.join_tags(tags)))
    op.execute(projects.update()
               .where(projects.c.industry.notin_(list(K.LEGACY_INDUSTRIES)), projects.c.is_manufacturing == True)  # noqa: E712
               .values(industry_code=K.MANUFACTURING))
    # 其他 was the old label for "none": no wording of the zone's own.
    op.execute(projects.update().where(projects.c.industry == "其他").values(industry=""))


def downgrade():
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_projects_industry_code_industries'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_projects_industry_code'))
        batch_op.drop_column('tags')
        batch_op.drop_column('industry_code')
    op.drop_table('synonyms')
    op.drop_table('industries')
