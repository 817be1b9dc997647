"""Read-only queries for consultation pages, each with a fixed number of SQL statements."""
from dataclasses import dataclass
from functools import cache

from sqlalchemy import case as when
from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from participation.moderation.models import Moderation
from participation.clock import utcnow
from participation.consultations.models import Attachment, Comment, Consultation, DraftVersion, Section, WindowExtension
from participation.extensions import db
from participation.consultations import rows
from participation.pages import Page, count_rows, load_models, page_by_ids, page_by_keys

PER_PAGE = 20


def public_list(page=1, institution_id=None, kind=None, policy_area=None, state=None, search=""):
    """Open consultations first (closing soonest first), then scheduled, then closed (latest first)."""
    now = utcnow()
    is_open = (Consultation.opens_at <= now) & (Consultation.closes_at >= now)
    is_scheduled = Consultation.opens_at > now
    query = (
        select(Consultation.id)
        .where(Consultation.published_at.is_not(None))
        .order_by(
            when((is_open, 0), (is_scheduled, 1), else_=2),
            when((is_open, Consultation.closes_at), (is_scheduled, Consultation.opens_at), else_=None),
            Consultation.closes_at.desc(),
            Consultation.id.desc(),
        )
    )
    if institution_id:
        query = query.where(Consultation.institution_id == institution_id)
    if kind:
        query = query.where(Consultation.kind == kind)
    if policy_area:
        query = query.where(Consultation.policy_area == policy_area)
    if state == "open":
        query = query.where(is_open)
    elif state == "scheduled":
        query = query.where(is_scheduled)
    elif state == "closed":
        query = query.where(Consultation.closes_at < now)
    if search:
        # The one search (issue 19): words in any form, diacritics and case ignored (published consultations only).
        from participation.search.services import matching_items

        query = query.where(Consultation.id.in_(matching_items("consultation", search, None)))
    return page_by_ids(query, page, PER_PAGE, _LOAD_CARDS)


_LOAD_CARDS = load_models(Consultation, joinedload(Consultation.institution))


@cache
def _for_page_statement():
    return (select(Consultation)
            .where(Consultation.id == bindparam("consultation_id"))
            .options(joinedload(Consultation.institution), joinedload(Consultation.versions)))  # one query: few versions


def for_page(consultation_id: int) -> Consultation | None:
    return db.session.scalars(_for_page_statement(), {"consultation_id": consultation_id}).unique().first()


@cache
def _sections_statement():
    return select(Section).where(Section.version_id == bindparam("version_id")).order_by(Section.position)


def version_sections(version_id: int) -> list[Section]:
    return list(db.session.scalars(_sections_statement(), {"version_id": version_id}))


def comment_counts(consultation: Consultation, sections: list[Section], public: bool = False) -> dict[int | None, int]:
    """Top-level comments per section of the first version (None: on the whole draft), read from the counters
    that services.count_comment keeps: no rows are counted per page. `public`: the totals shown to readers, without
    the comments a moderator hid (services.count_hidden); without it, every listed comment (what a page lists)."""
    if public:
        counts: dict[int | None, int] = {s.id: max(0, s.comment_count - s.hidden_count) for s in sections}
        counts[None] = max(0, consultation.comment_count - consultation.hidden_count - sum(counts.values()))
        return counts
    counts = {s.id: s.comment_count for s in sections}
    counts[None] = max(0, consultation.comment_count - sum(counts.values()))
    return counts


def public_total(consultation: Consultation) -> int:
    """Top-level comments shown publicly: without the hidden ones."""
    return max(0, consultation.comment_count - consultation.hidden_count)


def listing_page_of(comment: Comment, on: str, viewer_id: int | None) -> int:
    """The page of a comments listing (`on` "section" or "whole") on which a top-level comment is shown, in the
    listing's order (highlighted first, off-topic last, then oldest first): one count of the comments before it."""
    h, o = bool(comment.highlighted), bool(comment.off_topic)
    same_h = Comment.highlighted == h
    before = [same_h & (Comment.off_topic == o) & (Comment.id < comment.id)]
    if not h:
        before.append(Comment.highlighted == True)  # noqa: E712 (SQL)
    if o:
        before.append(same_h & (Comment.off_topic == False))  # noqa: E712 (SQL)
    params = {"consultation_id": comment.consultation_id, "viewer_id": viewer_id or 0, "section_id": comment.section_id}
    ahead = db.session.scalar(select(func.count(Comment.id)).where(*_listing_where(on), or_(*before)), params)
    return ahead // PER_PAGE + 1


def _listing_where(on: str) -> list:
    """Which top-level comments a comments page lists: `on` "all", one "section", or the "whole" draft only.
    The values come as parameters, so each of the statements built from it reads the same way for everyone."""
    where = [Comment.consultation_id == bindparam("consultation_id"), Comment.parent_id.is_(None),
             or_(Comment.moderation == Moderation.APPROVED, Comment.author_id == bindparam("viewer_id"))]
    if on == "section":
        where.append(Comment.section_id == bindparam("section_id"))
    elif on == "whole":
        where.append(Comment.section_id.is_(None))
    return where


# The listing's order (highlighted, constructive comments first, off-topic ones last, otherwise oldest first), all
# ascending: NOT highlighted puts the highlighted first. The indexes ix_comments_listed and ix_comments_section_listed
# hold it (models.py), so a page is one short index range from where the page before ended.
LISTING_ORDER = [~Comment.highlighted, Comment.off_topic, Comment.id]


