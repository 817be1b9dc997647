"""Listed comments read as plain rows: the columns the comments page and the summary table show, not ORM objects with
their author, group, section, case and replies loaded. A page builds a few dozen small objects instead of over a
hundred mapped ones, and the templates and permission checks read them with the same names as a `Comment`."""
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import aliased

from participation.accounts.models import User
from participation.cases.models import Case, CaseState, Position, Response, not_superseded
from participation.cases.rows import Author
from participation.consultations.models import Comment, Section, comment_number, section_label
from participation.extensions import db
from participation.groups.models import Group
from participation.moderation.models import Moderation, ModerationState


@dataclass(frozen=True, slots=True)
class SectionLabel:
    id: int
    label: str


@dataclass(frozen=True, slots=True)
class GroupLabel:
    """The group a comment was written for: its name, and whether a platform administrator confirmed it."""

    id: int
    name: str
    is_verified: bool
    is_hidden: bool


@dataclass(frozen=True, slots=True)
class CaseState_:
    id: int
    state: CaseState
    position: Position | None


@dataclass(frozen=True, slots=True)
class Answer:
    """The text of the case's answer in force (the newest response that no correction superseded), with its HTML
    stored when it was written (participation/text.py)."""

    text: str
    text_html: str | None = None
    html_policy: int | None = None


@dataclass(slots=True)
class ListedComment(ModerationState):
    """What a listed comment shows (the names of `Comment` and its relations)."""

    id: int
    section_id: int | None
    parent_id: int | None
    author_id: int
    case_id: int | None
    represents: str
    show_name: bool
    text: str
    created_at: datetime
    moderation: Moderation
    hidden_at: datetime | None
    hidden_reason: str
    highlighted: bool
    off_topic: bool
    author: Author
    group: GroupLabel | None
    section: SectionLabel | None
    case: CaseState_ | None
    answer: Answer | None
    text_html: str | None = None  # stored when written (participation/text.py), shown by the `stored_html` filter
    html_policy: int | None = None
    replies: list["ListedComment"] = field(default_factory=list)

    @property
    def number(self) -> str:
        return comment_number(self.id)


def _answer_id():
    """The newest response of the comment's case that no correction superseded."""
    return (
        select(Response.id)
        .where(Response.case_id == Comment.case_id, not_superseded())
        .order_by(Response.created_at.desc(), Response.id.desc())
        .limit(1)
        .scalar_subquery()
    )


_answer = aliased(Response)


def statement():
    """Every listed comment's columns, with its case's answer in force. Names and the answer come as one-row
    subqueries and the section and case as outer joins: PostgreSQL plans that in a fraction of the time six joined
    tables take, and a page needs no second query for its answers."""
    return (
        select(Comment.id, Comment.section_id, Comment.parent_id, Comment.author_id, Comment.case_id,
               Comment.represents, Comment.show_name, Comment.text, Comment.created_at, Comment.moderation,
               Comment.hidden_at, Comment.hidden_reason, Comment.highlighted, Comment.off_topic,
               select(User.display_name).where(User.id == Comment.author_id).scalar_subquery(),
               Comment.group_id, Group.name, Group.verified_at, Group.hidden_at,
               Section.number, Section.heading, Section.text, Case.state, Case.position,
               _answer.text, Comment.text_html, Comment.html_policy, _answer.text_html, _answer.html_policy)
        .outerjoin(Group, Group.id == Comment.group_id)  # a subquery per row would scan the few groups each time
        .outerjoin(Section, Section.id == Comment.section_id)
        .outerjoin(Case, Case.id == Comment.case_id)
        .outerjoin(_answer, _answer.id == _answer_id())  # the answer in force: its text and stored HTML
    )


def _comment(row) -> ListedComment:
    (id_, section_id, parent_id, author_id, case_id, represents, show_name, text, created_at, moderation, hidden_at,
     hidden_reason, highlighted, off_topic, author_name, group_id, group_name, group_verified_at, group_hidden_at, number, heading, section_text,
     case_state, case_position, answer_text, text_html, html_policy, answer_html, answer_policy) = row
    return ListedComment(
        id_, section_id, parent_id, author_id, case_id, represents, show_name, text, created_at, moderation, hidden_at,
        hidden_reason, highlighted, off_topic, Author(author_id, author_name),
        GroupLabel(group_id, group_name, group_verified_at is not None, group_hidden_at is not None) if group_id else None,
        SectionLabel(section_id, section_label(number, heading, section_text)) if section_id else None,
        CaseState_(case_id, case_state, case_position) if case_id else None,
        Answer(answer_text, answer_html, answer_policy) if answer_text is not None else None, text_html, html_policy)


def listed(query, params: dict, replies: bool = False) -> list[ListedComment]:
    """The comments `query` (built on `statement()`) gives with `params`, in its order; `replies`: each with its
    replies, oldest first, read in one more query."""
    comments = listed_from(db.session.execute(query, params))
    if replies and comments:
        by_id = {c.id: c for c in comments}
        for reply in listed_from(db.session.execute(_replies_statement(), {"parent_ids": list(by_id)})):
            by_id[reply.parent_id].replies.append(reply)
    return comments


@cache
def _replies_statement():
    return statement().where(Comment.parent_id.in_(bindparam("parent_ids", expanding=True))).order_by(Comment.id)


def listed_from(result_rows) -> list[ListedComment]:
    """Plain comments from rows of `statement()` already read (e.g. a batch of a streamed export)."""
    return [_comment(row) for row in result_rows]


def answers_of(comments: list[ListedComment]) -> dict[int, Answer]:
    """The answers in force by case id, as the templates and fragment keys read them."""
    return {c.case_id: c.answer for c in comments if c.answer is not None}
