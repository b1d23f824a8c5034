"""Stored times are UTC; every page shows them on the users' clock (TIME_ZONE, Beijing time):
the API tokens page and the import pages' recent uploads as the sessions and the bell do."""
import io
from datetime import datetime

from sqlalchemy import update

from app.models import ApiToken, ImportJob
from app.services.tokens import create_token
from tests.imports.conftest import ledger_file, project_row

AT_UTC = datetime(2026, 12, 6, 23, 30)   # 2026-12-07 07:30 in Beijing


def test_a_tokens_times_read_in_beijing_time(client, world, login, db):
    token, _ = create_token(world.leader, "对接小程序")
    db.session.execute(update(ApiToken).where(ApiToken.id == token.id)
                       .values(created_at=AT_UTC, last_used_at=AT_UTC, expires_at=datetime(2027, 3, 6, 16, 5)))
    db.session.commit()
    login(world.leader)
    page = client.get("/tokens").get_data(as_text=True)
    assert "2026-12-07 07:30" in page and "2027-03-07 00:05" in page and "2026-12-06 23:30" not in page
    # The headings name the clock the cells are on, not UTC.
    assert "创建时间（北京时间，Asia/Shanghai）" in page and "到期（北京时间，Asia/Shanghai）" in page and "UTC" not in page


def test_a_recent_uploads_time_reads_in_beijing_time(client, world, login, db):
    login(world.staff)
    client.post("/imports/", data={"file": (io.BytesIO(ledger_file([project_row()])), "台账.xlsx")},
                content_type="multipart/form-data")
    db.session.execute(update(ImportJob).values(created_at=AT_UTC))
    db.session.commit()
    page = client.get("/imports/").get_data(as_text=True)
    assert "2026-12-07 07:30" in page and "2026-12-06 23:30" not in page
    assert "时间（北京时间，Asia/Shanghai）" in page and "（UTC）" not in page
