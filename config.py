"""Configuration classes. The environment picks the database and the secret."""
import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _dev_secret_key() -> str:
    """A per-checkout key kept in instance/, so sessions survive restarts in development."""
    INSTANCE_DIR.mkdir(exist_ok=True)
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


class Config:
    # An empty DATABASE_URL (a blank line in an environment file) means the default, not a URL.
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'zonecrm.db'}"
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    SESSION_COOKIE_HTTPONLY = True
    PRODUCTION = False
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None
    WTF_I18N_ENABLED = False  # forms use WTForms' bundled Chinese messages (app.forms.Form)
    PROJECTS_PER_PAGE = 50
    # Times are stored in UTC and shown in the zones' own time zone (Beijing time).
    TIME_ZONE = os.environ.get("ZONECRM_TIME_ZONE", "Asia/Shanghai")
    # Sessions: signed out after this long without a request, and after SESSION_MAX_HOURS in any case.
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", 30))
    SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", 12))
    # At most this many signed-in sessions per user; a new login ends the least recently used.
    SESSION_MAX_CONCURRENT = int(os.environ.get("SESSION_MAX_CONCURRENT", 3))
    # Logins: LOGIN_MAX_FAILURES failures lock an account for LOGIN_LOCKOUT_MINUTES; one client
    # address may try LOGIN_RATE_LIMIT logins per LOGIN_RATE_WINDOW_SECONDS (counted in the database).
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCKOUT_MINUTES = 15
    LOGIN_RATE_LIMIT = int(os.environ.get("LOGIN_RATE_LIMIT", 30))
    LOGIN_RATE_WINDOW_SECONDS = 300
    # Requests per API token per window, counted in the database (or Redis when REDIS_URL is
    # set) so every worker shares the count; beyond it the API answers 429 (app/services/api_rate.py).
    API_RATE_LIMIT = int(os.environ.get("API_RATE_LIMIT", 600))
    API_RATE_WINDOW_SECONDS = int(os.environ.get("API_RATE_WINDOW_SECONDS", 60))
    REDIS_URL = os.environ.get("REDIS_URL") or None
    # Behind a reverse proxy: how many proxies set X-Forwarded-For/-Proto (0 = none, trust no header).
    PROXY_FIX_X_FOR = int(os.environ.get("PROXY_FIX_X_FOR", 0))
    # Above IMPORT_MAX_BYTES by room for the upload form around the file.
    MAX_CONTENT_LENGTH = 32 * 1024 * 1024
    # Ledger imports (app/imports): the largest file and the most data rows per sheet accepted
    # (the bench ledger takes about 10 MB and 100 MB unpacked per 100,000 rows);
    # an .xlsx may unpack to at most IMPORT_MAX_UNCOMPRESSED bytes, no part of it compressed
    # more than IMPORT_MAX_RATIO to one (a zip bomb is refused before anything opens it).
    IMPORT_MAX_BYTES = 30 * 1024 * 1024
    IMPORT_MAX_ROWS = 200_000
    IMPORT_MAX_UNCOMPRESSED = 256 * 1024 * 1024
    IMPORT_MAX_RATIO = 200
    # Bytes of uploads a user may keep stored while not yet imported (app/imports/jobs.py).
    IMPORT_USER_QUOTA = int(os.environ.get("IMPORT_USER_QUOTA", 100 * 1024 * 1024))
    # A check or import that has not reported for this long died with its worker (a restart,
    # a timeout): its transaction was rolled back, and it may be started again.
    # A running step writes a heartbeat every IMPORT_HEARTBEAT_SECONDS (a thread beside the work);
    # one silent for IMPORT_STALE_SECONDS died with its worker (killed, a restart): its transaction
    # was rolled back, and the job is given up (and may be started again). A step still waiting in
    # the queue is given up after IMPORT_QUEUED_STALE_SECONDS (no worker running).
    IMPORT_HEARTBEAT_SECONDS = int(os.environ.get("IMPORT_HEARTBEAT_SECONDS", 10))
    IMPORT_STALE_SECONDS = int(os.environ.get("IMPORT_STALE_SECONDS", 60))
    IMPORT_QUEUED_STALE_SECONDS = int(os.environ.get("IMPORT_QUEUED_STALE_SECONDS", 3600))
    # Where the worker leaves an import's progress while its transaction is open, for the pages
    # of the same host to read (the job row has it once the transaction ends).
    IMPORT_PROGRESS_DIR = os.environ.get("IMPORT_PROGRESS_DIR") or str(INSTANCE_DIR / "import-progress")
    # Uploaded files not imported within this many hours are deleted (a periodic task).
    UPLOAD_KEEP_HOURS = 24
    # The task queue (app/queue.py, huey): Redis when REDIS_URL (or QUEUE_URL) is set, else a
    # SQLite file under instance/, so that one machine needs nothing more. "immediate" runs every
    # task at once inside the caller (the tests).
    QUEUE_URL = (os.environ.get("QUEUE_URL") or os.environ.get("REDIS_URL")
                 or f"sqlite:///{INSTANCE_DIR / 'queue.db'}")
    # The cache of computed progress (app/queries/cache.py): Redis when REDIS_URL is set, else
    # in the process. Entries are keyed by the database's data version, so never stale.
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL") or os.environ.get("REDIS_URL") or ""
    # A nightly backup (the worker's schedule) into BACKUP_DIR when set, keeping BACKUP_KEEP files.
    BACKUP_DIR = os.environ.get("BACKUP_DIR", "")
    BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", 7))
    # Notifications by e-mail go through this SMTP server (the admin adds the addresses; none
    # by default, so nothing is sent). Webhook channels (企业微信 / 钉钉 group robots) need
    # nothing here. NOTIFY_TIMEOUT bounds each delivery attempt, in seconds.
    NOTIFY_SMTP_HOST = os.environ.get("NOTIFY_SMTP_HOST", "")
    NOTIFY_SMTP_PORT = int(os.environ.get("NOTIFY_SMTP_PORT", 25))
    NOTIFY_SMTP_USER = os.environ.get("NOTIFY_SMTP_USER", "")
    NOTIFY_SMTP_PASSWORD = os.environ.get("NOTIFY_SMTP_PASSWORD", "")
    NOTIFY_SMTP_STARTTLS = os.environ.get("NOTIFY_SMTP_STARTTLS", "0") == "1"
    NOTIFY_MAIL_FROM = os.environ.get("NOTIFY_MAIL_FROM", "zonecrm@localhost")
    NOTIFY_TIMEOUT = 10

    @classmethod
    def resolve(cls) -> None:
        if not cls.SECRET_KEY:
            cls.SECRET_KEY = _dev_secret_key()


