"""Register, verify through the outbox, log in and out, reset the password, the profile."""
import re

from sqlalchemy import select

from participation.accounts.models import User
from participation.extensions import db
from participation.outbox.models import OutboxMessage

GOOD = {"display_name": "Anna Bērziņa", "email": "Anna@Example.lv", "password": "garš-labs-teikums", "confirm": "garš-labs-teikums", "locale": "lv", "agree": "y"}


def last_mail(to):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == to).order_by(OutboxMessage.id.desc())).first()


def link_in(body):
    return re.search(r"https?://[^/\s]+(/\S+)", body).group(1)


def test_register_verify_and_log_in(client):
    response = client.post("/account/register", data=GOOD)
    assert response.status_code == 200  # "check your e-mail", the same page whether or not the address is registered
    assert client.get("/account/profile").status_code == 302  # not logged in before the address is confirmed
    user = db.session.scalars(select(User).where(User.email == "anna@example.lv")).one()
    assert not user.is_verified
    assert user.password_hash.startswith("scrypt:") and "garš" not in user.password_hash
    mail = last_mail("anna@example.lv")
    assert mail is not None and mail.sent_at is None
    assert client.get(link_in(mail.body)).status_code == 302
    assert user.is_verified
    assert client.post("/account/login", data={"email": "ANNA@example.lv", "password": "garš-labs-teikums"}).status_code == 302
    assert "Anna Bērziņa" in client.get("/account/profile").get_data(as_text=True)


def test_register_errors_show_summary_field_messages_and_keep_input(client):
    response = client.post("/account/register", data={**GOOD, "password": "īss", "confirm": "cits"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'class="govuk-error-summary"' in page
    assert 'href="#password"' in page and 'id="password-error"' in page and 'id="confirm-error"' in page
    assert 'value="Anna Bērziņa"' in page and 'value="Anna@Example.lv"' in page
    assert 'aria-describedby="password-hint password-error"' in page and 'govuk-input--error' in page
    assert "īss" not in page  # a password is never sent back to the browser
    assert "<title>Kļūda: " in page  # the title says so first, for screen readers and the tab
    assert db.session.scalars(select(User)).first() is None


def test_passwords_shorter_than_12_characters_are_refused(client):
    response = client.post("/account/register", data={**GOOD, "password": "a" * 11, "confirm": "a" * 11})
    assert response.status_code == 400
    response = client.post("/account/register", data={**GOOD, "password": "a" * 12, "confirm": "a" * 12})
    assert response.status_code == 200 and db.session.scalars(select(User)).one().email == "anna@example.lv"


def test_duplicate_email_makes_no_second_account_and_says_nothing_about_it(client, make_user):
    make_user(email="anna@example.lv")
    response = client.post("/account/register", data=GOOD)
    assert response.status_code == 200  # the page a new address gets (tests/test_registration_privacy.py)
    assert 'id="email-error"' not in response.get_data(as_text=True)
    assert len(db.session.scalars(select(User).where(User.email == "anna@example.lv")).all()) == 1


def test_wrong_password_is_refused(client, make_user):
    user = make_user()
    response = client.post("/account/login", data={"email": user.email, "password": "nepareiza parole"})
    assert response.status_code == 400
    assert "error-summary" in response.get_data(as_text=True)


def test_a_tampered_verification_link_does_not_work(client):
    assert client.get("/account/verify/not-a-token").status_code == 400


def test_password_reset_says_the_same_whether_or_not_the_address_exists(client, make_user):
    user = make_user(email="esosa@example.lv")
    known = client.post("/account/reset", data={"email": "esosa@example.lv"})
    unknown = client.post("/account/reset", data={"email": "nav@example.lv"})
    assert known.status_code == unknown.status_code == 200
    strip = lambda r: r.get_data(as_text=True).replace("esosa@example.lv", "X").replace("nav@example.lv", "X")  # noqa: E731
    assert strip(known) == strip(unknown)
    assert last_mail("nav@example.lv") is None
    link = link_in(last_mail(user.email).body)
    assert client.post(link, data={"password": "jauna-gara-parole", "confirm": "jauna-gara-parole"}).status_code == 302
    assert user.check_password("jauna-gara-parole")
    client.post("/account/logout")
    assert client.get(link).status_code == 400  # a used link stops working


def test_log_in_starts_a_new_session_and_cookies_are_protected(client, make_user):
    user = make_user()
    client.get("/language/en")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    response = client.post("/account/login", data={"email": user.email, "password": "correct horse battery"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["lang"] == "en"  # the chosen language survives


def test_logout_is_a_post_and_ends_the_session(client, login, make_user):
    login(make_user())
    assert client.get("/account/logout").status_code == 405
    client.post("/account/logout")
    assert client.get("/account/profile").status_code == 302


def test_profile_language_is_used(client, login, make_user):
    user = login(make_user())
    response = client.post("/account/profile", data={"display_name": "Jauns Vārds", "locale": "en"})
    assert response.status_code == 302
    assert user.display_name == "Jauns Vārds" and user.locale == "en"
    assert '<html lang="en" class="govuk-template">' in client.get("/").get_data(as_text=True)


def test_unsafe_next_is_ignored(client, make_user):
    user = make_user()
    response = client.post("/account/login?next=https://evil.example/", data={"email": user.email, "password": "correct horse battery"})
    assert response.headers["Location"] == "/"
    assert client.get("/language/en?next=//evil.example").headers["Location"] == "/"


def test_a_password_reset_ends_every_other_session(app, client, make_user):
    from participation.accounts.services import password_reset_token

    user = make_user()
    other_device = app.test_client()
    assert other_device.post("/account/login", data={"email": user.email, "password": "correct horse battery"}).status_code == 302
    assert other_device.get("/account/profile").status_code == 200
    token = password_reset_token(user)
    assert client.post(f"/account/reset/{token}", data={"password": "pavisam-jauna-parole", "confirm": "pavisam-jauna-parole"}).status_code == 302
    assert other_device.get("/account/profile").status_code == 302  # logged out
    assert client.get("/account/profile").status_code == 200  # the device that reset stays in
