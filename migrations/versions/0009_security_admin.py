"""security admin: the 安全管理员 role, which alone grants the auditor role (三员分立)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 19:50:00
"""
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

NEW = "role IN ('leader', 'staff', 'bureau', 'admin', 'auditor', 'secadmin')"
OLD = "role IN ('leader', 'staff', 'bureau', 'admin', 'auditor')"


def _replace_check(condition):
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE users DROP CONSTRAINT ck_users_role")
        op.execute(f"ALTER TABLE users ADD CONSTRAINT ck_users_role CHECK ({condition})")
        return
    # SQLite cannot alter a CHECK: the table is rebuilt. Other tables' keys point at users, so
    # foreign keys are off for the copy (dropping the old table would refuse otherwise) and
    # checked once at the end.
    op.execute("PRAGMA foreign_keys=OFF")
    with op.batch_alter_table('users', schema=None, recreate='always') as batch_op:
        batch_op.drop_constraint(op.f('ck_users_role'), type_='check')
        batch_op.create_check_constraint('role', condition)
    problems = op.get_bind().exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    op.execute("PRAGMA foreign_keys=ON")
    if problems:
        raise RuntimeError(f"foreign keys broken by rebuilding users: {problems[:5]}")


def upgrade():
    _replace_check(NEW)


def downgrade():
    op.execute("DELETE FROM users WHERE role = 'secadmin'")
    _replace_check(OLD)
