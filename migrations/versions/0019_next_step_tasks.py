"""next steps are tasks: any number per project, with owner, due date and state

Each project's one next step (projects.next_step / next_step_on) becomes an open task, owned
by the project's leader when they are in post in its zone, else by whoever recorded the
project's latest contact, else by the zone's first leader or staff member in post. The two
columns stay, derived from now on: the project's earliest open task (services.tasks).

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-29 20:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

ZONE_PEOPLE = "u.zone_id = p.zone_id AND u.role IN ('leader', 'staff') AND u.active"

MIGRATE = f"""
INSERT INTO tasks (zone_id, project_id, title, due_on, owner_id, state, contact_id, imported, created_at)
SELECT zone_id, project_id, title, due_on, owner_id, 'open', contact_id, {{TRUE}}, CURRENT_TIMESTAMP FROM (
  SELECT p.zone_id AS zone_id, p.id AS project_id, p.next_step AS title, p.next_step_on AS due_on,
    COALESCE(
      (SELECT u.id FROM users u WHERE u.id = p.leader_id AND {ZONE_PEOPLE}),
      (SELECT c.recorded_by_id FROM contacts c JOIN users u ON u.id = c.recorded_by_id
        WHERE c.project_id = p.id AND {ZONE_PEOPLE} ORDER BY c.occurred_on DESC, c.id DESC LIMIT 1),
      (SELECT MIN(u.id) FROM users u WHERE {ZONE_PEOPLE})
    ) AS owner_id,
    (SELECT c.id FROM contacts c WHERE c.project_id = p.id AND c.next_step = p.next_step
      ORDER BY c.occurred_on DESC, c.id DESC LIMIT 1) AS contact_id
  FROM projects p WHERE p.next_step IS NOT NULL AND p.next_step <> ''
) steps WHERE owner_id IS NOT NULL ORDER BY project_id
"""


def upgrade():
    op.create_table('tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('closed_by_contact_id', sa.Integer(), nullable=True),
    sa.Column('imported', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('moved_to_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("state IN ('open', 'done', 'moved')", name=op.f('ck_tasks_state')),
    sa.ForeignKeyConstraint(['closed_by_contact_id'], ['contacts.id'], name=op.f('fk_tasks_closed_by_contact_id_contacts')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_tasks_closed_by_id_users')),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_tasks_contact_id_contacts')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_tasks_created_by_id_users')),
    sa.ForeignKeyConstraint(['moved_to_id'], ['tasks.id'], name=op.f('fk_tasks_moved_to_id_tasks')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_tasks_owner_id_users')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_tasks_project_id_projects')),
    sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], name=op.f('fk_tasks_zone_id_zones')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tasks'))
    )
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tasks_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_tasks_owner_state_due', ['owner_id', 'state', 'due_on'], unique=False)
        batch_op.create_index('ix_tasks_project_state_due', ['project_id', 'state', 'due_on'], unique=False)
    true = 'TRUE' if op.get_bind().dialect.name == 'postgresql' else '1'
    op.execute(MIGRATE.replace('{TRUE}', true))


def downgrade():
    # projects.next_step / next_step_on were kept (derived), so nothing is lost but the
    # history of done and moved steps and the owners.
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_tasks_project_state_due')
        batch_op.drop_index('ix_tasks_owner_state_due')
        batch_op.drop_index(batch_op.f('ix_tasks_project_id'))
    op.drop_table('tasks')
