"""Website feedback in a real browser, with two origins on this machine: the platform (the live server, 127.0.0.1) and
a static municipality site (demo_site/, served here on localhost and another port). The visitor sends feedback on the
site; the case appears in Rēzekne's inbox; the answer reaches the visitor's e-mail in the outbox; the published answer
appears in the response log. Framing from an unregistered origin is refused by the browser; no cookie is set; axe-core
on the widget (both languages) and on the staff pages."""
import functools
import secrets
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import select

from participation.feedback.models import Feedback, Site

pytestmark = pytest.mark.browser

DEMO_SITE = Path(__file__).resolve().parents[2] / "demo_site"
STAFF = "rezekne.atbildes@example.lv"
MODERATOR = "moderator@example.lv"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


class _DemoSite(SimpleHTTPRequestHandler):
    """demo_site/ with its snippets pointing at the live server and its own address in place of localhost:8001."""

    platform = ""
    own = ""

    def do_GET(self):  # noqa: N802
        path = DEMO_SITE / (self.path.split("?")[0].lstrip("/") or "index.html")
        if not path.is_file() or DEMO_SITE not in path.resolve().parents:
            self.send_error(404)
            return
        body = path.read_bytes()
        if path.suffix == ".html":
            body = body.replace(b"http://127.0.0.1:5000", self.platform.encode()).replace(b"http://localhost:8001", self.registered.encode())
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8" if path.suffix == ".html" else "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _serve(platform: str, registered: str | None):
    handler = type("Handler", (_DemoSite,), {"platform": platform})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    own = f"http://localhost:{server.server_port}"
    handler.registered = registered or own  # the unregistered site frames the registered site's page
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, own


@pytest.fixture(scope="module")
def sites(live_server):
    """The registered municipality site (its origin added to Rēzekne's demo site) and an unregistered one."""
    app, url = live_server
    registered, registered_origin = _serve(url, None)
    stranger, stranger_origin = _serve(url, registered_origin)
    from tests.browser.conftest import app_db

    with app_db(app) as s:
        site = s.scalars(select(Site).where(Site.key == "rezeknes-novads")).one()
        before = site.origins
        site.origins = before + "\n" + registered_origin
        s.commit()
    yield registered_origin, stranger_origin
    with app_db(app) as s:
        s.scalars(select(Site).where(Site.key == "rezeknes-novads")).one().origins = before
        s.commit()
    registered.shutdown()
    stranger.shutdown()


