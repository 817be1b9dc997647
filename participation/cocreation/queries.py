"""What the co-creation pages read: a fixed number of queries whatever the number of ideas and amendments."""
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from participation.cocreation.models import (
    Amendment,
    Clause,
    CoCreation,
    Endorsement,
    EventKind,
    Idea,
    IdeaSupport,
    TimelineEvent,
)
from participation.extensions import db
from participation.institutions.models import Institution
from participation.moderation.models import Moderation
from participation.pages import load_models, page_by_ids

STAGE_EVENTS = (EventKind.STARTED, EventKind.STAGE, EventKind.DRAFT, EventKind.CONSULTATION, EventKind.ADOPTED, EventKind.STOPPED)


def process_list(page: int, per_page: int):
    ids = select(CoCreation.id).order_by(CoCreation.stage_changed_at.desc(), CoCreation.id.desc())
    return page_by_ids(ids, page, per_page, lambda i: db.session.scalars(
        select(CoCreation).where(CoCreation.id.in_(i)).options(joinedload(CoCreation.institution))))


def processes_of(institution_id: int) -> list[CoCreation]:
    return list(db.session.scalars(select(CoCreation).where(CoCreation.institution_id == institution_id).order_by(CoCreation.id.desc())))


def _visible(model, user, moderator: bool):
    """SQL: shown to this reader (waiting for approval: its author and moderators only)."""
    if moderator:
        return True
    if getattr(user, "is_authenticated", False):
        return (model.moderation == Moderation.APPROVED) | (model.author_id == user.id)
    return model.moderation == Moderation.APPROVED


def ideas_page(process_id: int, page: int, per_page: int, user, moderator: bool):
    ids = (select(Idea.id).where(Idea.process_id == process_id, _visible(Idea, user, moderator))
           .order_by(Idea.id.desc()))
    return page_by_ids(ids, page, per_page, _LOAD_IDEAS)


def amendments_page(lineage: int, page: int, per_page: int, user, moderator: bool):
    ids = (select(Amendment.id).where(Amendment.lineage == lineage, _visible(Amendment, user, moderator))
           .order_by(Amendment.id.desc()))
    return page_by_ids(ids, page, per_page, _LOAD_AMENDMENTS)


# A page's ideas and amendments with what their entries show (built once: participation/pages.py, load_models).
_LOAD_IDEAS = load_models(Idea, joinedload(Idea.author), joinedload(Idea.group), joinedload(Idea.case))
_LOAD_AMENDMENTS = load_models(Amendment, joinedload(Amendment.author), joinedload(Amendment.group),
                               joinedload(Amendment.base_clause))


def amendment_counts(process_id: int) -> dict[int, int]:
    """Amendments per clause (lineage), shown ones, in one grouped query."""
    rows = db.session.execute(select(Amendment.lineage, func.count(Amendment.id))
                              .where(Amendment.process_id == process_id, Amendment.hidden_at.is_(None),
                                     Amendment.moderation == Moderation.APPROVED)
                              .group_by(Amendment.lineage))
    return dict(rows.all())


def supported(user, idea_ids: list[int]) -> set[int]:
    if not idea_ids or not getattr(user, "is_authenticated", False):
        return set()
    return set(db.session.scalars(select(IdeaSupport.idea_id).where(IdeaSupport.user_id == user.id, IdeaSupport.idea_id.in_(idea_ids))))


def endorsed(user, amendment_ids: list[int]) -> set[int]:
    if not amendment_ids or not getattr(user, "is_authenticated", False):
        return set()
    return set(db.session.scalars(select(Endorsement.amendment_id)
                                  .where(Endorsement.user_id == user.id, Endorsement.amendment_id.in_(amendment_ids))))


def stage_events(process_id: int) -> list[TimelineEvent]:
    return list(db.session.scalars(select(TimelineEvent).where(TimelineEvent.process_id == process_id,
                                                                TimelineEvent.kind.in_(STAGE_EVENTS))
                                   .order_by(TimelineEvent.created_at, TimelineEvent.id)))


def timeline_page(process_id: int, page: int, per_page: int):
    ids = select(TimelineEvent.id).where(TimelineEvent.process_id == process_id).order_by(TimelineEvent.created_at.desc(), TimelineEvent.id.desc())
    return page_by_ids(ids, page, per_page, _load_events)


def latest_events(process_id: int, limit: int = 50) -> list[TimelineEvent]:
    ids = list(db.session.scalars(select(TimelineEvent.id).where(TimelineEvent.process_id == process_id)
                                  .order_by(TimelineEvent.created_at.desc(), TimelineEvent.id.desc()).limit(limit)))
    loaded = {e.id: e for e in _load_events(ids)} if ids else {}
    return [loaded[i] for i in ids]


def _load_events(ids):
    """The events with the numbers and titles of their ideas and amendments (one query each)."""
    events = list(db.session.scalars(select(TimelineEvent).where(TimelineEvent.id.in_(ids))))
    idea_ids = [e.idea_id for e in events if e.idea_id]
    amendment_ids = [e.amendment_id for e in events if e.amendment_id]
    ideas = {i.id: i for i in db.session.scalars(select(Idea).where(Idea.id.in_(idea_ids)))} if idea_ids else {}
    amendments = {a.id: a for a in db.session.scalars(select(Amendment).where(Amendment.id.in_(amendment_ids)))} if amendment_ids else {}
    for event in events:
        event.idea = ideas.get(event.idea_id)
        event.amendment = amendments.get(event.amendment_id)
    return events


def clause_labels(version_id: int) -> list[Clause]:
    return list(db.session.scalars(select(Clause).where(Clause.version_id == version_id).order_by(Clause.position)))


def municipalities_of(user) -> list[Institution]:
    """The municipalities where this person may start a process (editors, responders and administrators)."""
    from participation.institutions.models import InstitutionKind, Membership, StaffRole

    if not getattr(user, "is_authenticated", False):
        return []
    return list(db.session.scalars(
        select(Institution).join(Membership, Membership.institution_id == Institution.id)
        .where(Membership.user_id == user.id, Membership.role.in_((StaffRole.EDITOR, StaffRole.RESPONDER, StaffRole.ADMIN)),
               Institution.kind == InstitutionKind.MUNICIPALITY).distinct().order_by(Institution.name)))
