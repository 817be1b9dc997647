"""The deployment description stays in step with the code: compose.yaml names every process and every variable the
README and docs/deploy.md document, the Containerfile runs as a non-root user with a pinned Python, and `make run` /
`make run-production` start the web server and the job consumer side by side, both stopped by one Ctrl-C."""
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
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


# --- `make run` and `make run-production`: the web server and the job consumer side by side, both stop on Ctrl-C ---


def _processes_command(target: str, **variables) -> str:
    """The command of a make target that starts the web server and the consumer, as `make -n` prints it."""
    printed = subprocess.run(["make", "-n", target, *(f"{k}={v}" for k, v in variables.items())], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
    lines = printed.splitlines()
    first = next(n for n, line in enumerate(lines) if "flask worker &" in line)
    return "\n".join(lines[first:])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _processes_in_group(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("target", ["run", "run-production"])
def test_make_runs_the_web_server_and_the_job_consumer_and_ctrl_c_stops_both(target, tmp_path):
    from tests.conftest import _fresh_postgres_database, need_postgres

    port = _free_port()
    env = dict(os.environ, FLASK_APP="wsgi", BIND=f"127.0.0.1:{port}", WORKERS="1", LOG_FORMAT="text",
               JOBS_QUEUE=f"sqlite:///{tmp_path / 'jobs.sqlite3'}", JOBS_QUEUE_NAME=f"deploy-test-{os.getpid()}")
    drop = None
    if target == "run":
        env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'app.sqlite'}")
        command = _processes_command("run", PORT=port)
    else:
        need_postgres()
        url, drop = _fresh_postgres_database()
        env.update(DATABASE_URL=url, SECRET_KEY="deploy-test-secret", PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
                   REDIS_URL="redis://127.0.0.1:6379/7", JOBS_QUEUE="")
        command = _processes_command("run-production")
    assert "flask worker &" in command and ("flask run" in command or "gunicorn" in command)
    try:
        subprocess.run([sys.executable, "-m", "flask", "db", "upgrade"], cwd=ROOT, check=True, capture_output=True,
                       env=dict(env, FLASK_CONFIG="development"))
        log = open(tmp_path / "make.log", "wb")
        shell = subprocess.Popen(["sh", "-c", command], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                 start_new_session=True)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.3)
            else:
                pytest.fail("the web server did not answer:\n" + (tmp_path / "make.log").read_text())
            while time.monotonic() < deadline and "Job consumer started" not in (tmp_path / "make.log").read_text():
                time.sleep(0.3)
            assert "Job consumer started" in (tmp_path / "make.log").read_text()
            time.sleep(1)  # the consumer has set its signal handlers
            os.killpg(shell.pid, signal.SIGINT)  # Ctrl-C in the terminal: the whole foreground group
            shell.wait(timeout=40)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and _processes_in_group(shell.pid):
                time.sleep(0.3)
            assert not _processes_in_group(shell.pid), "a process outlived Ctrl-C:\n" + (tmp_path / "make.log").read_text()
        finally:
            if _processes_in_group(shell.pid):
                os.killpg(shell.pid, signal.SIGKILL)
            log.close()
    finally:
        if drop:
            drop()
