"""The kept job queue (issues 18 and 20): Huey, with Redis in production and a SQLite file in development.

Which storage (configuration `JOBS_QUEUE`, read from the environment):
  - ``redis://...``        Redis (production; defaults to REDIS_URL when that is set),
  - ``sqlite:///path``     a SQLite file (development default: instance/jobs.sqlite3),
  - ``immediate``          no queue: a task runs at once, in the caller (the tests' default).
The consumer is `flask worker` (participation/worker.py); `make run` starts it beside the web server.

How a package adds work
-----------------------
Write the tasks in ``participation/<package>/tasks.py``. The consumer imports every such module (found by looking for
them: `task_modules()`), so nothing needs registering by hand. Inside::

    from participation.jobs import crontab, periodic_task, task

    @task()
    def send_one_digest(user_id: int) -> None:      # send_one_digest(7) enqueues it and returns at once
        ...

    @periodic_task(crontab(minute="0", hour="5"))   # crontab times are UTC
    def daily_digests() -> None:
        ...

Both run inside an application context (use ``db.session`` and commit as in a view). If the caller already has one
(immediate mode in a test, a view), the task runs in it. Put a job on the queue after the change it reads has
committed (a consumer may take it at once), or pass what it needs as arguments (ids, not objects). Each app has its
own queue (``app.extensions["jobs"]``): the `huey` object follows the current app context. A periodic task runs **once per scheduled minute whatever
the number of consumers**: before running, it claims the row (task name, minute) in the ``job_runs`` table; the
consumer that loses the race skips that run. The row also records when it finished, or the error.

In tests: ``daily_digests.call_local()`` runs a periodic task now (claiming the current minute, as the consumer
would); ``run_now(daily_digests)`` runs its body with no claim at all. A plain task called in a test runs at once
(immediate mode). `huey` is the Huey instance itself (e.g. ``huey.pending_count()``).
"""
from __future__ import annotations

import functools
import importlib
import logging
import pkgutil
import threading
from pathlib import Path

import redis
from flask import Flask, current_app, has_app_context
from huey import Huey, crontab  # noqa: F401  (crontab is re-exported for the task modules)
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

log = logging.getLogger("participation.jobs")


class _AppHuey(Huey):
    """Huey whose storage and immediate mode belong to the application in use (the current app context, else the
    app the consumer runs): several apps in one process (the tests, a browser suite's live server) never share one
    queue by accident. Before any app exists it runs tasks at once."""

    def __init__(self, *args, **kwargs):
        self._fallback = {"immediate": True, "storage": None}
        super().__init__(*args, **kwargs)

    def _state(self) -> dict:
        app = current_app._get_current_object() if has_app_context() else _app
        state = app.extensions.get("jobs") if app is not None else None
        return state or self._fallback

    @property
    def _immediate(self):
        return self._state()["immediate"]

    @_immediate.setter
    def _immediate(self, value):
        self._fallback["immediate"] = value

    @property
    def storage(self):
        return self._state()["storage"]

    @storage.setter
    def storage(self, value):
        self._fallback["storage"] = value


# One instance for the process; each app gets its own storage from `init_app`.
_app: Flask | None = None
huey = _AppHuey("lidzdaliba", results=False, utc=True, immediate=True)


def init_app(app: Flask) -> None:
    """Give the app its queue storage, and remember it (the consumer's tasks run in its context)."""
    global _app
    _app = app
    _connect()
    setting = app.config.get("JOBS_QUEUE") or ""
    if not setting:
        redis_url = app.config.get("REDIS_URL") or ""
        setting = redis_url if redis_url.startswith(("redis://", "rediss://", "unix://")) else ""
    if not setting:
        setting = "sqlite:///" + str(Path(app.instance_path) / "jobs.sqlite3")
    name = app.config.get("JOBS_QUEUE_NAME") or "lidzdaliba"
    if setting == "immediate":
        app.extensions["jobs"] = {"immediate": True, "storage": MemoryStorage(name), "queue": "immediate"}
    elif setting.startswith("sqlite:///"):
        app.extensions["jobs"] = {"immediate": False, "queue": setting,
                                  "storage": SqliteStorage(name, filename=setting[len("sqlite:///"):])}
    else:
        # Redis down must not hold a request: a second to connect (the delivery job is then left to the sweep).
        pool = redis.ConnectionPool.from_url(setting, socket_connect_timeout=1, socket_timeout=5)
        app.extensions["jobs"] = {"immediate": False, "queue": setting,
                                  "storage": RedisStorage(name, connection_pool=pool)}


def _connect() -> None:
    from participation.jobs import tasks  # noqa: F401  (the delivery job enqueued after a commit that wrote e-mail)


# On SQLite (development) two jobs writing at once can deadlock ("database is locked"): the consumer's threads take
# turns. PostgreSQL needs no such thing.
_sqlite_turns = threading.Lock()


def _in_app_context(fn):
    @functools.wraps(fn)
    def run(*args, **kwargs):
        if has_app_context():
            return fn(*args, **kwargs)
        if _app is None:
            raise RuntimeError("participation.jobs.init_app was not called (create the app first)")
        with _app.app_context():
            from participation.extensions import db

            sqlite = db.engine.dialect.name == "sqlite"
            if sqlite:
                _sqlite_turns.acquire()
            try:
                return fn(*args, **kwargs)
            finally:
                db.session.remove()
                if sqlite:
                    _sqlite_turns.release()

    return run


def task(**options):
    """A job enqueued by calling the function (Huey's task: `retries`, `retry_delay`, `priority` are accepted)."""

    def decorate(fn):
        return huey.task(name=f"{fn.__module__}.{fn.__name__}", **options)(_in_app_context(fn))

    return decorate


def periodic_task(validate_datetime, **options):
    """A job run on a schedule (a huey `crontab`), once per scheduled minute across every consumer."""

    def decorate(fn):
        name = f"{fn.__module__}.{fn.__name__}"

        @functools.wraps(fn)
        def once(*args, **kwargs):
            from participation.jobs.runs import run_once

            return run_once(name, fn, *args, **kwargs)

        wrapper = huey.periodic_task(validate_datetime, name=name, **options)(_in_app_context(once))
        wrapper.body = fn
        return wrapper

    return decorate


def run_now(periodic):
    """Run a periodic task's body now, in the current app context, with no claim (for tests and the CLI)."""
    return periodic.body()


def task_modules() -> list[str]:
    """Every `participation.<package>.tasks` module that exists: what the consumer imports."""
    import participation

    names = []
    for info in pkgutil.iter_modules(participation.__path__):
        if info.ispkg and (Path(participation.__path__[0]) / info.name / "tasks.py").exists():
            names.append(f"participation.{info.name}.tasks")
    return sorted(names)


def load_tasks() -> list[str]:
    """Import every task module (the consumer does this before it starts; the web process needs only what it calls)."""
    modules = task_modules()
    for name in modules:
        importlib.import_module(name)
    return modules


def queue_length() -> int | None:
    """Jobs waiting in the queue (None when it cannot be read, e.g. Redis is down)."""
    try:
        return int(huey.pending_count())
    except Exception as error:  # noqa: BLE001  (metrics must answer even when the queue does not)
        log.warning("the job queue's length could not be read: %s", error)
        return None
