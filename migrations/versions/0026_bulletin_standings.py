"""an issued bulletin keeps its published standings: score, rank and movement per zone

Every face that says 按通报公布 reads these rows instead of recomputing a score from the
archived JSON (which left the money indicators out, so the zone's page showed another score
than the PDF and the desk). `score` is the exact score as a fraction ("361/3"): a face rounds
it as the desk and the PDF did, with no second rounding. `report_archives.previous_id` names
the bulletin the movement (进位/退位) was measured against.

Backfill: each issued bulletin's standings are computed from the progress JSON archived with
it (`published`), by the ranking rule the desk uses (app.domain.ranking): its count metrics
(zones[].metrics) and, for bulletins issued since the money indicators (issue 19), its amount
metrics (zone_values[], exact decimals as strings; growth rates are not scored). A bulletin
issued before then had no money in its ranking, so its counts alone are what it published.
The rank is the one the JSON records (the PDF's); the previous bulletin is the previous month's
latest revision issued before this one. A bulletin without JSON gets no standings (its page
already says to read the PDF).

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 23:50:00

"""
from decimal import Decimal

from alembic import op
import sqlalchemy as sa

from app.domain import ranking


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None

archives = sa.table('report_archives', sa.column('id', sa.Integer), sa.column('kind', sa.String),
                    sa.column('year', sa.Integer), sa.column('month', sa.Integer), sa.column('revision', sa.Integer),
                    sa.column('issued_at', sa.DateTime), sa.column('published', sa.JSON),
                    sa.column('previous_id', sa.Integer))
zones = sa.table('zones', sa.column('id', sa.Integer), sa.column('code', sa.String))


def results_of(data: dict) -> dict[str, tuple[str, int, list[ranking.MetricResult]]]:
    """zone code -> (tier, rank as published, every metric with a target) from a progress JSON."""
    amounts = {z['zone']: z['values'] for z in data.get('zone_values', [])}
    result = {}
    for z in data.get('zones', []):
        metrics = [ranking.MetricResult(m['metric'], m['actual'], m['floor'], m.get('stretch')) for m in z['metrics']]
        for v in amounts.get(z['zone'], []):
            rate = v['measures'] == 'growth'
            metrics.append(ranking.MetricResult(
                v['metric'], None if v['actual'] is None else Decimal(v['actual']), Decimal(v['floor']),
                None if v.get('stretch') is None else Decimal(v['stretch']), is_rate=rate))
        result[z['zone']] = (z['tier'], z['rank_in_tier'], metrics)
    return result


def backfill(conn, table) -> None:
    zone_ids = dict(conn.execute(sa.select(zones.c.code, zones.c.id)).all())
    rows = conn.execute(sa.select(archives.c.id, archives.c.kind, archives.c.year, archives.c.month,
                                  archives.c.revision, archives.c.issued_at, archives.c.published)
                        .order_by(archives.c.issued_at, archives.c.id)).all()
    placed: dict[int, dict[str, tuple[str, int]]] = {}   # archive -> zone code -> (tier, rank)
    standings = []
    for row in rows:
        earlier = [r for r in rows if (r.kind, r.year) == (row.kind, row.year) and r.month < row.month
                   and (r.issued_at, r.id) < (row.issued_at, row.id)]
        previous = max(earlier, key=lambda r: (r.month, r.revision), default=None)
        if previous is not None:
            conn.execute(archives.update().where(archives.c.id == row.id).values(previous_id=previous.id))
        if not row.published:
            continue
        zones_of = results_of(row.published)
        scores = ranking.standings((code, tier, metrics) for code, (tier, _, metrics) in zones_of.items())
        placed[row.id] = {code: (tier, rank) for code, (tier, rank, _) in zones_of.items()}
        before = placed.get(previous.id, {}) if previous is not None else {}
        for code, (tier, rank, _) in zones_of.items():
            if code not in zone_ids:    # a zone no longer on the list: its row in the PDF stays
                continue
            was = before.get(code)
            standings.append({'archive_id': row.id, 'zone_id': zone_ids[code], 'tier': tier,
                              'score': str(scores[code].score), 'rank': rank,
                              'previous_rank': was[1] if was is not None and was[0] == tier else None})
    if standings:
        op.bulk_insert(table, standings)


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a referencing column in place; a batch rebuild would drop report_archives,
        # which bulletin_reads rows point at, and the foreign keys refuse that.
        op.execute("ALTER TABLE report_archives ADD COLUMN previous_id INTEGER "
                   "CONSTRAINT fk_report_archives_previous_id_report_archives REFERENCES report_archives (id)")
    else:
        op.add_column('report_archives', sa.Column('previous_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_report_archives_previous_id_report_archives'),
                              'report_archives', 'report_archives', ['previous_id'], ['id'])
    table = op.create_table('bulletin_standings',
    sa.Column('archive_id', sa.Integer(), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.Column('tier', sa.String(length=1), nullable=False),
    sa.Column('score', sa.String(length=64), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('previous_rank', sa.Integer(), nullable=True),
    sa.CheckConstraint('rank >= 1', name=op.f('ck_bulletin_standings_rank_positive')),
    sa.ForeignKeyConstraint(['archive_id'], ['report_archives.id'],
                            name=op.f('fk_bulletin_standings_archive_id_report_archives')),
    sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], name=op.f('fk_bulletin_standings_zone_id_zones')),
    sa.PrimaryKeyConstraint('archive_id', 'zone_id', name=op.f('pk_bulletin_standings'))
    )
    backfill(op.get_bind(), table)


def downgrade():
    op.drop_table('bulletin_standings')
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f('fk_report_archives_previous_id_report_archives'), 'report_archives',
                           type_='foreignkey')
        op.drop_column('report_archives', 'previous_id')
        return
    # SQLite drops a referencing column only by rebuilding the table; other tables' keys point
    # at report_archives, so foreign keys are off for the copy and checked once at the end (0009).
    op.execute("PRAGMA foreign_keys=OFF")
    with op.batch_alter_table('report_archives', schema=None, recreate='always') as batch_op:
        batch_op.drop_column('previous_id')  # its key goes with it
    problems = op.get_bind().exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    op.execute("PRAGMA foreign_keys=ON")
    if problems:
        raise RuntimeError(f"foreign keys broken by rebuilding report_archives: {problems[:5]}")
