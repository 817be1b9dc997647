"""Every public page renders in both languages, and a staff member's pages render too."""
import pytest

from participation.cases import services
from participation.cases.models import Position


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_public_pages_render_in_both_languages(client, make_case, make_group, lang):
    case = make_case()
    group = make_group()
    client.get(f"/language/{lang}")
    for url in ["/", "/institutions/", f"/institutions/{case.institution.slug}", f"/institutions/{case.institution.slug}/log",
                "/groups/", f"/groups/{group.slug}", f"/cases/{case.id}", "/account/register", "/account/login", "/account/reset"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{lang}" class="govuk-template">' in response.get_data(as_text=True), url


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_staff_and_admin_pages_render_in_both_languages(client, login, make_case, make_staff, make_user, lang):
    from participation.institutions.models import StaffRole

    case = make_case()
    staff = make_staff(case.institution, role=StaffRole.ADMIN)
    staff.is_admin = True
    answer = services.answer_case(make_case(case.institution), staff, Position.ACCEPTED, "Jā")
    login(staff)
    client.get(f"/language/{lang}")
    slug = case.institution.slug
    for url in [f"/institutions/{slug}/inbox", f"/institutions/{slug}/offline", f"/institutions/{slug}/staff",
                f"/cases/{case.id}", f"/cases/{case.id}/answer", f"/cases/{case.id}/extend", f"/cases/{case.id}/forward",
                f"/cases/{case.id}/not-examined", f"/responses/{answer.id}/correct", "/account/profile", "/groups/new",
                "/institutions/new", "/admin/users"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{lang}" class="govuk-template">' in response.get_data(as_text=True), url


@pytest.mark.parametrize("lang, heading", [("lv", "Jums nav tiesību to darīt"), ("en", "You may not do this")])
def test_403_page_in_both_languages(client, login, make_user, make_institution, lang, heading):
    login(make_user())
    client.get(f"/language/{lang}")
    response = client.get(f"/institutions/{make_institution().slug}/inbox")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert f'<html lang="{lang}" class="govuk-template">' in page and heading in page
