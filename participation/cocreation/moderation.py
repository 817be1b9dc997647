"""How moderation finds and describes co-creation ideas and amendments (reports and hiding through the shared mixin)."""
from participation.i18n import gettext as _
from sqlalchemy import literal, select
from sqlalchemy.orm import joinedload

from participation.cocreation.models import Amendment, Idea
from participation.cocreation.services import amendment_path, idea_path
from participation.extensions import db
from participation.moderation import registry
from participation.moderation.models import Moderation

IDEA = "cc_idea"
AMENDMENT = "cc_amendment"


def _describe_ideas(ids: list[int]) -> dict[int, registry.ItemView]:
    rows = db.session.scalars(select(Idea).where(Idea.id.in_(ids)).options(joinedload(Idea.author), joinedload(Idea.process))).all()
    return {idea.id: registry.ItemView(kind=IDEA, id=idea.id, item=idea, label=_("Idea %(number)s", number=idea.number),
                                       context=_("in the co-creation of \"%(title)s\"", title=idea.process.title),
                                       url=idea_path(idea), author=idea.author, text=f"{idea.title}\n\n{idea.text}")
            for idea in rows}


def _describe_amendments(ids: list[int]) -> dict[int, registry.ItemView]:
    rows = db.session.scalars(select(Amendment).where(Amendment.id.in_(ids))
                              .options(joinedload(Amendment.author), joinedload(Amendment.process))).all()
    return {a.id: registry.ItemView(kind=AMENDMENT, id=a.id, item=a, label=_("Amendment %(number)s", number=a.number),
                                    context=_("in the co-creation of \"%(title)s\"", title=a.process.title),
                                    url=amendment_path(a), author=a.author, text=f"{a.text}\n\n{a.reason}".strip())
            for a in rows}


def _pending(model, kind):
    return lambda: select(literal(kind).label("kind"), model.id.label("item_id"), model.created_at.label("since")).where(
        model.moderation == Moderation.PENDING)


def _on_visibility_changed(item) -> None:
    """The case holds the contribution's words: it is public exactly when they are."""
    if item.case is not None:
        item.case.is_private = item.is_hidden or item.is_pending


def register() -> None:
    registry.register(registry.Channel(kind=IDEA, model=Idea, describe=_describe_ideas, pending=_pending(Idea, IDEA),
                                       on_approved=_on_visibility_changed, on_visibility_changed=_on_visibility_changed))
    registry.register(registry.Channel(kind=AMENDMENT, model=Amendment, describe=_describe_amendments,
                                       pending=_pending(Amendment, AMENDMENT), on_approved=_on_visibility_changed,
                                       on_visibility_changed=_on_visibility_changed))
