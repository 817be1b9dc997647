"""Bad input gets a clear answer, never a 500 — on SQLite and on PostgreSQL."""
from datetime import datetime

import pytest

from participation import create_app


@pytest.mark.parametrize("url", ["/institutions/%00", "/groups/a%00", "/institutions/?page=%00", "/language/en?next=/%00"])
def test_nul_bytes_in_the_address_are_refused(client, url):
    assert client.get(url).status_code == 400


def test_nul_bytes_in_forms_are_refused_and_nothing_is_saved(client, login, make_case, make_staff):
    case = make_case()
    login(make_staff(case.institution))
    assert client.post(f"/cases/{case.id}/not-examined", data={"reason": "a\x00b"}).status_code == 400
    assert client.post("/account/login", data={"email": "a\x00@example.lv", "password": "x"}).status_code == 400
    assert case.is_awaiting


@pytest.mark.parametrize(
    "url",
    ["/cases/2147483648", "/cases/99999999999999999999999", "/responses/2147483648/correct",
     "/institutions/?page=99999999999999999999", "/groups/?page=-5", "/institutions/x/log?page=4611686018427387904"],
)
def test_huge_ids_and_pages_are_not_found_or_clamped(client, url):
    assert client.get(url).status_code in (200, 302, 404)


def test_huge_page_numbers_in_the_inbox(client, login, make_case, make_staff):
    case = make_case()
    login(make_staff(case.institution))
    assert client.get(f"/institutions/{case.institution.slug}/inbox?page=99999999999999999999").status_code == 200


def test_control_characters_in_next_are_ignored(client, make_user):
    response = client.get("/language/en?next=/a%0d%0aX-Injected:1")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    user = make_user()
    response = client.post("/account/login?next=/a%0aB", data={"email": user.email, "password": "correct horse battery"})
    assert response.headers["Location"] == "/"


def test_offline_dates_long_ago_get_a_message(client, login, make_institution, make_staff, fixed_now):
    fixed_now(datetime(2026, 11, 25, 10, 0))
    institution = make_institution()
    login(make_staff(institution))
    for old in ("1999-12-31", "0001-01-01"):
        response = client.post(f"/institutions/{institution.slug}/offline", data={
            "title": "Sena vēstule", "source": "letter", "received_on": old, "body": "Teksts"})
        assert response.status_code == 400 and 'id="received_on-error"' in response.get_data(as_text=True)


def test_a_database_error_while_logged_in_shows_the_friendly_500_page(app, client, login, make_user):
    """After a failed query the 500 page must still render the layout (which reads the user)."""
    from participation.extensions import db

    login(make_user())
    app.config["PROPAGATE_EXCEPTIONS"] = False
    original = app.view_functions["main.home"]

    def broken_home():
        db.session.execute(db.text("SELECT * FROM no_such_table"))

    app.view_functions["main.home"] = broken_home
    try:
        response = client.get("/")
    finally:
        app.view_functions["main.home"] = original
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "<h1 class=\"govuk-heading-l\">" in page and "<main" in page


def test_services_work_outside_a_request(app, session, make_case, make_staff):
    """A refused action from a CLI command or a job still gets its (Latvian) message, not a crash."""
    from participation.cases import services
    from participation.cases.models import Position

    case = make_case()
    responder = make_staff(case.institution)
    services.answer_case(case, responder, Position.ACCEPTED, "Jā")
    with pytest.raises(services.CaseActionRefused, match="."):
        services.answer_case(case, responder, Position.ACCEPTED, "Vēlreiz")


def test_reserved_words_are_not_slugs(client, login, make_user):
    login(make_user())
    response = client.post("/groups/new", data={"name": "New", "kind": "ngo"})
    assert response.status_code == 302 and response.headers["Location"] != "/groups/new"
    assert client.get(response.headers["Location"]).status_code == 200


def test_production_refuses_the_default_public_address():
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        create_app("production", SECRET_KEY="a-real-secret", SQLALCHEMY_DATABASE_URI="sqlite://")


def test_proxy_fix_gives_rate_limits_the_client_address():
    app = create_app("testing", PROXY_FIX_X_FOR=1, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    client = app.test_client()
    codes = [client.post("/account/reset", data={"email": "x"}, headers={"X-Forwarded-For": f"10.0.0.{i}"}).status_code
             for i in range(8)]
    assert 429 not in codes  # eight different people behind one proxy are not one person
