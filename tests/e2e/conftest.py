"""Browser tests: Debian's Chromium, driven by Playwright for Python, against the app served
by a real HTTP server on 127.0.0.1.

The server is werkzeug's, in a thread of the test process, on a free port. It always serves
its own SQLite file (whatever TEST_DATABASE_URL says): migrated, then loaded once per session
with the deterministic demo data, so nothing here meets the unit tests' fixtures or their
cleanup. CSRF, sessions, lockout and rate limits are on, as in production, but every login comes
from 127.0.0.1 and the folder signs in some 40 times within minutes: the per-address limit is
raised to 200 here (its refusal is tested in tests/web/test_sign_in_security.py).

Each step's screenshot goes to artifacts/screenshots/<test>/ (see the README); CI keeps the
folder as an artefact. Chromium missing is a failure, not a skip: `make test` installs it.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import flask_migrate
import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from app import create_app
from app.demo import load_demo
from app.extensions import db
from config import BASE_DIR, Config

# `make test` gives each pass that runs the browser tests a folder of its own (SCREENSHOTS).
SCREENSHOTS = BASE_DIR / os.environ.get("SCREENSHOTS", "artifacts/screenshots")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--lang=zh-CN"]
PHONE = {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True}
OFFICE_PC = {"viewport": {"width": 1366, "height": 768}}


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        pytest.fail("浏览器测试需要 Debian 的 Chromium：apt-get install -y chromium（make test 会自动安装）"
                    f" / Chromium is required for the browser tests, not found at {path}")
    return path


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):  # one line per request would drown pytest's output
        pass


class LiveServer(str):
    """The server's address, carrying the app it serves (for a step the browser cannot take,
    such as the daily job that a scheduler runs)."""
    app = None


@pytest.fixture(scope="session")
def live_app(live_server):
    """The served app itself, for a test that must reach past the browser (age a session, count rows,
    run the daily job a scheduler runs)."""
    return live_server.app


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, today):
    """The app with the demo data, served on 127.0.0.1 for the whole session. The server's thread
    shares the session's pinned clock (the `today` fixture); the import worker, a process of its
    own, is started with the same day pinned (pinned_worker.py)."""
    path = tmp_path_factory.mktemp("e2e") / "e2e.db"
    queue = path.with_name("queue.db")

    class E2EConfig(Config):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{path}"
        SECRET_KEY = "e2e-secret-key-not-for-production-0123456789"
        TESTING = False
        QUEUE_URL = f"sqlite:///{queue}"
        IMPORT_PROGRESS_DIR = str(path.with_name("import-progress"))   # apart from another pass's
        LOGIN_RATE_LIMIT = 200

    app = create_app(E2EConfig)
    started = time.perf_counter()
    with app.app_context():
        flask_migrate.upgrade()
        load_demo(today)
        db.session.remove()
    print(f"\n[e2e] demo data loaded in {time.perf_counter() - started:.1f}s")
    # Imports run in a worker of their own, as `make run` starts one (`flask worker`), on the same today.
    env = {**os.environ, "DATABASE_URL": E2EConfig.SQLALCHEMY_DATABASE_URI, "QUEUE_URL": E2EConfig.QUEUE_URL,
           "IMPORT_PROGRESS_DIR": E2EConfig.IMPORT_PROGRESS_DIR,
           "SECRET_KEY": E2EConfig.SECRET_KEY, "ZONECRM_CONFIG": "development", "FLASK_APP": "app"}
    env.pop("REDIS_URL", None)
    worker = subprocess.Popen([sys.executable, "-m", "tests.e2e.pinned_worker", today.isoformat(),
                               "worker", "--workers", "1", "--no-periodic"],
                              cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    url = LiveServer(f"http://127.0.0.1:{server.server_port}")
    url.app = app
    try:
        yield url
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


# Chinese that renders as Chinese: drawn in the page's font, a character must differ from one
# that no font has (U+0378 is unassigned), or every Chinese word in the screenshots is a box.
# The machine may have no Chinese font at all (a fresh CI machine): then the page must bring
# its own (the stylesheet's web font), as it must for a user's PC without one.
CJK_RENDERS = """async () => {
  await document.fonts.ready;
  const family = getComputedStyle(document.body).fontFamily;
  await document.fonts.load('24px ' + family, '开落');
  const draw = text => {
    const canvas = document.createElement('canvas');
    canvas.width = 64; canvas.height = 32;
    const ctx = canvas.getContext('2d');
    ctx.font = '24px ' + family;
    ctx.fillText(text, 4, 26);
    return Array.from(ctx.getImageData(0, 0, 64, 32).data).join();
  };
  return draw('开') !== draw('\u0378') && draw('开') !== draw('落');
}"""


@pytest.fixture(scope="session")
def browser(live_server):
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    # Chinese as the browser's own language (dates in forms read 年/月/日), from chromium-l10n.
    # LANGUAGE, not LANG: a zh_CN locale the system lacks would lose non-ASCII file names.
    env = {**os.environ, "LANG": "C.UTF-8", "LANGUAGE": "zh_CN"}
    # The shifted-clock pass runs everything under libfaketime (LD_PRELOAD) but the browser:
    # Chromium's zygote fails under it and the browser hangs. The browser's own clock decides
    # nothing here (every date a page shows or checks is served by the app's clock), so it keeps
    # the machine's time.
    for name in [name for name in env if name == "LD_PRELOAD" or name.startswith("FAKETIME")]:
        del env[name]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True, env=env)
        page = browser.new_page()
        page.goto(f"{live_server}/login")
        assert page.evaluate(CJK_RENDERS), "Chromium draws Chinese as empty boxes: the page's font is missing"
        page.close()
        yield browser
        browser.close()


class Shots:
    """Numbered full-page screenshots of one test's steps, in artifacts/screenshots/<test>/."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.n = 0
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)

    def __call__(self, page, name: str, full_page: bool = True, max_height: int = 2400) -> Path:
        """The whole page (its first `max_height` CSS pixels), or what the window shows."""
        self.n += 1
        path = self.folder / f"{self.n:02d}-{name}.png"
        clip = None
        if full_page:
            width, height = page.evaluate("[window.innerWidth, document.documentElement.scrollHeight]")
            if height > max_height:
                clip = {"x": 0, "y": 0, "width": width, "height": max_height}
        page.screenshot(path=str(path), full_page=full_page, clip=clip)
        return path

    def file(self, name: str) -> Path:
        return self.folder / name


@pytest.fixture(scope="session")
def screenshots_folder():
    """Emptied once per session, so the folder holds this run's pictures only."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


@pytest.fixture
def shots(request, screenshots_folder):
    return Shots(screenshots_folder / re.sub(r"[^\w-]+", "_", request.node.name).strip("_"))


@pytest.fixture
def open_context(browser, live_server):
    """new context(**PHONE or OFFICE_PC) -> a page on the live server that fails the test on a
    JavaScript error or a Content-Security-Policy refusal (an inline script or style)."""
    contexts, problems = [], []

    def open_(device: dict, **extra):
        context = browser.new_context(base_url=live_server, locale="zh-CN", timezone_id="Asia/Shanghai",
                                      accept_downloads=True, **device, **extra)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"脚本错误: {error}"))
        page.on("console", lambda msg: problems.append(f"控制台: {msg.text}")
                if msg.type == "error" and "Content Security Policy" in msg.text else None)
        return page

    yield open_
    for context in contexts:
        context.close()
    assert not problems, problems
