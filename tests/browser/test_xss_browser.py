"""XSS in a real browser: payloads that would set a marker (`window.__xss`) or open a dialog are stored in a
display name, a group, a proposal, a consultation (title, texts, draft), a comment and a reply, a report and an
attachment's file name; chromium then opens every page that shows them, and nothing runs.

The pages are opened twice: once with the security policy bypassed (`bypass_csp`), so the test judges the markup
itself and not the policy that would block inline scripts anyway, and once as served (the policy on).

This module runs its own small server on its own SQLite file (same pattern as tests/browser/conftest.py), so the
payloads never show up in the shared demo database that the other browser tests read.
"""
import io
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from participation import create_app
from participation.accounts.models import User
from participation.clock import riga_today, to_riga, utcnow
from participation.consultations import services as consultation_services
from participation.consultations.models import Attachment
from participation.extensions import db
from participation.groups import services as group_services
from participation.groups.models import GroupKind
from participation.institutions.models import Institution, InstitutionKind, Membership, StaffRole
from participation.moderation import services as moderation_services
from participation.moderation.models import HideReason, ReportReason
from participation.proposals import services as proposal_services
from tests.browser.conftest import DEFAULT_TIMEOUT_MS, log_in

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
MARK = "window.__xss=1"
PAYLOADS = [
    f'<img src=x onerror="{MARK}">',
    f"<svg onload={MARK}>",
    f"<script>{MARK}</script>",
    f'"><script>{MARK}</script>',
    f"'><img src=x onerror={MARK}>",
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    f'<a href="javascript:{MARK}" id="xss-link">x</a>',
    f"<body onload={MARK}>",
    f"<details open ontoggle={MARK}>",
    f"<math><mtext></p><script>{MARK}</script>",
    f"<scr<script>ipt>{MARK}</script>",
    f"<input autofocus onfocus={MARK}>",
    f"</textarea><script>{MARK}</script>",
    f"</title><script>{MARK}</script>",
    "<img src=x onerror=alert(1)>",
    "<style>@import'//evil'</style><svg/onload=alert(2)>",
    f"data:text/html,<script>{MARK}</script>",
    "javascript:alert(3)",
]
SHORT = PAYLOADS[0]  # for the fields of 120 characters (display names)
ALL = "\n\n".join(PAYLOADS)
MIXED = " ".join(PAYLOADS[:4])  # titles and names up to 200 characters

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def xss_server(tmp_path_factory):
    """A server of this module's own, with the payloads seeded: yields (base URL, ids and e-mail addresses)."""
    tmp = tmp_path_factory.mktemp("xss-browser")
    app = create_app("development", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp}/xss.sqlite", RATELIMIT_ENABLED=False,
                     FORM_MIN_FILL_SECONDS=0, TESTING=False, UPLOAD_FOLDER=str(tmp / "uploads"))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_BASE_URL"] = url
    with app.app_context():
        upgrade()
        seeded = _seed(app, Path(tmp / "uploads"))
        db.session.remove()
    thread = threading.Thread(target=server.serve_forever, name="xss-live-server", daemon=True)
    thread.start()
    yield url, seeded
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()


def _user(email, name, **flags):
    user = User(email=email, display_name=name, locale="lv", email_verified_at=utcnow(), **flags)
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()
    return user