@cache
def _own_unapproved_statement(on: str):
    return select(func.count(Comment.id)).where(*_listing_where(on), Comment.author_id == bindparam("viewer_id"),
                                                Comment.moderation != Moderation.APPROVED)


def comments_page(consultation_id: int, page: int = 1, section_id: int | None = None, whole_draft: bool = False,
                  total: int | None = None, viewer_id: int | None = None, after: str | None = None,
                  before: str | None = None) -> Page:
    """Top-level comments with their replies, as plain rows (consultations/rows.py), a keyed page
    (participation/pages.py): the pager's links start a page after (or before) a comment's place in the listing's
    order, so page 500 costs what page 1 does. `total` (from the counters) spares the count of every matching row;
    without it the rows are counted."""
    on = "section" if section_id else "whole" if whole_draft else "all"
    params = {"consultation_id": consultation_id, "viewer_id": viewer_id or 0, "section_id": section_id}
    ids = select(Comment.id).where(*_listing_where(on))
    if total is None:
        total = count_rows(ids, params)
    elif viewer_id:
        # The counters hold the approved comments; the listing also shows the viewer their own waiting ones, and the
        # last page is read back from the total (from the author's index: a person writes few).
        total += db.session.scalar(_own_unapproved_statement(on), params) or 0
    return page_by_keys(ids, LISTING_ORDER, page, PER_PAGE,
                        lambda found: rows.listed(_comments_by_ids_statement(), {"ids": found}, replies=True),
                        total, descending=False, after=after, before=before, params=params)


def extensions(consultation_id: int) -> list[WindowExtension]:
    return list(db.session.scalars(
        select(WindowExtension).where(WindowExtension.consultation_id == consultation_id).order_by(WindowExtension.id)
    ))


def attachments(consultation_id: int) -> list[Attachment]:
    return list(db.session.scalars(select(Attachment).where(Attachment.consultation_id == consultation_id).order_by(Attachment.id)))


def _summary_where() -> tuple:
    return (Comment.consultation_id == bindparam("consultation_id"), Comment.parent_id.is_(None),
            Comment.moderation == Moderation.APPROVED)


def _summary_order(query):
    """The summary's order: the whole draft first, then section by section, each in the order received.
    The join names the consultation's own versions, so the planner reads a few sections, not all of them."""
    own_versions = select(DraftVersion.id).where(DraftVersion.consultation_id == bindparam("consultation_id"))
    ordering = aliased(Section)
    return (
        query.outerjoin(ordering, (ordering.id == Comment.section_id) & ordering.version_id.in_(own_versions))
        .order_by(func.coalesce(ordering.position, -1), Comment.id)
    )


@cache
def _summary_statement():
    """Every row of the summary, in its order (the export and the printable copy)."""
    return _summary_order(rows.statement().where(*_summary_where()))


@cache
def _summary_ids_statement():
    """The ids of the summary in its order: narrow rows sort fast, and only a page's rows are read afterwards."""
    return _summary_order(select(Comment.id).where(*_summary_where()))


@cache
def _comments_by_ids_statement():
    return rows.statement().where(Comment.id.in_(bindparam("ids", expanding=True)))


def summary_rows(consultation_id: int) -> list[rows.ListedComment]:
    """Every top-level comment with its case (position), as plain rows, in the order received."""
    return rows.listed(rows.statement().where(*_summary_where()).order_by(Comment.id), {"consultation_id": consultation_id})


def summary_batches(consultation_id: int, size: int = 500):
    """The summary's rows in the table's order (the whole draft first, then section by section), `size` at a time
    (a server-side cursor on PostgreSQL), for a streamed export of any length."""
    result = db.session.execute(_summary_statement().execution_options(yield_per=size), {"consultation_id": consultation_id})
    for batch in result.partitions():
        yield rows.listed_from(batch)


SUMMARY_PER_PAGE = 50


def summary_page(consultation_id: int, page: int = 1, whole: bool = False, total: int | None = None) -> Page:
    """A page of the summary table (`whole`: every row, for the printable copy), as plain rows. `total` (the
    consultation's comment counter) spares counting the rows."""
    params = {"consultation_id": consultation_id}
    if whole:
        items = rows.listed(_summary_statement(), params)
        return Page(items, 1, max(1, len(items)), len(items))
    return page_by_ids(_summary_ids_statement(), page, SUMMARY_PER_PAGE,
                       lambda ids: rows.listed(_comments_by_ids_statement(), {"ids": ids}), total, params)


@dataclass(frozen=True)
class DraftRow:
    """An unpublished consultation in its editors' list, with how many sections and attachments it has."""

    consultation: Consultation
    sections: int
    attachments: int


def drafts_of(institution_ids: list[int]) -> list[DraftRow]:
    """The unpublished consultations of these institutions, newest first, in one query."""
    if not institution_ids:
        return []
    sections = (select(func.count(Section.id)).join(DraftVersion, DraftVersion.id == Section.version_id)
                .where(DraftVersion.consultation_id == Consultation.id, DraftVersion.number == 1).scalar_subquery())
    files = select(func.count(Attachment.id)).where(Attachment.consultation_id == Consultation.id).scalar_subquery()
    found = db.session.execute(
        select(Consultation, sections, files)
        .where(Consultation.published_at.is_(None), Consultation.institution_id.in_(institution_ids))
        .options(joinedload(Consultation.institution))
        .order_by(Consultation.created_at.desc(), Consultation.id.desc())
    ).all()
    return [DraftRow(c, n or 0, a or 0) for c, n, a in found]
