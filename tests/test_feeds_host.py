"""Issue 14, item 9: the Atom feeds and the iCalendar never take the Host header (or the request's scheme): every id,
link and UID there is built from PUBLIC_BASE_URL (participation.urls.absolute_url)."""
import re
import xml.etree.ElementTree as ET

import icalendar
import pytest

ATOM = "{http://www.w3.org/2005/Atom}"
PUBLIC = "https://lidzdaliba.example.lv"
FORGED = {"base_url": "http://evil.example:8080", "headers": {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"}}


@pytest.fixture
def public_address(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", PUBLIC + "/")  # a trailing slash is allowed
    return PUBLIC


def _atom_urls(body: bytes) -> list[str]:
    root = ET.fromstring(body)
    urls = [root.findtext(f"{ATOM}id")] + [link.get("href") for link in root.findall(f"{ATOM}link")]
    for entry in root.findall(f"{ATOM}entry"):
        urls.append(entry.findtext(f"{ATOM}id"))
        urls += [link.get("href") for link in entry.findall(f"{ATOM}link")]
    return urls


def test_the_atom_feed_ignores_a_forged_host(client, make_consultation, public_address):
    consultation = make_consultation()
    response = client.get("/consultations/feed.atom?x=1", **FORGED)
    assert response.status_code == 200
    assert b"evil" not in response.data
    urls = _atom_urls(response.data)
    assert urls[0] == f"{PUBLIC}/consultations/feed.atom"  # the feed's id and self link: no query string either
    assert f"{PUBLIC}/consultations/feed.atom" in urls[1:] and f"{PUBLIC}/consultations/" in urls
    assert f"{PUBLIC}/consultations/{consultation.id}" in urls
    assert all(url.startswith(PUBLIC + "/") for url in urls), urls


def test_an_institutions_feed_ignores_a_forged_host(client, make_consultation, public_address):
    consultation = make_consultation()
    slug = consultation.institution.slug
    response = client.get(f"/institutions/{slug}/consultations.atom", **FORGED)
    assert response.status_code == 200
    assert b"evil" not in response.data
    urls = _atom_urls(response.data)
    assert urls[0] == f"{PUBLIC}/institutions/{slug}/consultations.atom"
    assert f"{PUBLIC}/institutions/{slug}" in urls and f"{PUBLIC}/consultations/{consultation.id}" in urls
    assert all(url.startswith(PUBLIC + "/") for url in urls), urls


def test_the_calendar_ignores_a_forged_host(client, make_consultation, public_address):
    consultation = make_consultation()
    response = client.get("/consultations/closing-dates.ics", **FORGED)
    assert response.status_code == 200
    assert b"evil" not in response.data
    calendar = icalendar.Calendar.from_ical(response.data)
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    uid = f"consultation-{consultation.id}@lidzdaliba.example.lv"
    assert uid in events
    assert all(re.fullmatch(r"consultation-\d+@lidzdaliba\.example\.lv", key) for key in events)
    assert str(events[uid]["URL"]) == f"{PUBLIC}/consultations/{consultation.id}"
    assert f"{PUBLIC}/consultations/{consultation.id}" in str(events[uid]["DESCRIPTION"])
