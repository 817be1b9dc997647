"""The per-worker cache of list totals, figures and filter forms: what it keeps, and what it never mixes up."""
import pytest

from participation import cache


@pytest.fixture
def caching(app):
    app.config["COUNT_CACHE_SECONDS"] = 30
    cache._entries.clear()
    yield
    app.config["COUNT_CACHE_SECONDS"] = 0
    cache._entries.clear()


def test_a_filter_form_is_cached_per_language_and_choice_but_never_mixed_up(client, caching, make_proposal):
    make_proposal(title="Soliņi pie bibliotēkas")
    newest = client.get("/proposals/").get_data(as_text=True)
    supported = client.get("/proposals/?sort=supported").get_data(as_text=True)
    assert '<option value="supported" selected>' in supported and '<option value="supported" selected>' not in newest
    assert client.get("/proposals/?sort=supported").get_data(as_text=True).count('selected') == supported.count('selected')
    client.get("/language/en")
    english = client.get("/proposals/?sort=supported").get_data(as_text=True)
    assert "Search" in english or "search" in english
    assert english != supported


def test_the_inbox_filter_form_is_cached_per_choice(client, caching, login, make_case, make_staff):
    case = make_case()
    login(make_staff(case.institution))
    inbox = f"/institutions/{case.institution.slug}/inbox"
    everything = client.get(inbox).get_data(as_text=True)
    proposals = client.get(inbox + "?channel=proposal").get_data(as_text=True)
    assert '<option value="proposal" selected>' in proposals and '<option value="proposal" selected>' not in everything
    assert client.get(inbox).get_data(as_text=True).count("selected") == everything.count("selected")
    assert client.get(inbox + "?channel=nonsense").status_code == 200


def test_what_was_typed_is_never_served_from_the_cache(client, caching, make_consultation):
    make_consultation(with_comment=False)
    first = client.get("/consultations/?q=pirmais").get_data(as_text=True)
    second = client.get("/consultations/?q=otrais").get_data(as_text=True)
    assert 'value="pirmais"' in first and 'value="otrais"' in second and "pirmais" not in second


def test_a_new_institution_appears_in_the_filters_once_the_period_ends(client, caching, make_institution):
    client.get("/consultations/")
    make_institution(name="Jaunā iestāde")
    assert "Jaunā iestāde" not in client.get("/consultations/").get_data(as_text=True)  # at most 30 s old
    cache._entries.clear()  # the period has ended
    assert "Jaunā iestāde" in client.get("/consultations/").get_data(as_text=True)


def test_with_redis_a_count_is_shared_by_every_worker_and_outlives_none_of_its_period(app, session):
    """Issue 17: with REDIS_URL the cached counts live in Redis (one count per period for every worker and server);
    a Redis that does not answer falls back to counting here."""
    import uuid

    calls = []

    def count():
        calls.append(1)
        return {"total": 42}

    key = ("test-shared", uuid.uuid4().hex)
    app.config.update(COUNT_CACHE_SECONDS=30, REDIS_URL="redis://127.0.0.1:6379/15")
    try:
        with app.app_context():
            app.extensions.pop("lidzdaliba.cache_redis", None)
            assert cache.cached(key, count) == {"total": 42} and len(calls) == 1
            cache._entries.clear()
            app.extensions.pop("lidzdaliba.cache_redis", None)  # another worker: its own connection, nothing local
            assert cache.cached(key, count) == {"total": 42} and len(calls) == 1  # read from Redis, not counted again
            app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
            app.extensions.pop("lidzdaliba.cache_redis", None)
            assert cache.cached(("test-down", uuid.uuid4().hex), count) == {"total": 42} and len(calls) == 2
    finally:
        app.config.update(COUNT_CACHE_SECONDS=0, REDIS_URL="")
        app.extensions.pop("lidzdaliba.cache_redis", None)
        cache._entries.clear()


# --- the filter forms kept by each worker (cache.fragment): a key holding every value the form shows ---------------


def test_a_renamed_institution_is_offered_by_its_new_name_at_once(app, client, make_institution):
    institution = make_institution(name="Vecais nosaukums")
    for path in ("/proposals/", "/consultations/", "/search"):
        assert institution.name in client.get(path).get_data(as_text=True)
    institution.name = "Jaunais nosaukums"
    from participation.extensions import db

    db.session.commit()
    for path in ("/proposals/", "/consultations/", "/search"):
        page = client.get(path).get_data(as_text=True)
        assert "Jaunais nosaukums" in page and "Vecais nosaukums" not in page, path


def test_a_kept_form_follows_the_address_prefix(client):
    prefixed = client.get("/proposals/", base_url="http://localhost/lidzdaliba").get_data(as_text=True)
    plain = client.get("/proposals/").get_data(as_text=True)
    assert 'action="/lidzdaliba/proposals/"' in prefixed
    assert 'action="/proposals/"' in plain and "/lidzdaliba/" not in plain


def test_spaces_typed_into_a_box_are_never_kept_for_the_next_reader(client):
    assert 'value="   "' in client.get("/proposals/?q=%20%20%20").get_data(as_text=True)
    assert 'value="   "' not in client.get("/proposals/").get_data(as_text=True)
    assert 'value="  "' in client.get("/search?date_from=%20%20").get_data(as_text=True)
    assert 'value="  "' not in client.get("/search").get_data(as_text=True)


def test_a_kind_asked_for_twice_is_kept_once(app, client):
    client.get("/search?kind=proposal")
    kept = len(app.extensions["lidzdaliba.fragments"])
    page = client.get("/search?kind=proposal&kind=proposal")
    assert page.status_code == 200 and 'value="proposal" checked' in page.get_data(as_text=True)
    assert len(app.extensions["lidzdaliba.fragments"]) == kept
