"""How moderation finds and describes comments on consultations."""
from participation.i18n import gettext as _
from sqlalchemy import literal, select
from sqlalchemy.orm import joinedload

from participation.consultations.models import Comment
from participation.extensions import db
from participation.moderation import registry
from participation.moderation.models import Moderation

KIND = "comment"


def describe(ids: list[int]) -> dict[int, registry.ItemView]:
    from participation.consultations.services import comment_path

    comments = db.session.scalars(
        select(Comment).where(Comment.id.in_(ids))
        .options(joinedload(Comment.author), joinedload(Comment.section), joinedload(Comment.consultation))
    ).all()
    views = {}
    for comment in comments:
        consultation = comment.consultation
        where = _("consultation \"%(title)s\"", title=consultation.title)
        if comment.section is not None:
            where = _("%(where)s, section %(section)s", where=where, section=comment.section.label)
        if comment.parent_id is not None:
            where = _("%(where)s, a reply", where=where)
        views[comment.id] = registry.ItemView(
            kind=KIND, id=comment.id, item=comment, label=_("Comment %(number)s", number=comment.number),
            context=where,
            url=comment_path(comment),  # relative: after a report the reader returns to the comment where it is listed
            author=comment.author, text=comment.text,
        )
    return views


def _pending():
    return select(literal(KIND).label("kind"), Comment.id.label("item_id"), Comment.created_at.label("since")).where(
        Comment.moderation == Moderation.PENDING
    )


def _on_approved(comment: Comment) -> None:
    """An approved comment is counted; approved after the window closed, it still becomes a case like the others."""
    from participation.consultations.services import count_comment, count_hidden, open_comment_case

    count_comment(comment, 1)
    if comment.is_hidden:  # hidden while it waited: counted, but not in the public totals
        count_hidden(comment, 1)
    # count_comment's UPDATE holds the consultation's row: a closing step that ran meanwhile has committed, so read
    # whether it did again (it locks the same row first, and one that starts now will see this comment approved).
    db.session.refresh(comment.consultation, ["cases_opened_at"])
    if comment.parent_id is None and comment.case_id is None and comment.consultation.cases_opened_at is not None:
        open_comment_case(comment)


def _on_visibility_changed(comment: Comment) -> None:
    """The comment's case carries a copy of its text: a hidden comment's case leaves the public log and page
    (the institution still sees and answers it)."""
    from participation.consultations.services import count_hidden

    count_hidden(comment, 1 if comment.is_hidden else -1)
    if comment.case is not None:
        comment.case.is_private = comment.is_hidden or comment.is_pending


def register() -> None:
    registry.register(registry.Channel(
        kind=KIND, model=Comment, describe=describe, pending=_pending, on_approved=_on_approved, on_visibility_changed=_on_visibility_changed,
    ))
