"""Guarding: security headers on every response, the security and moderation logs, and user-supplied names
and titles escaped wherever they are shown."""
import logging

import pytest

from participation import create_app
from participation.extensions import db
from participation.security import csp_header, csp_override, log_moderation_action, mask_email

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


def _assert_guarded(response):
    csp = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'" and directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for name, value in HEADERS.items():
        assert response.headers[name] == value, name


def test_every_kind_of_response_carries_the_headers(client, make_consultation):
    consultation = make_consultation(with_comment=False)
    page = client.get("/")
    missing = client.get("/no-such-page")
    static = client.get("/static/favicon.svg")
    csv = client.get(f"/consultations/{consultation.id}/summary.csv")
    assert (page.status_code, missing.status_code, static.status_code, csv.status_code) == (200, 404, 200, 200)
    assert csv.mimetype == "text/csv" and static.mimetype == "image/svg+xml"
    assert csv.get_data(as_text=True).lstrip("\ufeff").startswith("Numurs")  # read to the end (it may be streamed)
    for response in (page, missing, static, csv, client.post("/"), client.get("/consultations/feed.atom")):
        _assert_guarded(response)
        assert "Strict-Transport-Security" not in response.headers  # not outside production
        response.close()


def test_hsts_only_in_production():
    production = create_app("production", SECRET_KEY="a-long-random-secret-from-the-environment", SQLALCHEMY_DATABASE_URI="sqlite://",
                            PUBLIC_BASE_URL="https://lidzdaliba.example.lv")
    response = production.test_client().get("/static/favicon.svg")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    _assert_guarded(response)
    response.close()
    for name in ("development", "testing"):
        response = create_app(name).test_client().get("/static/favicon.svg")
        assert "Strict-Transport-Security" not in response.headers
        response.close()


def test_the_policy_is_configuration_and_a_view_may_change_it(sqlite_app):
    app = create_app("testing", CONTENT_SECURITY_POLICY={**sqlite_app.config["CONTENT_SECURITY_POLICY"], "img-src": "'self' https:"})

    @app.route("/widget-test")
    @csp_override(frame_ancestors="https://pasvaldiba.example.lv")
    def widget():
        return "widget"

    response = app.test_client().get("/static/favicon.svg")
    assert "img-src 'self' https:" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    response.close()
    response = app.test_client().get("/widget-test")
    assert "frame-ancestors https://pasvaldiba.example.lv" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers  # framing allowed by the policy, not denied by the old header
    assert csp_header({"a": "1", "b": None}) == "a 1"


# --- logs ---------------------------------------------------------------------------------------------------------


def test_log_in_failures_are_logged_without_the_address_or_password(client, make_user, caplog):
    user = make_user()
    with caplog.at_level(logging.WARNING, logger="participation.security"):
        client.post("/account/login", data={"email": user.email, "password": "wrong-password-123"})
    records = [r for r in caplog.records if r.name == "participation.security"]
    assert len(records) == 1 and records[0].levelno == logging.WARNING
    message = records[0].getMessage()
    assert "log-in failed" in message and mask_email(user.email.upper()) in message
    assert user.email not in message and "wrong-password-123" not in message


def test_permission_refusals_are_logged_with_user_endpoint_and_path(client, login, make_user, caplog):
    user = login(make_user())
    with caplog.at_level(logging.WARNING, logger="participation.security"):
        assert client.get("/admin/users").status_code == 403
    message = next(r.getMessage() for r in caplog.records if "permission refused" in r.getMessage())
    assert f"user={user.id}" in message and "path=/admin/users" in message and "endpoint=admin.users" in message


def test_moderation_actions_are_logged(client, login, make_user, make_proposal, caplog):
    moderator = login(make_user(name="Moderators", is_moderator=True))
    with caplog.at_level(logging.INFO, logger="participation.moderation"):
        with client.application.test_request_context("/"):
            log_moderation_action("hide", "comment", 42, actor=moderator, reason="spam")
    record = next(r for r in caplog.records if r.name == "participation.moderation")
    assert record.getMessage() == f"moderation: hide comment=42 by user={moderator.id} reason='spam'"


def test_merging_a_proposal_is_logged_as_a_moderation_action(client, login, make_user, make_proposal, caplog):
    institution_proposal = make_proposal()
    duplicate = make_proposal(institution=institution_proposal.institution, title="Tas pats vēlreiz")
    moderator = login(make_user(name="Moderators", is_moderator=True))
    with caplog.at_level(logging.INFO, logger="participation.moderation"):
        response = client.post(f"/proposals/{duplicate.id}/merge", data={"target": institution_proposal.id, "note": "Tas pats."})
    assert response.status_code == 302
    message = next(r.getMessage() for r in caplog.records if r.name == "participation.moderation")
    assert f"merge proposal={duplicate.id} by user={moderator.id}" in message and f"into={institution_proposal.id}" in message


# --- names and titles are escaped ----------------------------------------------------------------------------------

EVIL = '<script>alert(1)</script><img src=x onerror=alert(2)>'


def test_names_titles_and_file_names_are_escaped_everywhere(client, login, make_user, make_group, make_proposal,
                                                            make_consultation):
    from participation.consultations import services as consultation_services
    from participation.consultations.models import Attachment

    author = make_user(name=EVIL)
    group = make_group(leader=author, name=EVIL)
    proposal = make_proposal(author=author, group=group, title=EVIL)
    consultation = make_consultation(with_comment=False)
    consultation.title = EVIL
    db.session.add(Attachment(consultation_id=consultation.id, original_name=EVIL + ".pdf", stored_name="f" * 32 + ".pdf",
                              kind="pdf", mime="application/pdf", size=10))
    db.session.commit()
    consultation_services.add_comment(consultation, author, "Teksts", group=group, represents=EVIL)
    pages = [f"/proposals/{proposal.id}", "/proposals/", f"/groups/{group.slug}", f"/consultations/{consultation.id}",
             f"/consultations/{consultation.id}/comments", "/consultations/"]
    login(author)
    pages += ["/account/profile", "/proposals/mine", "/proposals/new"]
    for path in pages:
        response = client.get(path)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert "<script>alert" not in page and "<img src=x" not in page, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, path


@pytest.mark.parametrize("path", ["templates"])
def test_no_template_marks_values_safe(path):
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / path
    offenders = [str(p) for p in root.rglob("*.html") if "|safe" in p.read_text().replace(" ", "") or "autoescapefalse" in p.read_text().replace(" ", "")]
    assert not offenders


def test_reading_the_public_pages_sets_no_cookie(app, client, make_consultation, make_proposal):
    """A reader is not given a session (no form is made for someone who cannot use it, so no CSRF token either)."""
    consultation = make_consultation()
    proposal = make_proposal()
    slug = consultation.institution.slug
    app.config["WTF_CSRF_ENABLED"] = True  # as in production: a form made is a token stored in the session
    try:
        for path in ("/", "/consultations/", f"/consultations/{consultation.id}", f"/consultations/{consultation.id}/comments",
                     "/proposals/", f"/proposals/{proposal.id}", f"/institutions/{slug}", f"/institutions/{slug}/log",
                     "/moderation/log"):
            response = client.get(path)
            assert response.status_code == 200 and "Set-Cookie" not in response.headers, path
        assert "Set-Cookie" in client.get("/account/login").headers  # a page with a form does start a session
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
