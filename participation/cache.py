"""Caches.

`cached` keeps numbers that are expensive to count at national scale and may be a few seconds old: the totals of
filtered lists ("N proposals found" for one territory; the unfiltered lists' totals are counters kept with the rows,
participation/counters.py) and an institution's figures. Entries live `COUNT_CACHE_SECONDS` (default 30; 0 turns it
off, as in the test configuration) and are keyed by the database and the list's filters. With `REDIS_URL` they live in
Redis, shared by every worker and server (one count per period for all of them, issue 17); without it, or while Redis
does not answer, in the process.

`remembered` keeps HTML that is a pure function of its key: the layout's navigation for someone signed out and its
footer, per language; `fragment`, the lists' filter forms, under keys holding every value they show. (List rows were
kept the same way until the long-tail benchmark of issue 17 showed the lookups cost more than they saved when traffic
is spread over the whole data.)
"""
import hashlib
import logging
import pickle
import time

from flask import current_app
from markupsafe import Markup
from sqlalchemy.orm import lazyload

from participation.extensions import db
from participation.pages import count_rows

_entries: dict[tuple, tuple[float, object]] = {}
MAX_ENTRIES = 2000


def _seconds() -> float:
    return current_app.config["COUNT_CACHE_SECONDS"]


def _redis():
    """The shared store (REDIS_URL), or None: short timeouts, so a Redis that does not answer costs a page little."""
    url = current_app.config.get("REDIS_URL") or ""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None  # none, or a limiter-only store such as memory://: each process keeps its own
    client = current_app.extensions.get("lidzdaliba.cache_redis")
    if client is None:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=0.25, socket_timeout=0.25)
        current_app.extensions["lidzdaliba.cache_redis"] = client
    return client


def _shared(key: tuple, compute, seconds: float):
    """`cached` through Redis; raises the client's error when Redis does not answer."""
    client = _redis()
    name = "lidzdaliba:cached:" + hashlib.sha256(repr(key).encode()).hexdigest()
    stored = client.get(name)
    if stored is not None:
        return pickle.loads(stored)  # noqa: S301 (our own Redis, our own values)
    value = compute()
    client.set(name, pickle.dumps(value), ex=max(1, int(seconds)))
    return value


def cached(key: tuple, compute):
    """`compute()`, or its value from the last `COUNT_CACHE_SECONDS` for the same key (in Redis when configured)."""
    seconds = _seconds()
    if not seconds:
        return compute()
    key = (str(db.engine.url), *key)
    if _redis() is not None:
        import redis

        try:
            return _shared(key, compute, seconds)
        except redis.RedisError as error:  # fall back to this process's cache
            logging.getLogger("participation.cache").warning("shared cache unavailable: %s", error)
    now = time.monotonic()
    hit = _entries.get(key)
    if hit is not None and now - hit[0] < seconds:
        return hit[1]
    value = compute()
    if len(_entries) >= MAX_ENTRIES:
        _entries.clear()
    _entries[key] = (now, value)
    return value


MAX_FRAGMENTS = 500


def _kept(store_name: str, limit: int, key: tuple, render, *args) -> Markup:
    store = current_app.extensions.setdefault(store_name, {})
    html = store.get(key)
    if html is None:
        if len(store) >= limit:
            store.clear()
        html = store[key] = Markup(render(*args))
    return html


def fragment(template: str, chosen: tuple, institutions, render) -> Markup:
    """A list's filter form (`render()` renders `template`), kept under a key holding every value it shows: the
    language, the address prefix its links start with, the valid `chosen` values and a fingerprint of the
    `institutions` (id, name) it offers. Rendered once per worker and kept, at most MAX_FRAGMENTS of them, apart from
    the layout's (`remembered`), so that many choices never push out the navigation. (It lived in Redis for
    COUNT_CACHE_SECONDS; the round trip cost more than rendering it once per worker, and a key that holds every value
    the HTML shows needs no period to be right.)"""
    from flask import request
    from flask_babel import get_locale

    fingerprint = hashlib.sha256(repr([tuple(pair) for pair in institutions]).encode()).hexdigest()
    key = (template, str(get_locale()), request.script_root, chosen, fingerprint)
    return _kept("lidzdaliba.fragments", MAX_FRAGMENTS, key, render)


def remembered(key: tuple, render, *args) -> Markup:
    """`render(*args)` (a Jinja macro) for HTML that depends on nothing but `key` (the navigation of someone signed out
    and the footer, in one language): rendered once per worker and kept (at most MAX_ENTRIES keys)."""
    return _kept("lidzdaliba.remembered", MAX_ENTRIES, key, render, *args)


def filter_form_html(template: str, form, choices_made: dict, institutions=()) -> Markup:
    """A list's filter form (`template` renders `filters`): the same for everyone in one language with the same
    choices made (`choices_made`: the valid values chosen) and the same `institutions` to choose from (the (id, name)
    pairs its institution select offers), so it is kept (`fragment`) when nothing was typed into a search box (`q`, if
    the form has one); otherwise rendered afresh."""
    from flask import render_template

    def render():
        return render_template(template, filters=form)

    if "q" in form and form.q.data:  # anything typed, spaces too, is the reader's own
        return Markup(render())
    return fragment(template, tuple(sorted(choices_made.items())), institutions, render)


def paginate(query, page: int, per_page: int, key: tuple):
    """`db.paginate` whose total is counted through `cached` (the page's rows are always read fresh)."""
    if not _seconds():
        return db.paginate(query, page=page, per_page=per_page, error_out=False)
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False, count=False)
    pagination.total = cached(("total", *key), lambda: count_rows(query.options(lazyload("*"))))
    return pagination
