"""XSS: a corpus of payloads (script tags, event handlers, `javascript:` and `data:` links, SVG, MathML, broken
markup, payloads in display names and file names) goes through every text field of every form that stores
text; every page that shows them then contains none of them as live markup.

"Live markup" is judged by parsing each page twice, with the standard library's HTML parser and with html5lib
(the parser bleach uses, which follows the browsers' HTML5 algorithm): no <script> other than the site's own
files under /static, no attribute starting with "on", no href/src/action pointing to `javascript:`, `data:` or
`vbscript:`, and no <svg>, <math>, <iframe>, <style>, <object>, <embed>, <base> or <body>/<html> beyond the
page's own. The site's templates contain none of these elements (but the start button's arrow and the figures' charts,
matched exactly below), so any of them in a page came from user text.
"""
import csv
import io
import re
import xml.etree.ElementTree as ET
from datetime import date, datetime
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from participation.accounts.models import User
from participation.cases import services as case_services
from participation.cases.models import Case, Channel, Response
from participation.clock import utcnow
from participation.consultations import services as consultation_services
from participation.consultations.models import Attachment, Comment, Consultation, WindowExtension
from participation.extensions import db
from participation.groups.models import Group
from participation.institutions.models import Institution, StaffRole
from participation.moderation.models import ModerationAction, Report
from participation.proposals.models import Proposal
from participation.text import render_user_text

try:  # html5lib is vendored by bleach, the app's sanitiser; the standard-library parser always runs as well
    from bleach._vendor import html5lib
except ImportError:  # pragma: no cover
    html5lib = None

CORPUS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "javascript:alert(1)",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    "<math><mtext></p><script>alert(1)</script>",
    "<scr<script>ipt>alert(1)</script>",
    "<body onload=alert(1)>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "<style>@import'//evil'</style>",
    '<a href="http://x" onclick="alert(1)">x</a>',
    "<!--<img src=x onerror=alert(1)>-->",
    'https://example.lv/"onmouseover="alert(1)',
    "</textarea><script>alert(1)</script>",
    "</title><svg/onload=alert(1)>",
]
CORPUS_IDS = [f"p{i:02d}" for i in range(len(CORPUS))]
SHORTEST_FIELD = 120  # display names and the responsible official's name


def _chunks(corpus: list[str], limit: int) -> list[list[str]]:
    """The corpus packed into texts that fit every field, so one pass through the forms carries several payloads.
    A payload that is a bare URL (`javascript:`, `data:`) starts its text, as a link would."""
    chunks: list[list[str]] = [[]]
    for payload in corpus:
        bare_url = re.match(r"^[a-z]+:", payload) is not None
        if chunks[-1] and (bare_url or len(" ".join(chunks[-1] + [payload])) > limit):
            chunks.append([])
        chunks[-1].append(payload)
    return chunks


CHUNKS = _chunks(CORPUS, SHORTEST_FIELD)
CHUNK_IDS = [f"chunk{i}" for i in range(len(CHUNKS))]

PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
    b"3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)

FORBIDDEN_ELEMENTS = {"svg", "math", "iframe", "frame", "frameset", "style", "object", "embed", "base", "applet",
                      "mtext", "foreignobject", "template", "noscript", "xmp", "plaintext"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcdoc", "ping"}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")


# --- the judge ------------------------------------------------------------------------------------------------


def _scheme_of(value: str) -> str:
    """The URL as a browser reads its scheme: control characters and whitespace inside it are ignored."""
    return re.sub(r"[\x00-\x20]", "", value or "").lower()


