"""The pages about the service (issue 18): privacy notice, terms and community rules, accessibility statement, contact,
with real content in Latvian and English; moderation reasons link to the rule they apply."""
import pytest

from participation import legal
from participation.moderation.choices import RULE_ANCHORS
from participation.moderation.models import HideReason

PAGES = ("privacy", "terms", "accessibility", "contact")


def _page(client, path, lang="lv"):
    client.get(f"/language/{lang}")
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["lv", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_every_page_is_there_in_both_languages_and_linked_from_the_footer(client, name, lang):
    page = _page(client, f"/about/{name}", lang)
    assert f'<html lang="{lang}"' in page
    footer = page.split('<footer', 1)[1]
    for other in PAGES:
        assert f'href="/about/{other}"' in footer


def test_the_privacy_notice_says_what_a_data_protection_officer_asks(client, app):
    lv = _page(client, "/about/privacy", "lv")
    for words in ("pārzinis", "Kāpēc un uz kāda pamata", "6. panta 1. punkts", "Cik ilgi glabājam", "Kam datus nododam",
                  "Jūsu tiesības", "Datu valsts inspekcijai", "Arhīvu likum", "Dzēsts konts", legal.privacy_version()):
        assert words in lv, words
    assert f"{app.config['UNVERIFIED_ACCOUNT_DAYS']} dienas" in lv and f"{app.config['SECURITY_EVENTS_RETENTION_DAYS']} dienas" in lv
    en = _page(client, "/about/privacy", "en")
    for words in ("controller", "legal basis", "Article 6(1)", "How long we keep it", "Who receives data", "Your rights",
                  "Data State Inspectorate", "Archives Law", "Deleted account"):
        assert words in en, words


def test_the_operator_is_named_when_configured(client, app, monkeypatch):
    assert "demonstrācijas versija" in _page(client, "/about/privacy")
    monkeypatch.setitem(app.config, "OPERATOR_NAME", "Valsts kanceleja")
    monkeypatch.setitem(app.config, "OPERATOR_EMAIL", "lidzdaliba@example.gov.lv")
    page = _page(client, "/about/privacy")
    assert "Valsts kanceleja" in page and 'href="mailto:lidzdaliba@example.gov.lv"' in page
    assert "Valsts kanceleja" in _page(client, "/about/contact")


def test_the_accessibility_statement_has_the_parts_latvias_rules_ask_for(client):
    lv = _page(client, "/about/accessibility", "lv")
    for words in ("Nr. 445", "Atbilstības statuss", "daļēji atbilst", "WCAG", "Nepiekļūstamais saturs",
                  "pēdējo reizi pārskatīts", legal.CURRENT["ACCESSIBILITY_REVIEWED"], "Atsauksmes un kontaktinformācija",
                  "Sūdzību iesniegšana"):
        assert words in lv, words
    en = _page(client, "/about/accessibility", "en")
    for words in ("No. 445", "Compliance status", "partially compliant", "Non-accessible content", "last reviewed",
                  "Feedback and contact information"):
        assert words in en, words


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_the_terms_have_a_rule_for_every_reason_a_moderator_gives(client, lang):
    page = _page(client, "/about/terms", lang)
    assert legal.terms_version() in page
    for reason in HideReason:
        assert f'id="{RULE_ANCHORS[reason]}"' in page, reason


def test_the_public_moderation_log_links_each_reason_to_its_rule(client, make_user, make_consultation):
    from participation.consultations import services as consultation_services
    from participation.moderation import services as moderation_services

    consultation = make_consultation(with_comment=False)
    comment = consultation_services.add_comment(consultation, make_user(), "Pērc lētus apavus!")
    moderation_services.hide(comment, make_user(is_moderator=True), HideReason.SPAM)
    page = _page(client, "/moderation/log")
    assert 'href="/about/terms#rule-spam"' in page


def test_an_unknown_page_is_not_found(client):
    assert client.get("/about/nothing").status_code == 404
