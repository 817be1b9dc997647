"""Read-only queries for consultation pages, each with a fixed number of SQL statements."""
from sqlalchemy import case as when
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from participation.moderation.models import Moderation
from participation.cases.models import Case, CaseState
from participation.clock import utcnow
from participation.consultations.models import Attachment, Comment, Consultation, DraftVersion, Section, WindowExtension
from participation.accounts.models import User
from participation.extensions import db
from participation.groups.models import Group
from participation.pages import Page, count_rows, page_by_ids

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
        pattern = f"%{search.strip()}%"
        query = query.where(or_(Consultation.title.ilike(pattern), Consultation.summary.ilike(pattern)))
    return page_by_ids(Consultation, query, page, PER_PAGE, [joinedload(Consultation.institution)])


def for_page(consultation_id: int) -> Consultation | None:
    return db.session.scalars(
        select(Consultation)
        .where(Consultation.id == consultation_id)
        .options(joinedload(Consultation.institution), joinedload(Consultation.versions))  # one query: few versions
    ).unique().first()


def version_sections(version_id: int) -> list[Section]:
    return list(db.session.scalars(select(Section).where(Section.version_id == version_id).order_by(Section.position)))


def comment_counts(consultation: Consultation, sections: list[Section]) -> dict[int | None, int]:
    """Top-level comments per section of the first version (None: on the whole draft), read from the counters
    that services.count_comment keeps: no rows are counted per page."""
    counts: dict[int | None, int] = {s.id: s.comment_count for s in sections}
    counts[None] = max(0, consultation.comment_count - sum(counts.values()))
    return counts


def _comment_loading(replies: bool = True) -> list:
    """What a listed comment shows of its author, group, section, case (and replies): only those columns are read.
    The case comes in a query of its own: a fourth join costs PostgreSQL more to plan than a second query costs."""
    author = (User.id, User.display_name)
    options = [joinedload(Comment.author).load_only(*author), joinedload(Comment.group).load_only(Group.id, Group.name),
               joinedload(Comment.section), selectinload(Comment.case).load_only(Case.id, Case.state, Case.position)]
    if replies:
        options.append(selectinload(Comment.replies).joinedload(Comment.author).load_only(*author))
    return options


def comments_page(consultation_id: int, page: int = 1, section_id: int | None = None, whole_draft: bool = False,
                  total: int | None = None, viewer_id: int | None = None):
    """Top-level comments, oldest first, with their replies, authors, groups, sections and cases.
    `total` (from the counters) spares the count of every matching row; without it the rows are counted."""
    query = (
        select(Comment)
        .where(Comment.consultation_id == consultation_id, Comment.parent_id.is_(None),
               or_(Comment.moderation == Moderation.APPROVED, Comment.author_id == (viewer_id or 0)))
        .options(*_comment_loading())
        # Highlighted (constructive) comments first, off-topic ones last, otherwise oldest first.
        .order_by(Comment.highlighted.desc(), Comment.off_topic, Comment.id)
    )
    if section_id:
        query = query.where(Comment.section_id == section_id)
    elif whole_draft:
        query = query.where(Comment.section_id.is_(None))
    if total is None:
        return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)
    pagination = db.paginate(query, page=page, per_page=PER_PAGE, error_out=False, count=False)
    pagination.total = total
    return pagination


def extensions(consultation_id: int) -> list[WindowExtension]:
    return list(db.session.scalars(
        select(WindowExtension).where(WindowExtension.consultation_id == consultation_id).order_by(WindowExtension.id)
    ))


def attachments(consultation_id: int) -> list[Attachment]:
    return list(db.session.scalars(select(Attachment).where(Attachment.consultation_id == consultation_id).order_by(Attachment.id)))


def _summary_query(consultation_id: int):
    return (
        select(Comment)
        .where(Comment.consultation_id == consultation_id, Comment.parent_id.is_(None),
               Comment.moderation == Moderation.APPROVED)
        .options(*_comment_loading(replies=False))
    )


def summary_rows(consultation_id: int) -> list[Comment]:
    """Every top-level comment with its case (position) — the summary table is one page by nature."""
    return list(db.session.scalars(_summary_query(consultation_id).order_by(Comment.id)))


def summary_batches(consultation_id: int, size: int = 500):
    """The summary's rows in the table's order (the whole draft first, then section by section), fetched
    `size` at a time (a server-side cursor on PostgreSQL), for a streamed export of any length."""
    query = _summary_ordered(consultation_id).execution_options(yield_per=size)
    for batch in db.session.scalars(query).partitions():
        yield batch


SUMMARY_PER_PAGE = 50


def _summary_order(query, consultation_id: int):
    """The summary's order: the whole draft first, then section by section, each in the order received.
    The join names the consultation's own versions, so the planner reads a few sections, not all of them."""
    own_versions = select(DraftVersion.id).where(DraftVersion.consultation_id == consultation_id)
    return (
        query.outerjoin(Section, (Section.id == Comment.section_id) & Section.version_id.in_(own_versions))
        .order_by(func.coalesce(Section.position, -1), Comment.id)
    )


def _summary_ordered(consultation_id: int):
    return _summary_order(_summary_query(consultation_id), consultation_id)


def summary_page(consultation_id: int, page: int = 1, whole: bool = False, total: int | None = None):
    """A page of the summary table (`whole`: every row, for the printable copy). `total` (the consultation's
    comment counter) spares counting the rows. The page's ids are found first and only its rows are loaded with
    their authors and cases, whatever the consultation's size."""
    if whole:
        rows = list(db.session.scalars(_summary_ordered(consultation_id)))
        return Page(rows, 1, max(1, len(rows)), len(rows))
    ids_query = _summary_order(
        select(Comment.id).where(Comment.consultation_id == consultation_id, Comment.parent_id.is_(None),
                                 Comment.moderation == Moderation.APPROVED), consultation_id)
    return page_by_ids(Comment, ids_query, page, SUMMARY_PER_PAGE, _comment_loading(replies=False), total)


def _waiting_for_position(consultation_id: int):
    return (
        select(Comment.id)
        .outerjoin(Case, Case.id == Comment.case_id)
        .where(
            Comment.consultation_id == consultation_id, Comment.parent_id.is_(None),
            Comment.moderation == Moderation.APPROVED,
            or_(Comment.case_id.is_(None), (Case.position.is_(None) & (Case.state != CaseState.NOT_EXAMINED))),
        )
    )


def summary_incomplete(consultation_id: int) -> bool:
    """Whether a top-level comment still waits for a position (one query, stops at the first)."""
    return db.session.scalar(_waiting_for_position(consultation_id).limit(1)) is not None


def summary_unanswered(consultation_id: int) -> int:
    """How many top-level comments still wait for a position (not examined ones have their legal reason)."""
    return count_rows(_waiting_for_position(consultation_id))