def _seed(app, uploads: Path) -> dict:
    institution = Institution(slug="xss-iestade", name=MIXED, kind=InstitutionKind.MUNICIPALITY, description=ALL)
    db.session.add(institution)
    db.session.commit()
    author = _user("autors@example.lv", SHORT)
    other = _user("cits@example.lv", PAYLOADS[4])
    moderator = _user("moderators@example.lv", PAYLOADS[1], is_moderator=True)
    editor = _user("redaktors@example.lv", PAYLOADS[3])
    db.session.add(Membership(user=editor, institution=institution, role=StaffRole.ADMIN))
    db.session.commit()
    group = group_services.create_group(author, MIXED, GroupKind.YOUTH_COUNCIL, ALL)

    values = {"title": MIXED, "problem": ALL, "solution": ALL, "benefit": ALL, "territory": "Rēzeknes novads", "topics": ["social"]}
    proposal = proposal_services.save_draft(author, institution, group, values)
    proposal_services.submit(proposal, author)
    draft = proposal_services.save_draft(author, institution, None, values)

    fields = {"title": MIXED, "kind": "other", "policy_area": "governance", "territory": "Rēzeknes novads",
              "official_name": SHORT, "official_contact": MIXED, "problem": ALL, "goal": ALL, "summary": ALL}
    source = "\n".join(f"{n}. {payload}" for n, payload in enumerate(PAYLOADS, start=1))
    consultation = consultation_services.save_draft(institution, editor, fields, source)
    opens = to_riga(utcnow()).replace(tzinfo=None) - timedelta(hours=1)
    consultation_services.publish(consultation, opens, riga_today() + timedelta(days=30))
    consultation_services.extend_window(consultation, editor, riga_today() + timedelta(days=40), ALL)
    section = consultation.versions[0].sections[0]
    comment = consultation_services.add_comment(consultation, author, ALL, section=section, represents=MIXED)
    reply = consultation_services.add_comment(consultation, other, ALL, parent=comment)
    whole = consultation_services.add_comment(consultation, other, ALL, group=None, represents=MIXED)
    # The attachment: a real PDF uploaded under a payload name (the name is cleaned) and a record with the raw name.
    consultation_services.add_attachment(consultation, io.BytesIO(PDF), f"{PAYLOADS[0]}.pdf")
    uploads.mkdir(parents=True, exist_ok=True)
    stored = "a" * 32 + ".pdf"
    (uploads / stored).write_bytes(PDF)
    db.session.add(Attachment(consultation_id=consultation.id, original_name=f"{MIXED}.pdf", stored_name=stored,
                              kind="pdf", mime="application/pdf", size=len(PDF)))
    db.session.commit()

    moderation_services.report(whole, author, ReportReason.ABUSE, ALL[:1000])
    moderation_services.report(proposal, other, ReportReason.SPAM, ALL[:1000])
    moderation_services.hide(reply, moderator, HideReason.ABUSE, ALL[:1000])
    moderation_services.request_review(reply, other, ALL[:1000])
    return {"case": proposal.case_id, "institution": institution.slug, "group": group.slug, "proposal": proposal.id, "draft": draft.id,
            "consultation": consultation.id, "section": section.id, "comment": comment.id, "reply": reply.id,
            "author": author.email, "other": other.email, "moderator": moderator.email, "editor": editor.email}


def _pages(seeded) -> dict[str | None, list[str]]:
    """Who opens which pages (None: not logged in)."""
    c, p = seeded["consultation"], seeded["proposal"]
    public = ["/", "/proposals/", f"/proposals/{p}", "/consultations/", f"/consultations/{c}", f"/consultations/{c}/comments",
              f"/consultations/{c}/comments?section={seeded['section']}", f"/consultations/{c}/versions/1",
              f"/institutions/{seeded['institution']}", "/institutions/", f"/groups/{seeded['group']}", "/groups/",
              f"/institutions/{seeded['institution']}/log"]
    return {
        None: public,
        seeded["author"]: [f"/proposals/{seeded['draft']}/edit", f"/proposals/{seeded['draft']}/check", "/proposals/mine",
                           "/account/profile", f"/consultations/{c}/comments?section={seeded['section']}"],
        seeded["other"]: [f"/moderation/review/comment/{seeded['reply']}", f"/moderation/report/proposal/{p}", "/account/profile"],
        seeded["moderator"]: ["/moderation/", f"/moderation/item/comment/{seeded['reply']}", f"/moderation/item/proposal/{p}",
                              "/moderation/audit", f"/consultations/{c}/comments?section={seeded['section']}"],
        seeded["editor"]: [f"/institutions/{seeded['institution']}/inbox", f"/consultations/{c}", f"/cases/{seeded['case']}",
                           f"/institutions/{seeded['institution']}/staff"],
    }