def _judge_element(tag: str, attrs: list[tuple[str, str | None]], problems: list[str], counts: dict[str, int]) -> None:
    tag = tag.lower()
    counts[tag] = counts.get(tag, 0) + 1
    names = {name.lower(): value or "" for name, value in attrs}
    if tag == "script" and not (names.get("src", "").startswith("/static/") and "//" not in names["src"]):
        problems.append(f"<script> that is not the site's own: {attrs!r}")
    if tag in FORBIDDEN_ELEMENTS:
        problems.append(f"<{tag}> element: {attrs!r}")
    if tag == "meta" and names.get("http-equiv", "").lower() == "refresh":
        problems.append(f"<meta http-equiv=refresh>: {attrs!r}")
    for name, value in names.items():
        if name.startswith("on"):
            problems.append(f"event-handler attribute {name}={value!r} on <{tag}>")
        if name in URL_ATTRIBUTES and _scheme_of(value).startswith(BAD_SCHEMES):
            problems.append(f"{name}={value!r} on <{tag}>")
        if name == "style" and re.search(r"expression\(|url\(\s*['\"]?\s*javascript:", value, re.I):
            problems.append(f"style={value!r} on <{tag}>")


class _StdlibCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.counts: dict[str, int] = {}

    def handle_starttag(self, tag, attrs):
        _judge_element(tag, attrs, self.problems, self.counts)

    def handle_startendtag(self, tag, attrs):
        _judge_element(tag, attrs, self.problems, self.counts)


# The one SVG the site writes itself: the arrow of GOV.UK's start button (fixed markup, no user value in it).
OWN_SVG = re.compile(r'<svg class="govuk-button__start-icon" xmlns="http://www\.w3\.org/2000/svg" width="17\.5" height="19" '
                     r'viewBox="0 0 33 40" aria-hidden="true" focusable="false">\s*'
                     r'<path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z"/>\s*</svg>')


# The figures' bar charts (templates/institutions/_charts.html): only these elements and attributes, text without markup
# (the names in them are escaped), so nothing a user typed can add an element or an attribute.
OWN_CHART = re.compile(
    r'<svg class="app-chart__picture" xmlns="http://www\.w3\.org/2000/svg" role="img" width="100%" height="\d+"\s+'
    r'aria-labelledby="[a-z-]+-title [a-z-]+-desc">'
    r'(?:\s+|<title id="[a-z-]+-title">[^<]*</title>|<desc id="[a-z-]+-desc">[^<]*</desc>|<g class="app-chart__row">|</g>'
    r'|<text class="app-chart__(?:label|value|value app-chart__value--none)" x="[\d.]+%?"(?: dx="\d+")? y="\d+">[^<]*</text>'
    r'|<rect class="app-chart__bar" x="0" y="\d+" width="[\d.]+%" height="18"></rect>)*'
    r'</svg>')


def live_markup(html: str) -> list[str]:
    """What in the page would run or load in a browser that the site did not write itself."""
    html = OWN_CHART.sub("", OWN_SVG.sub("", html))
    problems: list[str] = []
    parser = _StdlibCollector()
    parser.feed(html)
    parser.close()
    problems += [f"[html.parser] {p}" for p in parser.problems]
    for tag in ("html", "head", "body", "title"):
        if parser.counts.get(tag, 0) > 1:
            problems.append(f"[html.parser] {parser.counts[tag]} <{tag}> elements")
    if html5lib is not None:
        counts: dict[str, int] = {}
        found: list[str] = []
        for element in html5lib.parse(html, namespaceHTMLElements=False).iter():
            if not isinstance(element.tag, str):  # comments
                continue
            tag = element.tag.rsplit("}", 1)[-1]
            if element.tag.startswith("{") and "xhtml" not in element.tag:
                found.append(f"foreign element {element.tag}")
            _judge_element(tag, [(k.rsplit("}", 1)[-1], v) for k, v in element.attrib.items()], found, counts)
        problems += [f"[html5lib] {p}" for p in found]
    return problems


def assert_no_live_markup(response, where: str) -> str:
    assert response.status_code < 500, (where, response.status_code)
    html = response.get_data(as_text=True)
    problems = live_markup(html)
    assert not problems, f"{where}: {problems}"
    return html


