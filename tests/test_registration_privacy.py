"""Issue 14, item 11: registration does not tell whether an e-mail address has an account — the same page for a
registered and a new address, the owner of a registered one gets an e-mail instead, no second account, and both
paths hash the password (the same work, so the same speed)."""
import re

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from participation.accounts import throttle
from participation.accounts.models import User
from participation.extensions import db
from participation.outbox.models import OutboxMessage


@pytest.fixture(autouse=True)
def _fresh_notice_counters(app):
    with app.app_context():
        throttle._storage().reset()


def _data(email, name="Jānis Jaunais", password="vēl viena gara parole"):
    return {"display_name": name, "email": email, "password": password, "confirm": password, "locale": "lv", "agree": "y"}


def _mails(to):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == to).order_by(OutboxMessage.id)).all()


def _accounts(email):
    return db.session.scalar(select(func.count(User.id)).where(func.lower(User.email) == email))


def _page(response, email):
    text = response.get_data(as_text=True).replace(email, "ADDRESS")
    return re.sub(r'name="csrf_token"[^>]*value="[^"]*"|value="[^"]*"\s+name="csrf_token"', "CSRF", text)


def test_a_registered_and_a_new_address_get_the_same_answer(client, make_user):
    owner = make_user(email="ieva.esosa@example.lv", name="Ieva Esošā")
    known = client.post("/account/register", data=_data("Ieva.Esosa@example.lv"))
    unknown = client.post("/account/register", data=_data("ivars.jauns@example.lv"))
    assert known.status_code == unknown.status_code == 200
    assert _page(known, "ieva.esosa@example.lv") == _page(unknown, "ivars.jauns@example.lv")
    assert known.headers.get("Set-Cookie") == unknown.headers.get("Set-Cookie")  # neither logs anyone in
    assert client.get("/account/profile").status_code == 302
    # No second account for the registered address, nothing changed on it; a new account for the new one.
    assert _accounts("ieva.esosa@example.lv") == 1 and _accounts("ivars.jauns@example.lv") == 1
    assert owner.display_name == "Ieva Esošā" and owner.check_password("correct horse battery")


def test_the_owner_of_a_registered_address_is_told_with_a_reset_link(app, client, make_user):
    owner = make_user(email="ieva.esosa@example.lv", name="Ieva Esošā")
    client.post("/account/register", data=_data("ieva.esosa@example.lv"))
    mails = _mails(owner.email)
    assert len(mails) == 1
    mail = mails[0]
    with app.test_request_context("/"), force_locale("lv"):
        assert mail.subject == gettext("Someone tried to register with your e-mail address")
    link = re.search(r"https?://[^/\s]+(/account/reset/\S+)", mail.body).group(1)
    response = client.post(link, data={"password": "pavisam jauna parole", "confirm": "pavisam jauna parole"})
    assert response.status_code == 302 and owner.check_password("pavisam jauna parole")


def test_a_new_address_gets_a_confirmation_link_and_logs_in_after(client):
    client.post("/account/register", data=_data("ivars.jauns@example.lv", password="ivara gara parole"))
    (mail,) = _mails("ivars.jauns@example.lv")
    link = re.search(r"https?://[^/\s]+(/account/verify/\S+)", mail.body).group(1)
    response = client.get(link)
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/login")
    user = db.session.scalars(select(User).where(User.email == "ivars.jauns@example.lv")).one()
    assert user.is_verified
    assert client.post("/account/login", data={"email": user.email, "password": "ivara gara parole"}).status_code == 302


def test_both_paths_hash_the_password(client, make_user, monkeypatch):
    """The same work for a registered address as for a new one, so the answer comes as fast."""
    import werkzeug.security

    from participation.accounts import models, services

    calls = []
    original = werkzeug.security.generate_password_hash

    def counting(password, *args, **kwargs):
        calls.append(password)
        return original(password, *args, **kwargs)

    monkeypatch.setattr(models, "generate_password_hash", counting)
    monkeypatch.setattr(services, "generate_password_hash", counting)
    make_user(email="ieva.esosa@example.lv")
    calls.clear()
    client.post("/account/register", data=_data("ieva.esosa@example.lv", password="zinama adrese parole"))
    assert calls == ["zinama adrese parole"]
    calls.clear()
    client.post("/account/register", data=_data("ivars.jauns@example.lv", password="jauna adrese parole"))
    assert calls == ["jauna adrese parole"]


def test_the_owner_is_told_once_an_hour_at_most(client, make_user):
    """Registering again and again with someone's address cannot flood their inbox."""
    owner = make_user(email="ieva.esosa@example.lv")
    for _ in range(3):
        assert client.post("/account/register", data=_data("ieva.esosa@example.lv")).status_code == 200
    assert len(_mails(owner.email)) == 1