class DevelopmentConfig(Config):
    DEBUG = False


class TestConfig(Config):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    SECRET_KEY = "test-secret-key"
    WTF_CSRF_ENABLED = False
    QUEUE_URL = "immediate"
    CACHE_REDIS_URL = ""


class ProductionConfig(Config):
    DEBUG = False
    TESTING = False
    PRODUCTION = True
    # Production refuses `flask demo-data`, and refuses to serve while accounts with the demo
    # password exist, unless ALLOW_DEMO_ACCOUNTS=1 (app/demo_guard.py).
    ALLOW_DEMO_ACCOUNTS = os.environ.get("ALLOW_DEMO_ACCOUNTS", "") == "1"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") == "1"

    @classmethod
    def resolve(cls) -> None:
        if os.environ.get("FLASK_DEBUG", "").lower() in ("1", "true", "yes", "on"):
            raise RuntimeError(
                "生产环境不得开启调试模式，请去掉 FLASK_DEBUG (production refuses FLASK_DEBUG)")
        if not cls.SECRET_KEY or len(cls.SECRET_KEY) < 32 or len(set(cls.SECRET_KEY)) < 10:
            raise RuntimeError(
                "生产环境必须通过环境变量 SECRET_KEY 提供至少 32 个字符的随机密钥 "
                "(production requires a random SECRET_KEY of at least 32 characters)"
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestConfig,
    "production": ProductionConfig,
}
