"""Consultations for other programs: an Atom feed of new ones and an iCalendar of closing dates."""
import re
from datetime import datetime, timezone

from feedgen.feed import FeedGenerator
from icalendar import Calendar, Event

from participation.clock import to_riga, utcnow

# Characters XML 1.0 forbids (control characters pasted from word processors would make lxml refuse the feed).
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    """Text (lazy translations too) with the characters XML 1.0 cannot carry removed."""
    return NOT_XML.sub("", str(text or ""))


def _utc(moment: datetime) -> datetime:
    """A naive-UTC datetime from the database as an aware UTC datetime."""
    return moment.replace(tzinfo=timezone.utc)


def atom_feed(entries, feed_id: str, title: str, self_url: str, home_url: str, language: str) -> bytes:
    """An Atom 1.0 feed of consultations, newest first."""
    entries = sorted(entries, key=lambda entry: (entry.published_at, entry.id), reverse=True)
    feed = FeedGenerator()
    feed.id(feed_id)
    feed.title(_xml_text(title))
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    feed.link(href=home_url, rel="alternate", type="text/html")
    feed.language(language)
    feed.updated(_utc(entries[0].published_at if entries else utcnow()))
    for entry in entries:
        item = feed.add_entry(order="append")
        item.id(entry.url)
        item.title(_xml_text(entry.title))
        item.link(href=entry.url, rel="alternate", type="text/html")
        item.summary(_xml_text(entry.summary))
        item.published(_utc(entry.published_at))
        item.updated(_utc(entry.published_at))
        item.author(name=_xml_text(entry.institution_name))
    return feed.atom_str(pretty=True)


def closing_dates_calendar(entries, calendar_name: str, host: str) -> bytes:
    """An iCalendar with one event per consultation at its closing moment, in Riga time."""
    calendar = Calendar()
    calendar.add("prodid", "-//Lidzdaliba//Consultations//LV")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", str(calendar_name))
    stamp = _utc(utcnow())
    for entry in sorted((e for e in entries if e.closes_at), key=lambda entry: (entry.closes_at, entry.id)):
        event = Event()
        event.add("uid", f"consultation-{entry.id}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", to_riga(entry.closes_at))  # no DTEND: a zero-length event (RFC 5545 3.6.1)
        event.add("summary", entry.title)
        event.add("description", f"{entry.institution_name}\n{entry.url}")
        event.add("url", entry.url)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
