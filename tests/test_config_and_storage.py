"""Set-up guarantees: production refuses a missing secret; money is stored exactly."""
from decimal import Decimal

import pytest

from app import create_app
from app.models import Project
from config import ProductionConfig


def test_production_refuses_to_start_without_a_real_secret(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "short")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_an_empty_database_url_means_the_default_sqlite_file():
    import os
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    read = subprocess.run([sys.executable, "-c", "import config; print(config.Config.SQLALCHEMY_DATABASE_URI)"],
                          cwd=root, env={**os.environ, "DATABASE_URL": ""}, capture_output=True, text=True, check=True)
    assert read.stdout.strip() == f"sqlite:///{root / 'instance' / 'zonecrm.db'}"


def test_large_amounts_come_back_to_the_cent(world, make_project, db):
    project = make_project(world.zone_a, total_wan="98765432.1234")
    db.session.expire_all()
    stored = db.session.get(Project, project.id).total_investment
    assert stored == Decimal("987654321234.00") and isinstance(stored, Decimal)


def test_sub_cent_amounts_never_reach_the_database(world, make_project, db):
    project = make_project(world.zone_a)
    project.total_investment = Decimal("1.005")
    with pytest.raises(Exception):
        db.session.commit()
    db.session.rollback()
