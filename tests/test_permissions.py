"""Roles, asked through the permissions modules."""
import pytest

from participation.accounts.permissions import is_moderator, is_platform_admin
from participation.cases import permissions as case_permissions
from participation.cases import services
from participation.cases.models import Position
from participation.institutions import permissions as institution_permissions
from participation.institutions.models import StaffRole


@pytest.mark.parametrize(
    "role, answers, edits, manages",
    [
        (StaffRole.RESPONDER, True, False, False),
        (StaffRole.EDITOR, False, True, False),
        (StaffRole.ADMIN, True, True, True),
    ],
)
def test_staff_roles(make_institution, make_staff, role, answers, edits, manages):
    institution = make_institution()
    user = make_staff(institution, role=role)
    assert institution_permissions.can_answer_cases(user, institution) is answers
    assert institution_permissions.can_edit_content(user, institution) is edits
    assert institution_permissions.can_manage_staff(user, institution) is manages
    assert institution_permissions.is_staff(user, institution)
    access = institution_permissions.staff_access(user, institution)  # one reading of the roles, the same answers
    assert (access.is_staff, access.can_answer_cases, access.can_edit_content, access.can_manage_staff) == (
        True, answers, edits, manages)
    assert not institution_permissions.staff_access(user, make_institution()).is_staff


def test_a_platform_admin_manages_staff_without_a_role_and_a_visitor_has_no_access(make_institution, make_user):
    from flask_login import AnonymousUserMixin

    institution = make_institution()
    admin = institution_permissions.staff_access(make_user("Administrators", is_admin=True), institution)
    assert admin.can_manage_staff and not admin.is_staff and not admin.can_answer_cases
    visitor = institution_permissions.staff_access(AnonymousUserMixin(), institution)
    assert not (visitor.is_staff or visitor.can_manage_staff or visitor.can_answer_cases or visitor.can_edit_content)


def test_nobody_acts_on_another_institutions_case(client, login, make_case, make_staff, make_institution):
    case = make_case()
    outsider = make_staff(make_institution(), role=StaffRole.ADMIN)
    assert not case_permissions.can_answer(outsider, case)
    assert not case_permissions.can_extend(outsider, case)
    assert not case_permissions.can_forward(outsider, case)
    assert not case_permissions.can_mark_not_examined(outsider, case)
    login(outsider)
    for action in ("answer", "extend", "forward", "not-examined"):
        assert client.get(f"/cases/{case.id}/{action}").status_code == 403
        assert client.post(f"/cases/{case.id}/{action}", data={"position": "accepted", "text": "x", "reason": "x"}).status_code == 403
    assert client.get(f"/institutions/{case.institution.slug}/inbox").status_code == 403
    assert client.get(f"/institutions/{case.institution.slug}/offline").status_code == 403


def test_residents_moderators_and_platform_admins_do_not_answer(make_case, make_user):
    case = make_case()
    for user in (make_user(), make_user(is_moderator=True), make_user(is_admin=True)):
        assert not case_permissions.can_answer(user, case)
    assert is_moderator(make_user(is_moderator=True)) and not is_moderator(make_user())
    assert is_platform_admin(make_user(is_admin=True)) and not is_platform_admin(make_user(is_moderator=True))


def test_an_editor_cannot_answer(client, login, make_case, make_staff):
    case = make_case()
    login(make_staff(case.institution, role=StaffRole.EDITOR))
    assert client.post(f"/cases/{case.id}/answer", data={"position": "accepted", "text": "x"}).status_code == 403


def test_only_another_institutions_responder_cannot_correct(make_case, make_staff, make_institution):
    case = make_case()
    responder = make_staff(case.institution)
    response = services.answer_case(case, responder, Position.ACCEPTED, "Jā")
    assert case_permissions.can_correct(responder, response)
    assert not case_permissions.can_correct(make_staff(make_institution()), response)


def test_anonymous_visitors_are_sent_to_log_in(client, make_case):
    case = make_case()
    response = client.get(f"/cases/{case.id}/answer")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_platform_admin_creates_institutions_and_institution_admin_manages_staff(client, login, make_user, make_staff, make_institution):
    resident = make_user()
    login(resident)
    assert client.post("/institutions/new", data={"name": "X", "slug": "x", "kind": "agency"}).status_code == 403
    client.post("/account/logout")
    login(make_user(is_admin=True))
    bad = client.post("/institutions/new", data={"name": "Valsts aģentūra", "slug": "Nav Labs", "kind": "agency"})
    assert bad.status_code == 400 and 'value="Valsts aģentūra"' in bad.get_data(as_text=True)
    assert client.post("/institutions/new", data={"name": "Valsts aģentūra", "slug": "aģentura".replace("ģ", "g"), "kind": "agency"}).status_code == 302
    client.post("/account/logout")
    institution = make_institution()
    admin = make_staff(institution, role=StaffRole.ADMIN)
    login(admin)
    new_staff = make_user(email="jauns.darbinieks@example.lv")
    assert client.post(f"/institutions/{institution.slug}/staff", data={"email": "nav@example.lv", "role": "responder"}).status_code == 400
    assert client.post(f"/institutions/{institution.slug}/staff", data={"email": new_staff.email, "role": "responder"}).status_code == 302
    assert institution_permissions.can_answer_cases(new_staff, institution)


def test_an_institution_website_must_be_http(client, login, make_user):
    login(make_user(is_admin=True))
    response = client.post("/institutions/new", data={"name": "Iestāde", "slug": "iestade-x", "kind": "agency",
                                                       "website": "javascript://example.lv/%0aalert(1)"})
    assert response.status_code == 400
