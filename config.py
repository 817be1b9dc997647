"""Configuration classes; every secret and address is read from the environment."""
import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEFAULT_SECRET_KEY = "dev-only-secret-change-me"
DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:5000"


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL", default)
    # Heroku-style URLs name the driver "postgres"; SQLAlchemy wants the psycopg 3 dialect.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://"):]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{BASE_DIR / 'instance' / 'lidzdaliba.sqlite'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}  # dropped connections: participation/liveness.py

    BABEL_DEFAULT_LOCALE = "lv"
    BABEL_DEFAULT_TIMEZONE = "Europe/Riga"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGES = ("lv", "en")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # A log-in lasts at most this long (then the person logs in again); the cookie also ends when the browser closes,
    # and log-out ends it on the server (accounts/services.py, end_sessions).
    SESSION_HOURS = int(os.environ.get("SESSION_HOURS", "12"))
    PERMANENT_SESSION_LIFETIME = timedelta(hours=SESSION_HOURS)  # Flask refuses a session cookie signed longer ago
    REMEMBER_COOKIE_DURATION = timedelta(hours=SESSION_HOURS)  # no "remember me" is offered; bounded all the same

    # E-mail: written to the outbox table; delivered over SMTP when MAIL_SERVER is set, else to the console.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "1") == "1"
    MAIL_FROM = os.environ.get("MAIL_FROM", "Līdzdalība <noreply@lidzdaliba.example>")

    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL", "memory://")
    # The kept job queue (participation/jobs; consumer: `flask worker`): "redis://…" (by default REDIS_URL when it is
    # set), "sqlite:///path" (the default without Redis: instance/jobs.sqlite3) or "immediate" (no queue: a task runs
    # in the caller; the tests). JOBS_QUEUE_NAME keeps two platforms on one Redis apart; JOBS_WORKERS: threads.
    REDIS_URL = os.environ.get("REDIS_URL", "")
    JOBS_QUEUE = os.environ.get("JOBS_QUEUE", "")
    JOBS_QUEUE_NAME = os.environ.get("JOBS_QUEUE_NAME", "lidzdaliba")
    JOBS_WORKERS = int(os.environ.get("JOBS_WORKERS", "2"))
    JOB_RUNS_KEEP_DAYS = 14  # the record of periodic runs (job_runs) is kept this long
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    # Redis down: ordinary limits fail open (pages and forms work, a line in participation.security); the per-account
    # log-in throttle fails closed (a log-in is refused with a 503 "try again in a minute"). See README.
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1} if RATELIMIT_STORAGE_URI.startswith("redis") else {}
    # Per-account log-in throttle (accounts/throttle.py, in the rate-limit storage): after LOGIN_FREE_FAILURES wrong
    # passwords within LOGIN_FAILURE_PERIOD_SECONDS, each further attempt waits FIRST_DELAY, then twice as long, up
    # to MAX_DELAY; the owner gets one notice e-mail per period after LOGIN_NOTICE_AFTER failures.
    LOGIN_FREE_FAILURES = 5
    LOGIN_FIRST_DELAY_SECONDS = 30
    LOGIN_MAX_DELAY_SECONDS = 15 * 60
    LOGIN_FAILURE_PERIOD_SECONDS = 24 * 60 * 60
    LOGIN_NOTICE_AFTER = 5
    # Limits on what residents post (per account when logged in, else per address); "a;b" means both apply.
    RATELIMIT_COMMENTS = "10 per minute;100 per day"  # comments and replies on consultations
    RATELIMIT_PROPOSALS = "10 per minute;60 per day"  # saving drafts, editing and submitting proposals
    RATELIMIT_SUPPORTS = "30 per minute;300 per day"  # supporting proposals
    RATELIMIT_REPORTS = "10 per minute;50 per day"  # reporting content to moderators
    # Website feedback (the widget): per registered origin (all visitors of one site) and per client address.
    RATELIMIT_FEEDBACK_ORIGIN = "300 per minute;20000 per day"
    RATELIMIT_FEEDBACK_ADDRESS = "5 per minute;50 per day"
    # The open-data API and bulk files (/api/v1/, /open-data/), per client address (participation/api).
    RATELIMIT_API = os.environ.get("RATELIMIT_API", "120 per minute;10000 per day")
    FEEDBACK_TOKEN_SECONDS = 2 * 60 * 60  # the widget's form token is valid this long, and once

    # Public forms: a hidden honeypot field and a signed start time; sooner than this is refused (0: no time check).
    FORM_MIN_FILL_SECONDS = 3
    FORM_MAX_AGE_SECONDS = 4 * 60 * 60  # a form's signed start time (tied to the session) is refused after this
    COUNT_CACHE_SECONDS = 30  # list totals and institution figures, per worker (participation/cache.py)

    # Security headers (participation/security.py); a view may change directives with @csp_override(...).
    CONTENT_SECURITY_POLICY = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    REFERRER_POLICY = "strict-origin-when-cross-origin"
    HSTS = False
    HSTS_VALUE = "max-age=31536000; includeSubDomains"

    PER_PAGE = 20
    # Follows and digests (issue 18, participation/follows): followers of a consultation are told once when it closes
    # within FOLLOWS_CLOSING_SOON_HOURS; staff's daily digest lists cases overdue or due within
    # FOLLOWS_DEADLINE_WORKING_DAYS working days, at most FOLLOWS_DIGEST_CASES_SHOWN per institution.
    FOLLOWS_CLOSING_SOON_HOURS = int(os.environ.get("FOLLOWS_CLOSING_SOON_HOURS", "72"))
    FOLLOWS_DEADLINE_WORKING_DAYS = int(os.environ.get("FOLLOWS_DEADLINE_WORKING_DAYS", "3"))
    FOLLOWS_DIGEST_CASES_SHOWN = int(os.environ.get("FOLLOWS_DIGEST_CASES_SHOWN", "30"))
    # Uploaded files (participation/storage.py): STORAGE=local keeps them in UPLOAD_FOLDER (outside the web root);
    # STORAGE=s3 in a bucket of any S3-compatible store (credentials from boto3's usual AWS_* environment variables).
    STORAGE = os.environ.get("STORAGE", "local")
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(BASE_DIR / "instance" / "uploads"))
    S3_BUCKET = os.environ.get("S3_BUCKET", "")
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL", "")  # empty: Amazon S3 itself
    S3_REGION = os.environ.get("S3_REGION", "")
    S3_PREFIX = os.environ.get("S3_PREFIX", "")
    MAX_ATTACHMENT_BYTES = int(os.environ.get("MAX_ATTACHMENT_MB", "20")) * 1024 * 1024
    MAX_CONTENT_LENGTH = MAX_ATTACHMENT_BYTES + 1024 * 1024
    PASSWORD_MIN_LENGTH = 12
    PASSWORD_HASH_METHOD = "scrypt:32768:8:1"  # werkzeug's default strength
    TOKEN_MAX_AGE_SECONDS = 60 * 60 * 24 * 3
    # Privacy (issue 18; accounts/retention.py runs these as periodic tasks, the privacy notice states them):
    # accounts whose address was never confirmed are removed with their drafts after UNVERIFIED_ACCOUNT_DAYS;
    # log-in and rate-limit events after SECURITY_EVENTS_RETENTION_DAYS; the admins' audit log after
    # AUDIT_LOG_RETENTION_DAYS. The operator (controller) named on the privacy notice and contact pages.
    UNVERIFIED_ACCOUNT_DAYS = int(os.environ.get("UNVERIFIED_ACCOUNT_DAYS", "30"))
    SECURITY_EVENTS_RETENTION_DAYS = int(os.environ.get("SECURITY_EVENTS_RETENTION_DAYS", "90"))
    AUDIT_LOG_RETENTION_DAYS = int(os.environ.get("AUDIT_LOG_RETENTION_DAYS", "730"))
    OPERATOR_NAME = os.environ.get("OPERATOR_NAME", "")
    OPERATOR_EMAIL = os.environ.get("OPERATOR_EMAIL", "")
    OPERATOR_ADDRESS = os.environ.get("OPERATOR_ADDRESS", "")
    DPO_EMAIL = os.environ.get("DPO_EMAIL", "")  # the data protection officer; OPERATOR_EMAIL when not set
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", DEFAULT_PUBLIC_BASE_URL)
    # Behind a reverse proxy, how many proxies set X-Forwarded-For/-Proto (rate limits key on the client address).
    PROXY_FIX_X_FOR = int(os.environ.get("PROXY_FIX_X_FOR", "0"))


    # Operations (participation/ops): /metrics for a scraper that sends this bearer token (none: no /metrics page);
    # log lines as JSON objects with the request id, or as text.
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")


class DevelopmentConfig(Config):
    DEBUG = True


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    SERVER_NAME = None
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"  # fast for the suite; production uses the full cost
    COUNT_CACHE_SECONDS = 0  # every test counts afresh
    FORM_MIN_FILL_SECONDS = 0  # the suite posts at once; tests of the human check set it
    JOBS_QUEUE = "immediate"  # tasks run in the test; tests that need a real queue name one


class ProductionConfig(Config):
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    HSTS = True


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
