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
