"""Guarding: security headers on every response, the security and moderation logs, and rate-limit keys.

Loggers:
- ``participation.security``: log-in failures, permission refusals (403), refused human checks, rate limits hit.
- ``participation.moderation``: moderation actions, through :func:`log_moderation_action`.
"""
import hashlib
import logging
from collections.abc import Callable

from flask import Flask, current_app, request
from flask_login import current_user

SECURITY_LOGGER = "participation.security"
MODERATION_LOGGER = "participation.moderation"


def _logger(name: str) -> logging.Logger:
    """The named logger, switched back on if a logging.config.fileConfig() call (Alembic's env.py does one when
    migrations run in-process) disabled the loggers that existed before it: these records must not be lost."""
    logger = logging.getLogger(name)
    logger.disabled = False
    return logger


# --- headers ------------------------------------------------------------------------------------------------


def csp_header(directives: dict[str, str]) -> str:
    """A Content-Security-Policy value from a {directive: sources} dict (an empty value drops the directive)."""
    return "; ".join(f"{name} {value}".strip() for name, value in directives.items() if value is not None)


def csp_override(**directives: str) -> Callable:
    """Decorate a view to change directives of the policy for its responses only, e.g. for an embeddable
    widget page: ``@csp_override(frame_ancestors="https://example.lv")`` (underscores become hyphens)."""

    def decorate(view):
        view._csp_override = {name.replace("_", "-"): value for name, value in directives.items()}
        return view

    return decorate


def _view_override() -> dict[str, str]:
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return getattr(view, "_csp_override", {}) if view is not None else {}


def _set_security_headers(response):
    config = current_app.config
    directives = dict(config["CONTENT_SECURITY_POLICY"])
    directives.update(_view_override())
    headers = response.headers
    if "Content-Security-Policy" not in headers:  # a view may set its own policy
        headers["Content-Security-Policy"] = csp_header(directives)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", config["REFERRER_POLICY"])
    if directives.get("frame-ancestors") == "'none'":
        headers.setdefault("X-Frame-Options", "DENY")  # older browsers that do not know frame-ancestors
    if config.get("HSTS"):
        headers.setdefault("Strict-Transport-Security", config["HSTS_VALUE"])
    if _private(response):
        headers["Cache-Control"] = "no-store"  # a shared computer's browser keeps nothing of it
    return response


def _private(response) -> bool:
    """A response to someone signed in, or a page with a form that is posted (what was typed, a CSRF token)."""
    from flask import g

    if getattr(current_user, "is_authenticated", False) or g.get("form_page"):
        return True
    return response.mimetype == "text/html" and request.method == "POST"


def init_app(app: Flask) -> None:
    """Security headers on every response: pages, error pages, static files, downloads."""
    app.after_request(_set_security_headers)
    limiter_logger = logging.getLogger("flask-limiter")
    if not any(isinstance(handler, _LimiterErrors) for handler in limiter_logger.handlers):
        limiter_logger.addHandler(_LimiterErrors())
    # First of all before-request functions (before the limiter's own check): its logger switched back on, should a
    # fileConfig() call (migrations run in-process) have disabled it, so no fail-open line is lost.
    app.before_request_funcs.setdefault(None, []).insert(0, lambda: setattr(limiter_logger, "disabled", False))


# --- logging ------------------------------------------------------------------------------------------------


def mask_email(email: str | None) -> str:
    """An e-mail address as a short stable hash, so failures can be correlated without storing the address."""
    normalised = (email or "").strip().lower()
    return "email#" + hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:12]


def _user_id():
    return current_user.id if getattr(current_user, "is_authenticated", False) else None


def log_login_failure(email: str | None) -> None:
    _logger(SECURITY_LOGGER).warning("log-in failed: %s from %s", mask_email(email), request.remote_addr)


def log_login_throttled(email: str | None, seconds: int) -> None:
    _logger(SECURITY_LOGGER).warning("log-in refused, the account must wait %ss: %s from %s", seconds, mask_email(email),
                                     request.remote_addr)


def log_limit_storage_down(what: str, error: BaseException | str | None = None) -> None:
    """The rate-limit storage (Redis) does not answer: what the app did about it (fail open or closed)."""
    detail = f"{type(error).__name__}: {error}" if isinstance(error, BaseException) else (error or "")
    _logger(SECURITY_LOGGER).error("rate-limit storage unreachable, %s: %s", what, detail)


class _LimiterErrors(logging.Handler):
    """Flask-Limiter swallows storage errors (RATELIMIT_SWALLOW_ERRORS: ordinary limits fail open) and reports them
    on its own logger; this repeats each as one line in participation.security."""

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno < logging.ERROR:
            return
        error = record.exc_info[1] if record.exc_info else None
        log_limit_storage_down(f"limits not applied (fail open): {record.getMessage()}", error)


def log_permission_refused() -> None:
    _logger(SECURITY_LOGGER).warning("permission refused: user=%s endpoint=%s path=%s", _user_id(), request.endpoint, request.path)


def log_human_check_refused(reason: str) -> None:
    _logger(SECURITY_LOGGER).info("form refused (%s): user=%s endpoint=%s from %s", reason, _user_id(), request.endpoint, request.remote_addr)


def log_rate_limited(description: str | None) -> None:
    _logger(SECURITY_LOGGER).warning("rate limit hit (%s): user=%s endpoint=%s from %s", description, _user_id(), request.endpoint,
                         request.remote_addr)


def log_moderation_action(action: str, target_type: str, target_id, actor=None, **details) -> None:
    """Log one moderation action: who (the current user unless given), what, on which object, and details.

    ``log_moderation_action("hide", "comment", 42, reason="spam")``
    """
    actor_id = actor.id if actor is not None else _user_id()
    extra = " ".join(f"{key}={value!r}" for key, value in sorted(details.items()))
    _logger(MODERATION_LOGGER).info("moderation: %s %s=%s by user=%s%s", action, target_type, target_id, actor_id,
                        f" {extra}" if extra else "")


# --- rate limits ----------------------------------------------------------------------------------------------


def user_or_address() -> str:
    """Rate-limit key: the account when logged in (many people share a school's or library's address),
    otherwise the client address."""
    if getattr(current_user, "is_authenticated", False):
        return f"user:{current_user.id}"
    return request.remote_addr or "unknown"


def configured_limit(key: str) -> Callable[[], str]:
    """A limit read from app.config when the request comes, so tests and deployments can change it."""
    return lambda: current_app.config[key]


def search_limit() -> str:
    """The limit on searches (a GET carrying ?q=), per client address: each search is a query over the text."""
    return current_app.config.get("RATELIMIT_SEARCH", "60 per minute")


def not_searching() -> bool:
    """Exempts a list read without a search from the search limit: reading pages is never limited."""
    return not request.args.get("q", "").strip()


def search_rate_limit(view):
    """Decorate a public list's view whose ?q= searches text (issue 14, item 1): one limit shared by every search."""
    from participation.extensions import limiter

    return limiter.shared_limit(search_limit, scope="search", key_func=lambda: request.remote_addr or "unknown",
                                exempt_when=not_searching)(view)