# Elements and attributes a payload would bring, looked up in the live DOM.
DOM_CHECK = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const value = attr.value.replace(/[\\u0000-\\u0020]/g, '').toLowerCase();
      if (attr.name.toLowerCase().startsWith('on')) bad.push(el.tagName + ' ' + attr.name);
      if (['href', 'src', 'action', 'formaction', 'srcdoc'].includes(attr.name.toLowerCase()) &&
          (value.startsWith('javascript:') || value.startsWith('data:') || attr.name.toLowerCase() === 'srcdoc'))
        bad.push(el.tagName + ' ' + attr.name + '=' + attr.value);
    }
    const tag = el.tagName.toLowerCase();
    // The site's one own SVG: the arrow of GOV.UK's start button (aria-hidden, one fixed path, no handler).
    const ownArrow = tag === 'svg' && el.classList.contains('govuk-button__start-icon') && el.children.length === 1 &&
      el.firstElementChild.getAttribute('d') === 'M0 0h13l20 20-20 20H0l20-20z';
    // The figures' bar charts (templates/institutions/_charts.html): only their own elements and attributes inside,
    // text without elements in title, desc and text.
    const chartParts = {title: ['id'], desc: ['id'], g: ['class'], text: ['class', 'x', 'dx', 'y'],
                        rect: ['class', 'x', 'y', 'width', 'height']};
    const ownChart = tag === 'svg' && el.getAttribute('class') === 'app-chart__picture' &&
      [...el.attributes].every(a => ['class', 'xmlns', 'role', 'width', 'height', 'aria-labelledby'].includes(a.name)) &&
      [...el.querySelectorAll('*')].every(part => {
        const name = part.tagName.toLowerCase();
        return name in chartParts && [...part.attributes].every(a => chartParts[name].includes(a.name)) &&
          (name === 'g' || part.children.length === 0);
      });
    if (['svg', 'math', 'iframe', 'style', 'object', 'embed', 'base'].includes(tag) && !ownArrow && !ownChart) bad.push(tag);
    if (tag === 'script' && !(el.getAttribute('src') || '').startsWith('/static/')) bad.push('inline script');
  }
  return bad;
}"""


def _open_all(browser, url, seeded, bypass_csp: bool) -> list[str]:
    problems = []
    for who, paths in _pages(seeded).items():
        context = browser.new_context(base_url=url, bypass_csp=bypass_csp)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        try:
            page = context.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda dialog: (dialogs.append(f"{dialog.type}: {dialog.message}"), dialog.dismiss()))
            if who is not None:
                log_in(page, who, PASSWORD)
            for path in paths:
                response = page.goto(path)
                assert response is not None and response.status < 400, (who, path, response and response.status)
                page.wait_for_load_state("load")
                page.wait_for_timeout(50)  # an onerror of a broken image fires right after it fails to load
                marker = page.evaluate("() => [window.__xss, (window.parent || window).__xss]")
                dom = page.evaluate(DOM_CHECK)
                if marker != [None, None]:
                    problems.append(f"{who or 'anonymous'} {path}: window.__xss = {marker}")
                if dom:
                    problems.append(f"{who or 'anonymous'} {path}: live markup in the DOM: {sorted(set(dom))}")
                if dialogs:
                    problems.append(f"{who or 'anonymous'} {path}: dialogs {dialogs}")
                    dialogs.clear()
        finally:
            context.close()
    return problems


def test_the_marker_and_the_dialog_catch_a_payload_that_runs(browser):
    """The control: the same payloads as live markup do set the marker and open a dialog."""
    context = browser.new_context(bypass_csp=True)
    try:
        page = context.new_page()
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.set_content(f"<p>{PAYLOADS[0]}</p><p>{PAYLOADS[14]}</p>")
        page.wait_for_timeout(200)
        assert page.evaluate("window.__xss") == 1
        assert dialogs == ["1"]
        assert page.evaluate(DOM_CHECK)
    finally:
        context.close()


@pytest.mark.parametrize("policy", ["bypassed", "enforced"])
def test_no_payload_runs_on_any_page(browser, xss_server, policy):
    url, seeded = xss_server
    problems = _open_all(browser, url, seeded, bypass_csp=(policy == "bypassed"))
    assert not problems, "\n".join(problems)