def text_of(html: str) -> str:
    """The page as text (what a reader sees), for checking that the payload arrived as words."""

    class Text(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []

        def handle_data(self, data):
            self.parts.append(data)

    parser = Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", "".join(parser.parts))


def visible_words(payload: str) -> str:
    """A piece of the payload that must be readable on a page that shows it (as text, not markup)."""
    return re.sub(r"\s+", " ", payload.strip())[:40]


def test_the_judge_catches_live_markup():
    """The control: each kind of live markup is found, escaped markup is not."""
    page = '<html><head><title>t</title><script src="/static/site.js"></script></head><body>{}</body></html>'
    assert live_markup(page.format("&lt;script&gt;alert(1)&lt;/script&gt; <a href=\"https://x.lv\">x</a>")) == []
    for live in ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
                 '<a href="javascript:alert(1)">x</a>', '<a href=" JaVa&#09;script:alert(1)">x</a>',
                 "<iframe src=//evil></iframe>", "<math><mtext></mtext></math>", "<style>@import'//evil'</style>",
                 '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', '<script src="https://evil/x.js"></script>',
                 '<p onclick="x">x</p>', '<meta http-equiv="refresh" content="0;url=//evil">']:
        assert live_markup(page.format(live)), live


# --- the one sanitiser ------------------------------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def _elements(html: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(html)
    return parser.elements


@pytest.mark.parametrize("payload", CORPUS, ids=CORPUS_IDS)
@pytest.mark.parametrize("wrapping", ["{}", "Pirms {}\npēc", "Rindkopa.\n\n{}\n\nhttps://example.lv/a?b=1 un {}"])
def test_render_user_text_leaves_only_paragraphs_breaks_and_safe_links(payload, wrapping):
    html = str(render_user_text(wrapping.format(payload, payload)))
    assert not live_markup(html)
    for tag, attrs in _elements(html):
        assert tag in {"p", "br", "a"}, (tag, html)
        if tag == "a":
            assert set(attrs) == {"href", "rel"}, html
            assert attrs["rel"] == "nofollow ugc noopener", html
            assert _scheme_of(attrs["href"]).startswith(("http:", "https:", "mailto:")), html
        else:
            assert attrs == {}, html
    assert visible_words(payload) in text_of(html)  # kept as words, not dropped
    if "https://example.lv/a?b=1" in wrapping:
        assert '<a href="https://example.lv/a?b=1" rel="nofollow ugc noopener">' in html


@pytest.mark.parametrize("text", ["www.example.lv", "http://example.lv", "mailto:x@example.lv", "https://example.lv/?a=<b>"])
def test_render_user_text_links_always_carry_rel_nofollow_ugc_noopener(text):
    html = str(render_user_text(f"Skat. {text}"))
    links = [attrs for tag, attrs in _elements(html) if tag == "a"]
    assert all(attrs.get("rel") == "nofollow ugc noopener" for attrs in links), html
    assert not live_markup(html)


# --- through the forms ------------------------------------------------------------------------------------------


class Flow:
    """One test client that switches between accounts and posts forms that must succeed."""

    def __init__(self, client, login):
        self.client, self._login = client, login
        self.current = None

    def as_user(self, user):
        if self.current is not None:
            self.client.post("/account/logout")
        self.current = None
        if user is not None:
            self._login(user)
            self.current = user

    def post(self, url, data, expect=302, **kwargs):
        response = self.client.post(url, data=data, **kwargs)
        assert response.status_code == expect, (url, response.status_code, text_of(response.get_data(as_text=True))[:2000])
        return response


def _latest(model, *where):
    return db.session.scalars(select(model).where(*where).order_by(model.id.desc())).first()


def _csv_cells(response) -> list[str]:
    body = response.get_data(as_text=True).lstrip("\ufeff")
    return [cell for row in csv.reader(io.StringIO(body)) for cell in row]


def test_the_chunks_carry_the_whole_corpus_and_fit_every_field():
    assert all(len(" ".join(chunk)) <= SHORTEST_FIELD for chunk in CHUNKS)
    assert [p for chunk in CHUNKS for p in chunk] == CORPUS
    assert all(any(chunk[0] == p for chunk in CHUNKS) for p in CORPUS if re.match(r"^[a-z]+:", p))


