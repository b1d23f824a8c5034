"""Loaded with `pytest -p` before the app is imported (tests/test_project_fields.py runs it):
one more plain text field in the declaration, exactly as a new entry in
app/domain/project_fields.py would be. Nothing else of the app is edited for it."""
from app.domain import project_fields as F

LAND = F.ProjectField("land_status", "用地情况", max_length=100, column="land_status",
                      headers=("用地情况", "土地情况", "用地落实情况"), help="如 已摘牌、待挂牌", note="最多100字。",
                      plain=True)
F.PROJECT_FIELDS.append(LAND)
