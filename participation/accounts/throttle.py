"""The per-account log-in throttle: slows password guessing against one account from any number of addresses,
without letting a stranger lock the owner out.

Kept in the rate-limit storage (RATELIMIT_STORAGE_URI: Redis in production, memory in development), under a hash of
the address typed (registered or not, so a refusal tells nothing about which addresses have accounts):

- after LOGIN_FREE_FAILURES wrong passwords within LOGIN_FAILURE_PERIOD_SECONDS, each further attempt must wait
  LOGIN_FIRST_DELAY_SECONDS after the last failure, then twice as long after each new failure, up to
  LOGIN_MAX_DELAY_SECONDS (an attempt refused while waiting is not counted, so a stranger cannot make the wait longer
  than that); a right password clears the count;
- the owner can always log in at once through a password-reset link, which a stranger cannot block: the refusal says
  so, and after LOGIN_NOTICE_AFTER failures the owner gets one notice e-mail per period with such a link.

When the storage does not answer, log-in fails closed (:class:`StorageDown`: the view answers 503, "try again in a
minute"); the ordinary rate limits fail open (config.py, RATELIMIT_SWALLOW_ERRORS).
"""
import hashlib
import math
import time

from flask import current_app
from limits.storage import Storage, storage_from_string

_EXTENSION = "lidzdaliba.login_throttle"


class StorageDown(RuntimeError):
    """The rate-limit storage does not answer."""


def _storage() -> Storage:
    stored = current_app.extensions.get(_EXTENSION)
    uri = current_app.config["RATELIMIT_STORAGE_URI"]
    if stored is None or stored[0] != uri:
        options = current_app.config.get("RATELIMIT_STORAGE_OPTIONS") or {}
        stored = (uri, storage_from_string(uri, **(options if uri.startswith("redis") else {})))
        current_app.extensions[_EXTENSION] = stored
    return stored[1]


def _key(kind: str, email: str) -> str:
    digest = hashlib.sha256((email or "").strip().lower().encode("utf-8")).hexdigest()[:32]
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or "lidzdaliba"
    return f"{prefix}/login-{kind}/{digest}"


def _guarded(action):
    try:
        return action()
    except StorageDown:
        raise
    except Exception as error:  # redis.ConnectionError, TimeoutError, limits.errors.StorageError ...
        raise StorageDown(f"{type(error).__name__}: {error}") from error


def check_storage() -> None:
    """Raise StorageDown unless the storage answers (asked before every log-in attempt: fail closed)."""
    if not _guarded(lambda: _storage().check()):
        raise StorageDown("no answer")


def wait_seconds(email: str) -> int:
    """How many seconds this address must wait before its next attempt (0: it may try now)."""

    def read():
        store = _storage()
        key = _key("wait", email)
        if store.get(key) <= 0:
            return 0
        return max(1, math.ceil(store.get_expiry(key) - time.time()))

    return _guarded(read)


def record_failure(email: str) -> bool:
    """Count a wrong password for this address and start its wait; True when the owner should get the notice now
    (the first time within the period that failures reach LOGIN_NOTICE_AFTER)."""
    config = current_app.config

    def record():
        store = _storage()
        period = int(config["LOGIN_FAILURE_PERIOD_SECONDS"])
        failures = store.incr(_key("failures", email), period)
        beyond = failures - int(config["LOGIN_FREE_FAILURES"])
        if beyond >= 0:
            delay = min(int(config["LOGIN_FIRST_DELAY_SECONDS"]) * 2 ** min(beyond, 30), int(config["LOGIN_MAX_DELAY_SECONDS"]))
            wait = _key("wait", email)
            store.clear(wait)
            store.incr(wait, delay)  # a fresh key: it expires `delay` seconds from now
        if failures >= int(config["LOGIN_NOTICE_AFTER"]):
            return store.incr(_key("notice", email), period) == 1
        return False

    return _guarded(record)


def record_success(email: str) -> None:
    """A right password: the count and the wait start again (the notice stays sent for its period)."""

    def clear():
        store = _storage()
        store.clear(_key("failures", email))
        store.clear(_key("wait", email))

    _guarded(clear)


def first_in_period(kind: str, email: str, seconds: int) -> bool:
    """True the first time within `seconds` for this kind and address (one notice e-mail per period); True as well
    when the storage does not answer (the notice is then sent: better twice than never)."""
    try:
        return _guarded(lambda: _storage().incr(_key(kind, email), seconds) == 1)
    except StorageDown:
        return True


def failures(email: str) -> int:
    return _guarded(lambda: _storage().get(_key("failures", email)))
