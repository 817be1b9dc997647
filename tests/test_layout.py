"""The one layout: the platform's own brand on GOV.UK Frontend, the navigation each person needs, breadcrumbs below
the top level, the footer's pages, and nothing loaded from another origin."""
import re

import pytest

from participation.cases import services as case_services
from participation.institutions.models import StaffRole
from participation.moderation.models import Report, ReportReason


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_every_page_carries_the_platform_brand_not_gov_uk(client, lang):
    client.get(f"/language/{lang}")
    page = _page(client, "/")
    assert 'class="govuk-generic-header"' in page and "Līdzdalība" in page
    assert "GOV.UK" not in page and "govuk-logo" not in page and "Crown copyright" not in page
    assert "nationalarchives.gov.uk" not in page
    assert '<link rel="icon" href="/static/favicon.svg"' in page
    # Styles and scripts come from our own origin only; the script is a module, nothing inline.
    for src in re.findall(r'(?:src|href)="([^"]+\.(?:css|m?js))"', page):
        assert src.startswith("/static/"), src
    assert '<script type="module" src="/static/dist/app.mjs"></script>' in page
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page) is None, "no inline script"


def test_compiled_assets_are_served_with_the_brand_colour(client):
    css = client.get("/static/dist/app.css")
    assert css.status_code == 200
    assert "#9e3039" in css.get_data(as_text=True).lower()  # the carmine brand colour
    assert "GDS Transport" not in css.get_data(as_text=True)
    module = client.get("/static/dist/app.mjs")
    assert module.status_code == 200 and b"initAll" in module.data


def test_signed_out_navigation_offers_the_four_lists_and_logging_in(client):
    page = _page(client, "/")
    nav = page[page.index('class="govuk-service-navigation"'):page.index("</nav>", page.index('class="govuk-service-navigation"'))]
    for href in ("/consultations/", "/proposals/", "/institutions/", "/groups/", "/account/login", "/account/register"):
        assert f'href="{href}"' in nav, href
    assert "Inbox" not in nav and "/moderation/" not in nav


def test_staff_see_an_inbox_link_with_open_cases_per_institution(client, login, make_institution, make_staff, make_case):
    first, second = make_institution(), make_institution()
    staff = make_staff(first, role=StaffRole.RESPONDER)
    make_staff(second, role=StaffRole.EDITOR, user=staff)
    make_case(first), make_case(first), make_case(second)
    case_services.mark_not_examined(make_case(first), staff, "Nav iestādes kompetencē")  # no longer awaits an answer
    login(staff)
    client.get("/language/en")
    page = _page(client, "/")
    links = dict(re.findall(r'href="/institutions/([^/"]+)/inbox"[^>]*>\s*Inbox: [^<]*\(<span class="app-count">(\d+)</span>\)', page))
    assert links == {first.slug: "2", second.slug: "1"}


def test_moderators_see_the_queue_size_and_residents_do_not(client, login, make_user, make_proposal, session):
    resident = make_user()
    proposal = make_proposal()
    for reporter in (make_user(), make_user()):
        session.add(Report(item_kind="proposal", item_id=proposal.id, reporter_id=reporter.id, reason=ReportReason.SPAM))
    session.commit()
    login(resident)
    client.get("/language/en")
    assert "/moderation/" not in _page(client, "/").split("<main")[0]
    client.post("/account/logout", data={})
    login(make_user(is_moderator=True))
    client.get("/language/en")
    header = _page(client, "/").split("<main")[0]
    count = re.search(r'href="/moderation/"[^>]*>\s*(?:<strong[^>]*>)?Moderation \(<span class="app-count">(\d+)</span>\)', header)
    assert count is not None
    assert count.group(1) == "1"  # the reported proposal counts once however many reports it has


@pytest.mark.parametrize("name", ["privacy", "terms", "accessibility", "contact"])
@pytest.mark.parametrize("lang", ["lv", "en"])
def test_footer_pages_exist_with_real_text_in_both_languages(client, name, lang):
    client.get(f"/language/{lang}")
    home = _page(client, "/")
    footer = home[home.index('<footer class="govuk-footer">'):]
    assert f'href="/about/{name}"' in footer
    assert 'href="/moderation/log"' in footer
    page = _page(client, f"/about/{name}")
    main = page[page.index("<main"):page.index("</main>")]
    assert main.count('class="govuk-body') >= 2  # a short text, not a placeholder
    assert 'class="govuk-breadcrumbs' in page


def test_an_unknown_about_page_is_not_found(client):
    assert client.get("/about/nothing").status_code == 404


def test_top_level_pages_have_no_breadcrumbs(client):
    for url in ("/", "/consultations/", "/proposals/", "/institutions/", "/groups/"):
        assert 'class="govuk-breadcrumbs' not in _page(client, url), url


def test_staff_find_website_feedback_from_the_inbox(client, login, make_institution, make_staff):
    institution = make_institution()
    login(make_staff(institution))
    page = _page(client, f"/institutions/{institution.slug}/inbox")
    assert f'href="/institutions/{institution.slug}/feedback/"' in page
    assert client.get(f"/institutions/{institution.slug}/feedback/").status_code == 200
