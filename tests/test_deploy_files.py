"""The deployment description stays in step with the code: compose.yaml names every process and every variable the
README and docs/deploy.md document, and the Containerfile runs as a non-root user with a pinned Python."""
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _documented_variables() -> set[str]:
    names = set()
    for doc in (ROOT / "README.md", ROOT / "docs" / "deploy.md"):
        for row in re.findall(r"^\| (`[A-Z_]+`(?:, `[A-Z_]+`)*) \|", doc.read_text(), re.M):
            names.update(re.findall(r"`([A-Z_]+)`", row))
    return names


def test_compose_names_every_process():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert {"app", "worker", "migrate", "postgres", "redis", "proxy"} <= set(services)
    assert "gunicorn" in services["app"]["command"] and "wsgi:app" in services["app"]["command"]
    assert services["worker"]["command"] == ["flask", "worker"]
    assert services["migrate"]["command"] == ["flask", "db", "upgrade"]


def test_compose_sets_every_documented_variable():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    environment = compose["services"]["app"]["environment"]
    documented = _documented_variables() - {"PROMETHEUS_MULTIPROC_DIR", "LOG_LEVEL"}  # set in the image / optional
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "PUBLIC_BASE_URL"} <= documented
    missing = documented - set(environment)
    assert not missing, f"documented but not set in compose.yaml: {sorted(missing)}"
    assert compose["services"]["worker"]["environment"] == environment


def test_containerfile_is_non_root_with_a_pinned_python():
    text = (ROOT / "Containerfile").read_text()
    assert re.search(r"^FROM \S+python:3\.11\.\d+-slim", text, re.M)
    assert re.search(r"^USER (?!root)\S+", text, re.M)
    assert "gunicorn" in text and "wsgi:app" in text
