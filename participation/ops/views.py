"""/healthz: the process answers (no database, no Redis: a load balancer must not take every server out because the
database blinked). /readyz: the database and Redis answer and the database's migrations are the code's, so a server
receives traffic only when it can serve it."""
from functools import cache

from flask import Blueprint, current_app, jsonify

bp = Blueprint("ops", __name__)


@bp.route("/healthz")
def healthz():
    return jsonify(status="ok")


@cache
def _expected_heads(directory: str) -> frozenset[str]:
    """The migrations the code expects (read once: they do not change while the process runs)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", directory)
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def _database() -> str | None:
    from alembic.migration import MigrationContext

    from participation.extensions import db

    try:
        with db.engine.connect().execution_options(sqlite_reads_only=True) as connection:  # never waits for a writer
            current = set(MigrationContext.configure(connection).get_current_heads())
    except Exception as error:  # noqa: BLE001  (any failure means not ready)
        return f"database: {type(error).__name__}"
    expected = _expected_heads(current_app.extensions["migrate"].directory)
    if current != expected:
        return f"database: migrations {sorted(current)} but the code expects {sorted(expected)}"
    return None


def _redis() -> str | None:
    url = current_app.config.get("RATELIMIT_STORAGE_URI", "")
    if not url.startswith(("redis://", "rediss://")):
        return None
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except Exception as error:  # noqa: BLE001
        return f"redis: {type(error).__name__}"
    return None


@bp.route("/readyz")
def readyz():
    problems = [problem for problem in (_database(), _redis()) if problem]
    if problems:
        return jsonify(status="not ready", problems=problems), 503
    return jsonify(status="ready")
