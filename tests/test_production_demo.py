"""Issue 17 item 6: production refuses `flask demo-data` and refuses to start while accounts
with the demo password exist, unless ALLOW_DEMO_ACCOUNTS=1."""
import pytest

from app import create_app
from app.demo import DEMO_PASSWORD
from app.models import BUREAU, User
from config import ProductionConfig


def production(app, **extra):
    return type("Prod", (ProductionConfig,), {
        "SECRET_KEY": "k3Yq8vT2pLm9Xw4Rz7Nb5Hc1Jd6Fg0Sa-production-test",
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], **extra})


def add_demo_account(db, username="tcj"):
    user = User(username=username, name="市投促局 孙主任", role=BUREAU)
    user.set_password(DEMO_PASSWORD)
    db.session.add(user)
    db.session.commit()


def test_production_starts_without_demo_accounts(app, world, db):
    assert create_app(production(app)).config["PRODUCTION"]


def test_production_refuses_to_start_while_a_demo_account_exists(app, world, db):
    add_demo_account(db)
    with pytest.raises(RuntimeError, match="以下账号仍使用演示密码：tcj.*ALLOW_DEMO_ACCOUNTS=1"):
        create_app(production(app))
    assert create_app(production(app, ALLOW_DEMO_ACCOUNTS=True))  # explicitly allowed
    create_app("testing")  # development and tests do not mind


def test_production_refuses_demo_data(app, world, db):
    prod = create_app(production(app))
    with prod.app_context():
        result = prod.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code != 0 and "生产环境（ZONECRM_CONFIG=production）不能载入演示数据" in result.output
    assert db.session.query(User).filter_by(username="tcj").count() == 0