@pytest.mark.parametrize("payloads", CHUNKS, ids=CHUNK_IDS)
def test_every_form_stores_the_payloads_as_text_and_no_page_shows_them_as_markup(
        app, client, login, session, make_user, make_staff, make_institution, make_proposal, fixed_now, tmp_path, payloads):
    fixed_now(datetime(2026, 3, 10, 7, 0))  # a Tuesday: deadlines, windows and extensions are predictable
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    p = " ".join(payloads)
    flow = Flow(client, login)
    short = p  # every chunk fits the shortest field
    pages: list[tuple[object, str, str | None]] = []  # (who, url, text that must be readable there)

    # Platform administrator creates the institution (name and description) through the form.
    admin = make_user(name=p, is_admin=True)
    flow.as_user(admin)
    slug = f"iestade-{abs(hash((p, app.config['DB_BACKEND']))) % 10**8}"
    flow.post("/institutions/new", {"name": p, "slug": slug, "kind": "municipality", "description": p, "website": ""})
    institution = db.session.scalars(select(Institution).where(Institution.slug == slug)).one()
    assert institution.name == p.strip()
    other = make_institution()
    responder = make_staff(institution, role=StaffRole.RESPONDER, name=p)
    editor = make_staff(institution, role=StaffRole.EDITOR, name=p)
    moderator = make_user(name=p, is_moderator=True)

    # A resident registers (display name), confirms the address, and changes the name in the profile.
    flow.as_user(None)
    email = f"xss-{abs(hash(p)) % 10**8}@example.lv"
    register_error = client.post("/account/register", data={"display_name": p, "email": email, "password": "correct horse battery",
                                                            "confirm": "cits", "locale": "lv"})
    assert register_error.status_code == 400
    pages.append(("response", register_error, None))
    flow.post("/account/register", {"display_name": p, "email": email, "password": "correct horse battery",
                                    "confirm": "correct horse battery", "locale": "lv", "agree": "y"}, expect=200)  # "check your e-mail"
    resident = db.session.scalars(select(User).where(User.email == email)).one()
    assert resident.display_name == p.strip()
    resident.email_verified_at = utcnow()
    db.session.commit()
    flow.as_user(resident)  # registration no longer logs in (issue 14, item 11)
    flow.post("/account/profile", {"display_name": p + " ", "locale": "lv"})

    # The resident founds a group (name, description) and writes a proposal for it (every text field).
    flow.post("/groups/new", {"name": p, "kind": "youth_council", "description": p})
    group = _latest(Group, Group.leader_id == resident.id)
    assert group.name == p.strip()
    fields = {"institution": institution.id, "on_behalf": group.id, "title": p, "problem": p, "solution": p, "benefit": p,
              "territory": "Rēzeknes novads", "topics": ["social"]}
    flow.post("/proposals/new", fields)
    proposal = _latest(Proposal, Proposal.author_id == resident.id)
    assert_no_live_markup(client.get(f"/proposals/{proposal.id}/check"), "check before submitting")
    assert_no_live_markup(client.get(f"/proposals/{proposal.id}/edit"), "edit before submitting")
    flow.post(f"/proposals/{proposal.id}/submit", {})
    db.session.refresh(proposal)
    assert proposal.case_id is not None and proposal.title == p.strip()
    # A second proposal stays a draft (its edit and check pages show the stored text back).
    flow.post("/proposals/new", {**fields, "on_behalf": 0, "action": "save"})
    draft = _latest(Proposal, Proposal.author_id == resident.id)
    pages += [(resident, f"/proposals/{draft.id}/edit", None), (resident, f"/proposals/{draft.id}/check", p),
              (resident, "/proposals/mine", p), (resident, "/account/profile", None), (resident, f"/groups/{group.slug}", p)]
    refused = client.post("/proposals/new", data={**fields, "institution": 0})
    assert refused.status_code == 400
    pages.append(("response", refused, None))

    # The editor prepares a consultation through the form (every text field, the draft text), then publishes it.
    flow.as_user(editor)
    source = f"1. {p}\n2. Otrais punkts: {p}\n3. Trešais punkts."
    flow.post("/consultations/new", {"institution": institution.id, "title": p, "kind": "other", "policy_area": "governance",
                                     "territory": "Rēzeknes novads", "official_name": p, "official_contact": p,
                                     "problem": p, "goal": p, "summary": p, "source": source})
    consultation = _latest(Consultation, Consultation.institution_id == institution.id)
    assert consultation.title == p.strip()
    assert_no_live_markup(client.get(f"/consultations/{consultation.id}/edit"), "consultation edit page")
    consultation_services.publish(consultation, datetime(2026, 3, 10, 8, 0), date(2026, 4, 9))
    # An attachment whose file name carries the payload (a real PDF), and one stored with the raw name, as
    # older data or another import path might have it: the template must escape it either way.
    # (a browser sends a double quote in a file name as %22; werkzeug's test client would not escape it)
    flow.post(f"/consultations/{consultation.id}/attachments", {"file": (io.BytesIO(PDF), f"{p}.pdf".replace('"', "%22"))},
              content_type="multipart/form-data")
    assert db.session.scalars(select(Attachment).where(Attachment.consultation_id == consultation.id)).first() is not None
    db.session.add(Attachment(consultation_id=consultation.id, original_name=f"{p}.pdf", stored_name="e" * 32 + ".pdf",
                              kind="pdf", mime="application/pdf", size=10))
    db.session.commit()
    flow.post(f"/consultations/{consultation.id}/extend", {"new_closes_on": "2026-04-12", "reason": p})
    assert _latest(WindowExtension, WindowExtension.consultation_id == consultation.id).reason == p.strip()

    # Residents comment (text, "represents") and reply; another resident's comment is on a section.
    commenter = make_user(name=p)
    flow.as_user(commenter)
    section_id = consultation.versions[0].sections[0].id
    flow.post(f"/consultations/{consultation.id}/comments", {"section": section_id, "text": p, "on_behalf": 0,
                                                             "represents": short, "show_name": "y"})
    comment = _latest(Comment, Comment.author_id == commenter.id)
    assert comment.text == p.strip() and comment.represents == short.strip()
    refused = client.post(f"/consultations/{consultation.id}/comments", data={"section": 999999999, "text": p, "on_behalf": 0,
                                                                         "represents": short})
    assert refused.status_code == 400
    pages.append(("response", refused, None))
    flow.as_user(resident)
    flow.post(f"/consultations/{consultation.id}/comments", {"section": 0, "text": p, "on_behalf": group.id,
                                                             "represents": short, "show_name": "y"})
    whole_comment = _latest(Comment, Comment.author_id == resident.id)
    flow.post(f"/consultations/{consultation.id}/comments/{comment.id}/replies", {"text": p})
    reply = _latest(Comment, Comment.author_id == resident.id, Comment.parent_id == comment.id)
    assert reply.text == p.strip()

    # Reports (text) by residents: on the comment and on the proposal.
    flow.post(f"/moderation/report/comment/{comment.id}", {"reason": "abuse", "text": p})
    flow.as_user(commenter)
    flow.post(f"/moderation/report/proposal/{proposal.id}", {"reason": "spam", "text": p})
    flow.post(f"/moderation/report/comment/{reply.id}", {"reason": "off_topic", "text": p})
    assert db.session.scalars(select(Report).where(Report.text == p.strip())).first() is not None

    # A moderator looks at the queue, hides the reply (note), highlights the comment (note), dismisses the reports on
    # the proposal (note), blocks and unblocks an account (notes).
    flow.as_user(moderator)
    pages += [(moderator, "/moderation/", p), (moderator, f"/moderation/item/comment/{comment.id}", p),
              (moderator, f"/moderation/item/proposal/{proposal.id}", p)]
    for who, url, _ in pages[-3:]:
        assert_no_live_markup(client.get(url), f"{url} before the actions")
    flow.post(f"/moderation/item/comment/{reply.id}/hide", {"reason": "abuse", "note": p})
    flow.post(f"/moderation/item/comment/{comment.id}/highlight", {"note": p})
    flow.post(f"/moderation/item/proposal/{proposal.id}/dismiss", {"note": p})
    duplicate = make_proposal(institution=institution, author=commenter, title=p, problem=p, solution=p)
    flow.post(f"/proposals/{duplicate.id}/merge", {"target": proposal.id, "note": p})
    pages += [(None, f"/proposals/{duplicate.id}", p)]
    spare = make_user(name=p)
    flow.post(f"/moderation/users/{spare.id}/block", {"days": "7", "reason": "spam", "note": p, "back_kind": "comment",
                                                      "back_id": comment.id})
    flow.post(f"/moderation/users/{spare.id}/unblock", {"note": p})
    assert db.session.scalars(select(ModerationAction).where(ModerationAction.note == p.strip())).first() is not None
    pages += [(moderator, f"/moderation/item/comment/{reply.id}", p), (moderator, "/moderation/audit", p),
              (moderator, f"/consultations/{consultation.id}/comments?section={section_id}", p),
              (moderator, "/proposals/moderation", None)]

    # The author of the hidden reply reads it and asks for a review (text).
    flow.as_user(resident)
    pages.append((resident, f"/moderation/review/comment/{reply.id}", p))
    flow.post(f"/moderation/review/comment/{reply.id}", {"text": p})
    pages.append((moderator, "/moderation/", p))

    # The institution's responder: extend (reason), answer, correct, record the implementation (texts) on the
    # proposal's case; register offline cases (title, body, submitter), one forwarded, one not examined (reasons).
    flow.as_user(responder)
    case = db.session.get(Case, proposal.case_id)
    limit = case_services.extension_limit(case)
    flow.post(f"/cases/{case.id}/extend", {"new_due_on": limit.isoformat(), "reason": p})
    flow.post(f"/cases/{case.id}/answer", {"position": "accepted", "text": p})
    answer = _latest(Response, Response.case_id == case.id)
    assert answer.text == p.strip() or answer.text == p
    flow.post(f"/responses/{answer.id}/correct", {"position": "accepted", "text": p})
    flow.post(f"/cases/{case.id}/implemented", {"implemented_on": "2026-03-10", "text": p})
    offline_ids = []
    for _ in range(2):
        flow.post(f"/institutions/{institution.slug}/offline", {"title": p, "source": "letter", "received_on": "2026-03-09",
                                                                 "submitter": short, "body": p})
        offline_ids.append(_latest(Case, Case.institution_id == institution.id, Case.channel == Channel.OFFLINE).id)
    refused = client.post(f"/cases/{offline_ids[1]}/extend", data={"new_due_on": "31.12.", "reason": p})  # re-shown with the text
    assert refused.status_code == 400
    pages.append(("response", refused, None))
    flow.post(f"/cases/{offline_ids[0]}/not-examined", {"reason": p})
    flow.post(f"/cases/{offline_ids[1]}/forward", {"target": other.id, "reason": p})
    pages += [(responder, f"/institutions/{institution.slug}/inbox", p), (responder, f"/cases/{case.id}", p),
              (responder, f"/cases/{offline_ids[0]}", p), (responder, f"/cases/{offline_ids[1]}", p),
              (responder, f"/responses/{_latest(Response, Response.case_id == case.id, Response.kind == 'answer').id}/correct", None),
              (responder, f"/institutions/{institution.slug}", p)]

    # The window closes: every comment becomes a case; the responder records positions (reasons); the editor
    # publishes version 2 (text and note).
    fixed_now(datetime(2026, 4, 13, 8, 0))
    assert client.get(f"/consultations/{consultation.id}").status_code == 200
    db.session.expire_all()
    for c in (comment, whole_comment):
        db.session.refresh(c)
        assert c.case_id is not None
        flow.post(f"/consultations/{consultation.id}/comments/{c.id}/position",
                  {f"c{c.id}-position": "partly_accepted", f"c{c.id}-reason": p})
    pages += [(responder, f"/consultations/{consultation.id}/summary", p), (responder, f"/cases/{comment.case_id}", p),
              (responder, f"/institutions/{institution.slug}/inbox", None)]
    flow.as_user(editor)
    flow.post(f"/consultations/{consultation.id}/versions/new", {"source": source.replace("Trešais", f"Jauns: {p}"), "note": p})

    # The admin pages list the display names.
    pages += [(admin, "/admin/users", p), (admin, "/admin/users?" + urlencode({"q": p[:50]}), None),
              (admin, f"/institutions/{institution.slug}/staff", p)]

    # Everyone else's view: the public pages.
    public = [f"/proposals/{proposal.id}", "/proposals/", "/", f"/groups/{group.slug}", "/groups/",
              f"/consultations/{consultation.id}", f"/consultations/{consultation.id}/comments",
              f"/consultations/{consultation.id}/comments?section={section_id}", f"/consultations/{consultation.id}/comments?whole=1",
              f"/consultations/{consultation.id}/summary", f"/consultations/{consultation.id}/versions/1",
              f"/consultations/{consultation.id}/versions/2", f"/consultations/{consultation.id}/changes/2",
              "/consultations/", "/institutions/", f"/institutions/{institution.slug}", f"/institutions/{institution.slug}/log",
              f"/cases/{case.id}", f"/cases/{offline_ids[0]}", f"/cases/{comment.case_id}", f"/institutions/{other.slug}/log",
              f"/cases/{offline_ids[1]}", "/moderation/log", f"/moderation/report/proposal/{proposal.id}"]
    pages += [(None, url, None) for url in public]
    pages += [(commenter, f"/consultations/{consultation.id}/comments?section={section_id}", p),
              (commenter, f"/moderation/report/comment/{whole_comment.id}", p)]

    checked = 0
    readable_somewhere = False
    for who, url, must_read in pages:
        if who == "response":  # a form shown again after an error, already fetched
            assert_no_live_markup(url, "a form shown again with an error")
            checked += 1
    by_viewer: dict[int, list] = {}
    for entry in pages:
        if entry[0] != "response":
            by_viewer.setdefault(id(entry[0]), []).append(entry)
    for who, url, must_read in (entry for group in by_viewer.values() for entry in group):
        if flow.current is not who:
            flow.as_user(who)
        response = client.get(url)
        assert response.status_code == 200 or (who is None and response.status_code == 302), (url, response.status_code)
        html = assert_no_live_markup(response, url)
        checked += 1
        if must_read and response.status_code == 200:
            words = text_of(html)
            for payload in payloads:
                assert visible_words(payload) in words, f"{url}: {payload!r} should be shown as text"
            readable_somewhere = True
    assert readable_somewhere and checked >= 50

    # The summary table as CSV: a download (never rendered as a page), and the text is there as plain cells.
    flow.as_user(None)
    download = client.get(f"/consultations/{consultation.id}/summary.csv")
    assert download.status_code == 200 and download.mimetype == "text/csv"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers.get("X-Content-Type-Options") == "nosniff"
    cells = _csv_cells(download)
    assert any(cell in (p.strip(), "'" + p.strip()) for cell in cells), cells
    assert not any(cell[:1] in ("=", "+", "-", "@") for cell in cells)

    # The Atom feed: valid XML, and titles and summaries are text constructs, never HTML.
    feed = client.get(f"/institutions/{institution.slug}/consultations.atom")
    root = ET.fromstring(feed.data)
    atom = "{http://www.w3.org/2005/Atom}"
    for element in root.iter():
        if element.tag in (f"{atom}title", f"{atom}summary", f"{atom}content"):
            assert element.get("type", "text") == "text", element.tag
            assert len(element) == 0
    assert any((e.text or "").strip() == p.strip() for e in root.iter(f"{atom}title"))
