"""Configuration: production refuses the default secret and protects the cookie."""
import pytest

from config import DEFAULT_SECRET_KEY
from participation import create_app


def test_production_refuses_the_default_secret(monkeypatch):
    monkeypatch.setattr("config.ProductionConfig.SECRET_KEY", DEFAULT_SECRET_KEY)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", SECRET_KEY="")


def test_production_starts_with_a_real_secret_and_secure_cookies():
    app = create_app("production", SECRET_KEY="a-long-random-secret-from-the-environment", SQLALCHEMY_DATABASE_URI="sqlite://",
                     PUBLIC_BASE_URL="https://lidzdaliba.example.lv")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["PASSWORD_HASH_METHOD"].startswith("scrypt:32768")


def test_database_url_from_the_environment_uses_psycopg3(monkeypatch):
    from config import _database_url

    monkeypatch.setenv("DATABASE_URL", "postgres://u@db/x")
    assert _database_url("sqlite://") == "postgresql+psycopg://u@db/x"
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db/x")
    assert _database_url("sqlite://") == "postgresql+psycopg://u@db/x"


def test_without_a_named_configuration_the_app_is_production_and_refuses_the_default_secret(monkeypatch):
    """`gunicorn wsgi:app` with nothing set must not start with a published key (it would make sessions forgeable)."""
    for name in ("FLASK_CONFIG", "LIDZDALIBA_CONFIG", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("config.ProductionConfig.SECRET_KEY", DEFAULT_SECRET_KEY)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()
    app = create_app(SECRET_KEY="a-long-random-secret-from-the-environment", SQLALCHEMY_DATABASE_URI="sqlite://",
                     PUBLIC_BASE_URL="https://lidzdaliba.example.lv")
    assert app.config["DEBUG"] is False and app.config["SESSION_COOKIE_SECURE"] is True


def test_development_is_only_what_is_asked_for(monkeypatch):
    monkeypatch.setenv("FLASK_CONFIG", "development")
    assert create_app(SQLALCHEMY_DATABASE_URI="sqlite://").config["DEBUG"] is True


def test_signed_in_pages_and_form_pages_are_not_kept_by_the_browser(client, login, make_user):
    assert "no-store" not in client.get("/consultations/").headers.get("Cache-Control", "")  # a public list
    assert client.get("/account/login").headers["Cache-Control"] == "no-store"  # a form: what is typed, a token
    login(make_user())
    for url in ("/", "/consultations/", "/account/profile"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url
