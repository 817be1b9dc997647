"""A process's Atom feed: every stage change, draft, decision and amendment of its timeline, newest first."""
from types import SimpleNamespace

from markupsafe import Markup

from participation.cocreation.models import CoCreation
from participation.consultations.feeds import atom_feed
from participation.urls import absolute_url


def process_feed(process: CoCreation, events, language: str) -> bytes:
    from flask import render_template

    home = absolute_url("cocreation.show", process_id=process.id)
    entries = []
    for event in events:
        if event.amendment is not None:
            url = absolute_url("cocreation.amendment", process_id=process.id, amendment_id=event.amendment.id)
        elif event.idea is not None:
            url = absolute_url("cocreation.idea", process_id=process.id, idea_id=event.idea.id)
        else:
            url = home
        title = Markup(render_template("cocreation/_event_text.html", event=event, process=process)).striptags()
        entries.append(SimpleNamespace(id=event.id, url=f"{url}#event-{event.id}", title=title,
                                       summary=title, published_at=event.created_at, institution_name=process.institution.name))
    return atom_feed(entries, f"{home}#feed", process.title, absolute_url("cocreation.feed", process_id=process.id), home, language)
