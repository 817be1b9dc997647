"""A real job consumer in a browser journey (issue 18): a person registers in English; `flask worker`, a separate
process on the live server's database and job queue, delivers the confirmation to a real SMTP server; the e-mail is
multipart, in English, and its link (from the HTML part) confirms the address in the browser."""
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.smtp_server import SMTPServer

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def consumer(live_app, tmp_path):
    """The job consumer on the live app's database and queue, sending to an SMTP server of its own; stopped by SIGINT."""
    with SMTPServer() as smtp:
        env = dict(os.environ, FLASK_APP="wsgi", FLASK_CONFIG="development",
                   DATABASE_URL=live_app.config["SQLALCHEMY_DATABASE_URI"], JOBS_QUEUE=live_app.config["JOBS_QUEUE"],
                   MAIL_SERVER="127.0.0.1", MAIL_PORT=str(smtp.port), MAIL_USE_TLS="0", MAIL_USERNAME="")
        env.pop("REDIS_URL", None)
        log = tmp_path / "consumer.log"
        with open(log, "wb") as out:
            process = subprocess.Popen([sys.executable, "-m", "flask", "worker"], cwd=ROOT, env=env, stdout=out,
                                       stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "Job consumer started" not in log.read_text() and process.poll() is None:
            time.sleep(0.2)
        time.sleep(1)  # past its start: the consumer has set its signal handlers (SIGINT = finish and stop)
        try:
            yield smtp, log
        finally:
            process.send_signal(signal.SIGINT)
            try:
                assert process.wait(timeout=30) == 0, log.read_text()
            except subprocess.TimeoutExpired:
                process.kill()
                raise


def _delivered_to(smtp, address, log, timeout=40):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [email for email in smtp.received if email["To"] == address]
        if found:
            return found
        time.sleep(0.2)
    pytest.fail(f"no e-mail reached {address}; the consumer said:\n{log.read_text()}")


def test_the_consumer_delivers_the_confirmation_in_the_persons_language(page, tr, consumer):
    smtp, log = consumer
    en = "en"
    email = f"emma.{secrets.token_hex(4)}@example.lv"
    password = "winter autumn spring"

    page.goto("/language/en?next=/account/register")
    page.get_by_label(tr(en, "Name shown with what you write"), exact=True).fill("Emma Test")
    page.get_by_label(tr(en, "E-mail address"), exact=True).fill(email)
    page.get_by_label(tr(en, "Password"), exact=True).fill(password)
    page.get_by_label(tr(en, "Repeat the password"), exact=True).fill(password)
    page.locator("main").get_by_label(tr(en, "Language"), exact=True).select_option(en)
    consent = page.locator("main input[type=checkbox]")
    for n in range(consent.count()):
        consent.nth(n).check()
    page.get_by_role("button", name=tr(en, "Create the account")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(en, "Check your e-mail"))

    [message] = _delivered_to(smtp, email, log)
    assert message["Subject"] == tr(en, "Confirm your e-mail address")
    assert message["Content-Language"] == en
    assert message["List-Unsubscribe"] is None  # asked for, not a notification
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert '<html lang="en">' in html and tr(en, "This e-mail was sent by Līdzdalība:") in plain
    [link] = {href for href in re.findall(r'<a href="([^"]+/account/verify/[^"]+)"', html)}
    assert link in plain  # both parts carry the same link

    page.goto(link.replace("&amp;", "&"))
    expect(page.locator("main .govuk-notification-banner .govuk-notification-banner__heading")).to_have_text(
        tr(en, "Thank you, your e-mail address is confirmed."))
    time.sleep(1)
    assert len([e for e in smtp.received if e["To"] == email]) == 1  # delivered once
