"""The 'done when' journey: examples/api_client.py, which uses nothing but requests, run as
its own process against the app served by werkzeug on 127.0.0.1 with a leader's token."""
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app.models import AuditEvent, Contact, LeaderProject, Project

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "api_client.py"


@pytest.fixture
def served(app, db):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(10)


def run_script(*args):
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower() and not k.startswith("ZONECRM_")}
    # -I: the script's own imports only (no PYTHONPATH, no user site), like a stranger's machine.
    return subprocess.run([sys.executable, "-I", str(SCRIPT), *args], capture_output=True, text=True,
                          timeout=120, env=env)


def test_a_leader_creates_a_project_logs_a_contact_and_reads_progress(world, token_for, served, db):
    token = token_for(world.leader)
    result = run_script("--base-url", served, "--token", token, "--project", "示例脚本项目")
    assert result.returncode == 0, result.stderr
    db.session.rollback()  # the server wrote in its own transactions: read them afresh
    lines = result.stdout.splitlines()
    assert lines[0] == "令牌属于：张伟（leader1，开发区领导）"
    assert "已录入项目" in lines[1] and "1500000000.00 元" in lines[1] and "在谈" in lines[1]
    assert lines[2].startswith("已记录对接") and "张伟" in lines[2]
    assert "领导 leader1 已对接 1 个项目，任务 100 个" in lines[3]

    project = db.session.query(Project).filter_by(name="示例脚本项目").one()
    assert project.zone_id == world.zone_a.id and project.stage == "negotiating"
    contact = db.session.query(Contact).filter_by(project_id=project.id).one()
    assert [l.username for l in contact.leaders] == ["leader1"]
    assert db.session.query(LeaderProject).filter_by(leader_id=world.leader.id, project_id=project.id).count() == 1
    assert {e.action for e in db.session.query(AuditEvent).filter_by(user_id=world.leader.id)} >= {"create"}


def test_staff_name_a_leader_and_a_bad_token_fails_in_chinese(world, token_for, served, db):
    token = token_for(world.staff)
    result = run_script("--base-url", served, "--token", token)
    assert result.returncode == 0, result.stderr
    assert "已记录对接" in result.stdout and "领导 leader1 已对接 1 个项目" in result.stdout

    result = run_script("--base-url", served, "--token", "zcrm_not-a-token")
    assert result.returncode == 1
    assert "失败：缺少有效的 API 令牌" in result.stderr and "unauthorized" in result.stderr


def test_the_python_on_the_api_page_runs_as_printed(world, token_for, served, db):
    """A new user copies the snippet from /api, sets `token`, and it works against this server."""
    import html
    import re

    import requests

    page = requests.get(served + "/api", timeout=30).text
    snippet = html.unescape(re.search(r"<pre><code>(import requests.*?)</code></pre>", page, re.S).group(1))
    assert f'api = "{served}/api/v1"' in snippet
    token = token_for(world.leader)
    result = subprocess.run([sys.executable, "-I", "-c", f"token = {token!r}\n{snippet}"], capture_output=True,
                            text=True, timeout=120,
                            env={k: v for k, v in os.environ.items() if "proxy" not in k.lower()})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1 / 100"
    db.session.rollback()
    assert db.session.query(Contact).count() == 1
