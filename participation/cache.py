"""A short-lived per-process cache for numbers that are expensive to count at national scale and may be a few
seconds old: the totals of long lists ("N proposals found", "page 1 of 5,000") and an institution's figures.

Entries live `COUNT_CACHE_SECONDS` (default 30; 0 turns the cache off, as in the test configuration) and are keyed by
the database and the list's filters, so each gunicorn worker counts a list at most once per period.
"""
import time

from flask import current_app
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import lazyload

from participation.extensions import db

_entries: dict[tuple, tuple[float, object]] = {}
MAX_ENTRIES = 2000


def _seconds() -> float:
    return current_app.config["COUNT_CACHE_SECONDS"]


def cached(key: tuple, compute):
    """`compute()`, or its value from the last `COUNT_CACHE_SECONDS` for the same key."""
    seconds = _seconds()
    if not seconds:
        return compute()
    key = (str(db.engine.url), *key)
    now = time.monotonic()
    hit = _entries.get(key)
    if hit is not None and now - hit[0] < seconds:
        return hit[1]
    value = compute()
    if len(_entries) >= MAX_ENTRIES:
        _entries.clear()
    _entries[key] = (now, value)
    return value


def fragment(key: tuple, render) -> Markup:
    """HTML that is the same for everyone asking with this key (e.g. a list's filter form in one language with
    the same choices made), rendered at most once per `COUNT_CACHE_SECONDS` per worker."""
    return Markup(cached(("fragment", *key), lambda: str(render())))


def filter_form_html(template: str, form, choices_made: dict) -> Markup:
    """A list's filter form (`template` renders `filters`): the same for everyone in one language with the same
    choices made, so it is cached when nothing was typed into the search box; otherwise rendered afresh."""
    from flask import render_template
    from flask_babel import get_locale

    def render():
        return render_template(template, filters=form)

    if (form.q.data or "").strip():
        return Markup(render())
    return fragment((template, str(get_locale()), tuple(sorted(choices_made.items()))), render)


def paginate(query, page: int, per_page: int, key: tuple):
    """`db.paginate` whose total is counted through `cached` (the page's rows are always read fresh)."""
    if not _seconds():
        return db.paginate(query, page=page, per_page=per_page, error_out=False)
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False, count=False)
    counted = query.options(lazyload("*")).order_by(None).subquery()
    pagination.total = cached(("total", *key), lambda: db.session.scalar(select(func.count()).select_from(counted)))
    return pagination