def test_feedback_on_the_site_becomes_a_case_answered_by_email_and_published_in_the_log(
        new_context, page_as, sites, live_db, outbox, tr):
    site, _stranger = sites
    visitor = new_context()
    page = visitor.new_page()
    page.goto(f"{site}/pakalpojumi.html?meklet=personas+kods#x")
    frame = page.frame_locator("iframe")
    lv = "lv"
    expect(frame.locator("h1")).to_have_text(tr(lv, "Feedback on this page"))
    email = f"apmeklētājs-{secrets.token_hex(4)}@example.lv"
    text = f"Trūkst atkritumu izvešanas grafika (pārbaude {secrets.token_hex(4)})."
    frame.get_by_label(tr(lv, "No"), exact=True).check()
    frame.get_by_label(tr(lv, "What was missing or wrong?")).fill(text)
    frame.get_by_label(tr(lv, "Your e-mail address (optional)")).fill(email)
    frame.get_by_role("button", name=tr(lv, "Send feedback")).click()
    panel = frame.locator(".govuk-panel")
    expect(panel).to_contain_text(tr(lv, "Thank you for your feedback"))
    expect(frame.locator("[role=status]")).to_have_count(1)  # announced to screen readers
    with live_db() as s:
        feedback = s.scalars(select(Feedback).where(Feedback.email == email)).one()
        case_id, number, feedback_id = feedback.case_id, feedback.case.number, feedback.id
        assert feedback.page_url == f"{site}/pakalpojumi.html"  # no query string, no fragment
    expect(panel).to_contain_text(number)
    # Nothing stored in the visitor's browser: no cookie from either origin, no storage.
    assert visitor.cookies() == []
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0

    # The case is in Rēzekne's inbox; the responder answers it through the case's pages.
    staff = page_as(STAFF)
    staff.goto("/institutions/rezeknes-novads/inbox")
    expect(staff.locator(f"a[href='/cases/{case_id}']")).to_be_visible()
    staff.goto(f"/cases/{case_id}/answer")
    staff.get_by_label(tr(lv, "Position")).select_option("answered")
    answer = f"Grafiks ir sadaļā Atkritumi (pārbaude {secrets.token_hex(4)})."
    staff.get_by_label(tr(lv, "Answer"), exact=True).fill(answer)
    staff.get_by_role("button", name=tr(lv, "Publish the answer")).click()
    expect(staff.locator(".govuk-notification-banner--success")).to_be_visible()
    mails = outbox(email)
    assert len(mails) == 1 and answer in mails[0].body and number in mails[0].subject

    # Private until published: the responder asks, a moderator checks, and the answer is in the public log.
    staff.goto(f"/feedback/{feedback_id}")
    staff.get_by_role("button", name=tr(lv, "Publish it (after a moderator's check)")).click()
    expect(staff.locator(".govuk-notification-banner--success")).to_contain_text(tr(lv, "A moderator will check it before it is published."))
    anonymous = new_context().new_page()
    anonymous.goto("/institutions/rezeknes-novads/log")
    expect(anonymous.locator("main")).not_to_contain_text(answer)
    moderator = page_as(MODERATOR)
    moderator.goto(f"/moderation/item/feedback/{feedback_id}")
    moderator.get_by_role("button", name=tr(lv, "Approve: make it public")).click()
    expect(moderator.locator(".govuk-notification-banner--success")).to_be_visible()
    anonymous.goto("/institutions/rezeknes-novads/log")
    expect(anonymous.locator("main")).to_contain_text(answer)
    anonymous.goto(f"/feedback/{feedback_id}")
    expect(anonymous.locator("main")).to_contain_text(text)
    expect(anonymous.locator("main")).not_to_contain_text(email)


def test_the_iframe_snippet_works_without_javascript(new_context, sites, live_db, tr):
    site, _stranger = sites
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{site}/iframe.html")
    frame = page.frame_locator("iframe")
    text = f"Nav darba laika svētku dienās (bez JS {secrets.token_hex(4)})."
    frame.get_by_label(tr("lv", "What was missing or wrong?")).fill(text)
    frame.get_by_role("button", name=tr("lv", "Send feedback")).click()
    expect(frame.locator(".govuk-panel")).to_contain_text(tr("lv", "Thank you for your feedback"))
    with live_db() as s:
        assert s.scalars(select(Feedback).where(Feedback.text == text)).one().page_url == f"{site}/iframe.html"


def test_the_script_snippet_follows_the_page_language(new_context, sites, tr):
    site, _stranger = sites
    page = new_context().new_page()
    page.goto(f"{site}/en.html")
    frame = page.frame_locator("iframe")
    expect(frame.locator("html")).to_have_attribute("lang", "en")
    expect(frame.locator("h1")).to_have_text(tr("en", "Feedback on this page"))


def test_a_frame_on_an_unregistered_origin_is_not_rendered(new_context, sites):
    site, stranger = sites
    page = new_context().new_page()
    page.goto(f"{site}/iframe.html")  # the control: the registered site shows the form
    expect(page.frame_locator("iframe").locator("form")).to_have_count(1)
    refused = new_context().new_page()
    refused.goto(f"{stranger}/iframe.html")  # the same frame, with the registered page's address, elsewhere
    refused.wait_for_timeout(1000)
    child = refused.frames[1]
    assert child.url.startswith("chrome-error://") or child.locator("form").count() == 0
    assert refused.frame_locator("iframe").locator("input[name=token]").count() == 0


_axe = Axe()


