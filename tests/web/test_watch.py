"""The bureau's watch lists."""
from datetime import timedelta

from app.models import Project


def test_watch_lists_big_projects_laggards_quiet_projects_and_shared_investors(client, world, login,
                                                                                make_project, log_contact, db, today):
    make_project(world.zone_a, name="大外资项目", investor="日本精工株式会社", origin="JP", capital_wan="8000")
    quiet = make_project(world.zone_a, name="久未对接项目", investor="天津海纳实业有限公司",
                         stages=[("negotiating", today - timedelta(days=60))])
    log_contact(quiet, [world.leader], today - timedelta(days=45))
    fresh = make_project(world.zone_a, name="刚对接项目", investor="合肥远景新能源有限公司")
    log_contact(fresh, [world.leader], today)
    make_project(world.zone_c, name="赵县也在谈", investor="北京华创科技股份有限公司")
    make_project(world.zone_a, name="高新区在谈", investor="北京华创科技（中国）有限公司")
    login(world.bureau)
    page = client.get("/review/watch").get_data(as_text=True)
    assert "外资≥5000万美元" in page
    assert "久未对接项目" in page and "刚对接项目" not in page.split("未对接的跟进中项目")[1].split("</section>")[0]
    shared = page.split("多个开发区同时对接的投资方")[1]
    assert "北京华创科技股份有限公司" in shared and "北京华创科技（中国）有限公司" in shared
    assert "赵县经开区" in shared and "石家庄高新区" in shared
    assert "落后序时的领导" in page and "赵强" in page
    longer = client.get("/review/watch?days=90").get_data(as_text=True)
    assert "久未对接项目" not in longer.split("未对接的跟进中项目")[1].split("</section>")[0]


def test_changing_an_investors_origin_moves_all_its_projects(client, world, login, make_project, db):
    first = make_project(world.zone_a, name="项目甲", investor="新元投资有限公司", origin="CN")
    second = make_project(world.zone_a, name="项目乙", investor="新元投资有限公司", origin="CN")
    login(world.staff)
    client.post(f"/projects/{first.id}/edit", data={
        "name": "项目甲", "investor_name": "新元投资有限公司", "origin": "HK", "industry": "其他",
        "total_investment": "", "foreign_capital": "", "key_level": "", "leader_id": "0"})
    db.session.expire_all()
    assert db.session.get(Project, first.id).is_foreign and db.session.get(Project, second.id).is_foreign


def test_only_the_bureau_has_the_watch_lists(client, world, login):
    for user in (world.leader, world.staff, world.admin, world.auditor):
        login(user)
        assert client.get("/review/watch").status_code == 403
