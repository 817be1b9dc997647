"""URL helpers shared by the blueprints."""
from urllib.parse import urlsplit


MAX_PAGE = 10_000


def page_number(name: str = "page") -> int:
    """The ?page= of a list (or another name, for a second list on one page), clamped to a sane range
    (never a 500 for page=abc or page=10**30)."""
    from flask import request

    page = request.args.get(name, 1, type=int)
    return max(1, min(page, MAX_PAGE))


def safe_next(target: str | None) -> str | None:
    """Only a local path may be a redirect target (no open redirects, no header injection)."""
    if not target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


def absolute_url(endpoint: str, **values) -> str:
    """A full link for e-mail, feeds and calendars, also from CLI commands where no request is active. It is built from
    PUBLIC_BASE_URL only, never from the request's Host header or scheme (which a client or a proxy may set)."""
    from flask import current_app, has_request_context, url_for

    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    with current_app.test_request_context("/"):
        return base + url_for(endpoint, **values)


def public_host() -> str:
    """The host (and port, if any) of PUBLIC_BASE_URL, e.g. for an iCalendar UID; never the request's Host header."""
    from flask import current_app

    return urlsplit(current_app.config["PUBLIC_BASE_URL"]).netloc
