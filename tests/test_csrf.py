"""Every POST route refuses a request without a CSRF token; the routes come from the URL map,
and each is sent data that would otherwise be valid, so only the missing token can stop it."""
from participation.groups.models import GroupMember
from flask import url_for

from participation.accounts.services import password_reset_token
from participation.cases.models import Position
from participation.cases.services import answer_case
from participation.institutions.models import Membership, StaffRole


def post_endpoints(app):
    return sorted({rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods})


def test_there_are_post_routes_to_check(sqlite_app):
    assert len(post_endpoints(sqlite_app)) >= 15


def test_every_post_route_requires_a_csrf_token(app, client, login, make_case, make_staff, make_institution, make_group, make_user, make_proposal, make_consultation):
    case = make_case()
    other = make_institution()
    staff = make_staff(case.institution, role=StaffRole.ADMIN)
    staff.is_admin = True  # platform administrator too, so the admin routes are reached
    group = make_group(leader=staff)
    member = GroupMember.query.filter_by(group_id=group.id).first()
    membership = Membership.query.filter_by(user_id=staff.id).first()
    response = answer_case(make_case(case.institution), staff, Position.NOTED, "Atbilde")
    values = {"case_id": case.id, "response_id": response.id, "member_id": member.id,
              "membership_id": membership.id, "user_id": make_user().id, "code": "en",
              "token": password_reset_token(staff), "proposal_id": make_proposal(institution=case.institution).id}
    consultation = make_consultation(institution=case.institution)
    from participation.consultations.models import Attachment, Comment

    values.update(consultation_id=consultation.id, number=1,
                  comment_id=Comment.query.filter_by(consultation_id=consultation.id).first().id,
                  attachment_id=Attachment.query.filter_by(consultation_id=consultation.id).first().id)
    values.update(kind="comment", item_id=values["comment_id"], action="dismiss")
    from participation.feedback import services as feedback_services

    site = feedback_services.register_site(case.institution, staff, {
        "name": "Vietne", "key": "csrf-vietne", "origins": ["https://a.example"], "path_prefixes": [], "ask_email": True,
        "languages": ["lv"], "premoderation": False})
    feedback = feedback_services.receive(site, feedback_services.TokenClaims(site.id, "https://a.example", "https://a.example/",
                                                                             "csrf"), True, "Teksts", "", False, "lv")
    values.update(site_id=site.id, feedback_id=feedback.id)
    from tests.test_cocreation_world import build as build_cocreation  # issue 16: a process in drafting and one with ideas

    values.update(build_cocreation(case.institution, staff, make_user(), make_user()))
    payload = {"text": "Teksts", "position": "noted", "reason": "Iemesls", "new_due_on": case.due_on.isoformat(),
               "target": str(other.id), "title": "Virsraksts", "source": "letter", "received_on": "2026-11-20",
               "body": "Teksts", "name": "Nosaukums", "kind": "ngo", "email": "jauns@example.lv",
               "password": "garš-labs-teikums", "confirm": "garš-labs-teikums", "display_name": "Vārds",
               "locale": "lv", "role": "responder", "slug": "jauna-iestade"}
    login(staff)
    client.get("/language/en")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        for endpoint in post_endpoints(app):
            if endpoint == "feedback.widget":
                continue  # no session, so no session CSRF: its own signed, single-use token (tests/test_feedback.py)
            if endpoint == "follows.unsubscribe":
                continue  # RFC 8058 one-click: a mail client POSTs with no session; the URL is signed (tests/test_follows.py)
            rule = next(r for r in app.url_map.iter_rules(endpoint=endpoint) if "POST" in r.methods)
            args = {name: values.get(name) for name in rule.arguments}
            if "slug" in args:
                args["slug"] = group.slug if endpoint.startswith("groups.") else case.institution.slug
            with app.test_request_context():
                url = url_for(endpoint, **args)
            result = client.post(url, data=payload)
            assert result.status_code == 400, url
            assert "This form has expired" in result.get_data(as_text=True), url
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_the_same_request_with_a_token_is_accepted(app, client, login, make_case, make_staff):
    """The control for the test above: with CSRF on and a real token the action goes through."""
    case = make_case()
    login(make_staff(case.institution))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = client.get(f"/cases/{case.id}/answer").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        result = client.post(f"/cases/{case.id}/answer", data={"csrf_token": token, "position": "noted", "text": "Jā"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert result.status_code == 302
