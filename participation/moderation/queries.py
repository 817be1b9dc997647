"""What moderators and the public read: the queue, and the two logs. A fixed number of queries per page."""
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select, union_all
from sqlalchemy.orm import aliased, joinedload

from participation.extensions import db
from participation.pages import Page, count_rows
from participation.moderation import registry
from participation.moderation.models import ActionKind, ModerationAction, Report

PER_PAGE = 20


@dataclass
class QueueEntry:
    view: registry.ItemView | None
    report_count: int = 0
    reports: list | None = None
    since: object = None


def _describe_all(pairs) -> dict[tuple[str, int], registry.ItemView]:
    """One query per channel, whatever the number of items."""
    by_kind: dict[str, list[int]] = {}
    for kind, item_id in pairs:
        if item_id is not None and registry.channel(kind) is not None:
            by_kind.setdefault(kind, []).append(item_id)
    views = {}
    for kind, ids in by_kind.items():
        for item_id, view in registry.channel(kind).describe(ids).items():
            views[(kind, item_id)] = view
    return views


def _items_filter(pairs):
    by_kind: dict[str, list[int]] = {}
    for kind, item_id in pairs:
        by_kind.setdefault(kind, []).append(item_id)
    return or_(*(and_(Report.item_kind == kind, Report.item_id.in_(ids)) for kind, ids in by_kind.items()))


def reported(page: int = 1) -> Page:
    """Items with open reports, the most reported first; reports of the same item grouped together."""
    grouped = (
        select(Report.item_kind, Report.item_id, func.count(Report.id).label("n"), func.min(Report.created_at).label("since"))
        .where(Report.resolved_at.is_(None))
        .group_by(Report.item_kind, Report.item_id)
    )
    total = count_rows(grouped)
    rows = db.session.execute(
        grouped.order_by(func.count(Report.id).desc(), func.min(Report.created_at), Report.item_kind, Report.item_id)
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    pairs = [(row.item_kind, row.item_id) for row in rows]
    views = _describe_all(pairs)
    reports: dict[tuple[str, int], list[Report]] = {}
    if pairs:
        for entry in db.session.scalars(
            select(Report).where(Report.resolved_at.is_(None), _items_filter(pairs)).order_by(Report.id)
        ):
            reports.setdefault((entry.item_kind, entry.item_id), []).append(entry)
    items = [QueueEntry(views.get(pair), row.n, reports.get(pair, []), row.since) for pair, row in zip(pairs, rows)]
    return Page(items, page, PER_PAGE, total)


def pending(page: int = 1) -> Page:
    """Pre-moderated contributions waiting for approval, oldest first, across every channel."""
    selects = [channel.pending() for channel in registry.channels()]
    union = union_all(*selects)
    waiting = union.subquery()
    total = count_rows(union)
    rows = db.session.execute(
        select(waiting).order_by(waiting.c.since, waiting.c.kind, waiting.c.item_id)
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    views = _describe_all((row.kind, row.item_id) for row in rows)
    items = [QueueEntry(views.get((row.kind, row.item_id)), since=row.since) for row in rows]
    return Page(items, page, PER_PAGE, total)


def _log_page(query, page: int) -> Page:
    total = count_rows(query)
    entries = list(db.session.scalars(
        query.order_by(ModerationAction.id.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ))
    views = _describe_all((entry.item_kind, entry.item_id) for entry in entries)
    items = [(entry, views.get((entry.item_kind, entry.item_id))) for entry in entries]
    return Page(items, page, PER_PAGE, total)


def public_log(page: int = 1) -> Page:
    """What was hidden or restored, when and why — never who did it or the hidden text."""
    return _log_page(select(ModerationAction).where(ModerationAction.is_public.is_(True)), page)


def audit_log(page: int = 1) -> Page:
    """Every action with the moderator who took it (moderators and administrators only)."""
    query = select(ModerationAction).options(
        joinedload(ModerationAction.moderator), joinedload(ModerationAction.target_user)
    )
    return _log_page(query, page)


def history(item) -> list[ModerationAction]:
    kind = registry.kind_of(item)
    return list(db.session.scalars(
        select(ModerationAction).options(joinedload(ModerationAction.moderator))
        .where(ModerationAction.item_kind == kind, ModerationAction.item_id == item.id).order_by(ModerationAction.id)
    ))


def queue_size() -> int:
    """How many items wait in the moderators' queue (reported items, counted once each, and pre-moderated ones),
    for the "Moderation (N)" link: one query."""
    reported_items = (
        select(Report.item_kind, Report.item_id).where(Report.resolved_at.is_(None))
        .group_by(Report.item_kind, Report.item_id).subquery()
    )
    waiting = union_all(*(channel.pending() for channel in registry.channels())).subquery()
    return db.session.scalar(
        select(select(func.count()).select_from(reported_items).scalar_subquery()
               + select(func.count()).select_from(waiting).scalar_subquery())
    ) or 0


def blocks_to_review(page: int = 1) -> Page:
    """Accounts blocked now by a moderator who is not an administrator, whose block no administrator has reviewed
    since (kept it): the latest block of each, newest first (issue 14, item 6)."""
    from participation.accounts.models import User
    from participation.clock import utcnow

    moderator, target = aliased(User), aliased(User)
    latest = (select(func.max(ModerationAction.id)).where(ModerationAction.action == ActionKind.BLOCK)
              .group_by(ModerationAction.target_user_id))
    reviewed = aliased(ModerationAction)
    query = (
        select(ModerationAction)
        .join(moderator, ModerationAction.moderator_id == moderator.id)
        .join(target, ModerationAction.target_user_id == target.id)
        .where(
            ModerationAction.id.in_(latest),
            moderator.is_admin.is_(False),
            target.blocked_at.is_not(None),
            or_(target.blocked_until.is_(None), target.blocked_until > utcnow()),
            ~select(reviewed.id).where(reviewed.action == ActionKind.BLOCK_KEPT,
                                       reviewed.target_user_id == ModerationAction.target_user_id,
                                       reviewed.id > ModerationAction.id).exists(),
        )
    )
    total = count_rows(query)
    query = query.options(joinedload(ModerationAction.moderator), joinedload(ModerationAction.target_user))
    items = list(db.session.scalars(query.order_by(ModerationAction.id.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE)))
    return Page(items, page, PER_PAGE, total)