def _axe_clean(page):
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_axe_on_the_widget(new_context, sites, lang, tr):
    site, _stranger = sites
    page = new_context().new_page()
    page.goto(f"/feedback/widget/rezeknes-novads?page={site}/pakalpojumi.html&lang={lang}")
    _axe_clean(page)
    page.get_by_role("button", name=tr(lang, "Send feedback")).click()  # the error summary
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    _axe_clean(page)
    page.get_by_label(tr(lang, "Yes"), exact=True).check()
    page.get_by_role("button", name=tr(lang, "Send feedback")).click()
    expect(page.locator(".govuk-panel")).to_be_visible()
    _axe_clean(page)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_axe_on_the_staff_pages(page_as, live_db, lang):
    with live_db() as s:
        site_id = s.scalars(select(Site.id).where(Site.key == "rezeknes-novads")).one()
        feedback_id = s.scalars(select(Feedback.id).where(Feedback.case_id.is_not(None)).order_by(Feedback.id)).first()
    for email, urls in ((STAFF, ["/institutions/rezeknes-novads/feedback/", f"/institutions/rezeknes-novads/feedback/sites/{site_id}",
                                 f"/institutions/rezeknes-novads/feedback/sites/{site_id}?url=http://localhost:8001/pakalpojumi.html",
                                 f"/feedback/{feedback_id}"]),
                        ("ministrija.redaktors@example.lv", ["/institutions/rezeknes-novads/feedback/sites/new",
                                                             f"/institutions/rezeknes-novads/feedback/sites/{site_id}/edit"])):
        page = page_as(email)
        page.goto(f"/language/{lang}")
        for url in urls:
            page.goto(url)
            assert page.evaluate("document.documentElement.lang") == lang
            _axe_clean(page)


def test_the_feedback_pages_are_valid_html(new_context, page_as, sites, live_db, tmp_path, tr):
    """The Nu HTML checker finds no error in the widget (form, errors, thanks; both languages) and the staff pages."""
    from tests.browser.test_html_valid import run_checker

    site, _stranger = sites
    files = []

    def keep(name, response):
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.body())
        files.append(path)

    for lang in ("lv", "en"):
        page = new_context().new_page()
        keep(f"widget-{lang}", page.goto(f"/feedback/widget/rezeknes-novads?page={site}/&lang={lang}"))
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.get_by_role("button", name=tr(lang, "Send feedback")).click()
        keep(f"widget-errors-{lang}", posted.value)
        page.get_by_label(tr(lang, "Yes"), exact=True).check()
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.get_by_role("button", name=tr(lang, "Send feedback")).click()
        keep(f"widget-thanks-{lang}", posted.value)
    with live_db() as s:
        site_id = s.scalars(select(Site.id).where(Site.key == "rezeknes-novads")).one()
        feedback_id = s.scalars(select(Feedback.id).where(Feedback.case_id.is_not(None)).order_by(Feedback.id)).first()
    staff = page_as(STAFF)
    for name, url in (("list", "/institutions/rezeknes-novads/feedback/"), ("site", f"/institutions/rezeknes-novads/feedback/sites/{site_id}"),
                      ("item", f"/feedback/{feedback_id}")):
        keep(name, staff.goto(url))
    editor = page_as("ministrija.redaktors@example.lv")
    keep("new-site", editor.goto("/institutions/rezeknes-novads/feedback/sites/new"))
    with editor.expect_response(lambda r: r.request.method == "POST") as posted:
        editor.locator("main form button[type=submit]").click()
    keep("new-site-errors", posted.value)
    errors = run_checker(files)
    assert not errors, "\n".join(f"{e.get('url', '').rsplit('/', 1)[-1]}:{e.get('lastLine')}: {e.get('message')}" for e in errors)


def test_the_widget_works_from_the_keyboard_and_the_result_takes_the_focus(new_context, sites, tr):
    site, _stranger = sites
    page = new_context().new_page()
    page.goto(f"/feedback/widget/rezeknes-novads?page={site}/&lang=en")
    page.keyboard.press("Tab")  # the first radio ("Yes")
    assert page.evaluate("document.activeElement.id") == "helped"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # the text
    page.keyboard.type("Typed with the keyboard only.")
    for _ in range(3):  # the e-mail, the checkbox, the button
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "BUTTON"
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(tr("en", "Thank you for your feedback"))
    expect(page.locator("h1")).to_be_focused()  # frame.js moves the focus to the result, inside role=status
