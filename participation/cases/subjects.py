"""What a case is about, as the staff's action pages show it above the form: the submission's words, moderated as on
the public pages (a hidden contribution shows its notice to whoever may not read it).

The spine knows no channel. A channel whose text is not the case's own copy (a proposal's problem, solution and
benefit) registers a reader at start-up (``register(Channel.PROPOSAL, read)``); any other case shows its `body`, and the
moderated contribution behind it, if a moderated model points at the case (`case_id`), decides what may be read.
"""
from dataclasses import dataclass
from typing import Callable

from participation.i18n import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from participation.cases.models import Case, Channel
from participation.extensions import db
from participation.text import render_user_text


@dataclass(frozen=True)
class Subject:
    """The words a case is about: `text` is sanitised HTML; `item` is the moderated contribution (of moderation's
    `kind`) when there is one, and `label` names it without its words (for someone who may not read them)."""

    text: Markup
    label: str
    item: object | None = None
    kind: str | None = None


_readers: dict[Channel, Callable[[Case], Subject | None]] = {}


def register(channel: Channel, reader: Callable[[Case], Subject | None]) -> None:
    _readers[channel] = reader


def _moderated_item(case: Case) -> tuple[object | None, str | None]:
    """The moderated contribution that opened the case, found through the channels moderation knows."""
    from participation.moderation import registry

    for channel in registry.channels():
        column = getattr(channel.model, "case_id", None)
        if column is None:
            continue
        item = db.session.scalars(select(channel.model).where(column == case.id)).first()
        if item is not None:
            return item, channel.kind
    return None, None


def subject_of(case: Case) -> Subject:
    reader = _readers.get(case.channel)
    subject = reader(case) if reader else None
    if subject is not None:
        return subject
    item, kind = _moderated_item(case)
    return Subject(render_user_text(case.body) if case.body else Markup(""), _("Case %(number)s", number=case.number),
                   item, kind)
