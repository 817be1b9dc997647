"""Operations: /healthz and /readyz for the load balancer, Prometheus metrics for the operators only, and a request id
in every response and log line (JSON lines in production)."""
import json
import logging

import pytest

from participation import create_app
from participation.ops.logs import JsonFormatter, RequestIdFilter


def test_healthz_answers_without_asking_the_database(client, count_queries):
    with count_queries() as queries:
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}
    assert queries.count == 0


def test_readyz_is_ready_when_the_database_is_migrated(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "ready"


def test_readyz_is_not_ready_without_the_latest_migration(tmp_path):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'old.sqlite'}")
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(revision="0010")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert "migrations" in response.json["problems"][0]


def test_readyz_is_not_ready_when_redis_does_not_answer(tmp_path):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'db.sqlite'}",
                     RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")  # nothing listens on port 1
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert any(problem.startswith("redis") for problem in response.json["problems"])


def test_metrics_exist_only_with_a_token_and_only_for_its_holder(app, client, make_case, fixed_now):
    from datetime import datetime

    app.config["METRICS_TOKEN"] = ""
    assert client.get("/metrics").status_code == 404
    app.config["METRICS_TOKEN"] = "scraper-secret"
    try:
        assert client.get("/metrics").status_code == 401
        assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
        fixed_now(datetime(2026, 11, 2, 10))
        case = make_case(received_at=datetime(2026, 10, 1, 10))  # long past its 10 working days
        client.get("/institutions/")
        response = client.get("/metrics", headers={"Authorization": "Bearer scraper-secret"})
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert 'lidzdaliba_requests_total{endpoint="institutions.index",method="GET",status="200"}' in body
        assert "lidzdaliba_request_seconds_bucket" in body
        assert "lidzdaliba_db_pool_checked_out" in body and "lidzdaliba_outbox_queued" in body
        assert f'lidzdaliba_cases_overdue{{institution="{case.institution.slug}"}} 1.0' in body
    finally:
        app.config["METRICS_TOKEN"] = ""


def test_every_response_carries_a_request_id(client):
    made = client.get("/healthz").headers["X-Request-ID"]
    assert len(made) == 32
    assert client.get("/healthz", headers={"X-Request-ID": "lb-1234abcd"}).headers["X-Request-ID"] == "lb-1234abcd"
    for offered in ("<script>alert(1)</script>", "a" * 65, "short"):
        answered = client.get("/healthz", headers={"X-Request-ID": offered}).headers["X-Request-ID"]
        assert answered != offered and len(answered) == 32


def test_json_log_lines_carry_the_request_id(sqlite_app):
    formatter, request_filter = JsonFormatter(), RequestIdFilter()
    with sqlite_app.test_request_context("/"):
        from flask import g

        g.request_id = "abcdef123456"
        record = logging.LogRecord("participation.security", logging.WARNING, __file__, 1, "log-in failed: %s", ("x",), None)
        request_filter.filter(record)
        line = json.loads(formatter.format(record))
    assert line["request_id"] == "abcdef123456"
    assert line["level"] == "warning" and line["message"] == "log-in failed: x" and line["time"].endswith("Z")


@pytest.mark.parametrize("name, expected", [("production", "json"), ("development", "text")])
def test_production_logs_json_by_default(monkeypatch, name, expected):
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    import importlib

    import config

    importlib.reload(config)
    try:
        assert config.CONFIGS[name].LOG_FORMAT == expected
    finally:
        importlib.reload(config)
