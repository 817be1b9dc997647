"""How moderation finds and describes website feedback: pre-moderated feedback, and feedback an institution asks to
publish, wait in the moderators' queue; a moderator may hide published feedback."""
from participation.i18n import gettext as _
from sqlalchemy import literal, select
from sqlalchemy.orm import joinedload

from participation.extensions import db
from participation.feedback import services
from participation.feedback.models import Feedback, Publication
from participation.moderation import registry
from participation.moderation.models import Moderation

KIND = "feedback"


def describe(ids: list[int]) -> dict[int, registry.ItemView]:
    rows = db.session.scalars(select(Feedback).where(Feedback.id.in_(ids))
                              .options(joinedload(Feedback.author), joinedload(Feedback.institution))).all()
    views = {}
    for feedback in rows:
        if feedback.publication == Publication.REQUESTED:
            context = _("%(institution)s asks to publish it, on %(page)s", institution=feedback.institution.name, page=feedback.page_url)
        else:
            context = _("to %(institution)s, on %(page)s", institution=feedback.institution.name, page=feedback.page_url)
        views[feedback.id] = registry.ItemView(
            kind=KIND, id=feedback.id, item=feedback, label=_("Website feedback no. %(number)d", number=feedback.id),
            context=context, url=f"/feedback/{feedback.id}", author=feedback.author, text=feedback.text,
        )
    return views


def _pending():
    return select(literal(KIND).label("kind"), Feedback.id.label("item_id"), Feedback.created_at.label("since")).where(
        Feedback.moderation == Moderation.PENDING)


def register() -> None:
    registry.register(registry.Channel(
        kind=KIND, model=Feedback, describe=describe, pending=_pending, on_approved=services.on_approved,
        on_visibility_changed=services.on_visibility_changed,
        # Private feedback is the institution's alone: moderation reaches it only when it waits or was published.
        moderatable=lambda feedback: feedback.is_pending or feedback.publication != Publication.PRIVATE,
    ))
