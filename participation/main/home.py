"""The home page's queries: what a resident can take part in now and what became of what others said.

Only public things: published consultations whose window is open, submitted proposals a moderator approved (or
that need no approval), not hidden and not merged away, and answers of cases that are not private (a hidden or
waiting contribution's case is private, participation/<channel>/moderation.py). Each part is one query returning
plain rows of the columns the page shows, so the page runs the same number of SQL statements whatever the data
size (tests/test_home.py)."""
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case as when
from sqlalchemy import func, or_, select

from participation import cache
from participation.cases.models import AWAITING_STATES, Case, Position, Response, ResponseKind, not_superseded
from participation.clock import riga_date, riga_today, utcnow
from participation.consultations.models import Consultation
from participation.extensions import db
from participation.institutions.models import Institution
from participation.moderation.models import Moderation
from participation.proposals.models import Proposal, ProposalStatus

OPEN_CONSULTATIONS = 6
GATHERING_PROPOSALS = 6
LATEST_ANSWERS = 5


@dataclass(frozen=True, slots=True)
class OpenConsultation:
    id: int
    title: str
    closes_at: datetime
    comment_count: int
    institution_name: str

    @property
    def days_left(self) -> int:
        """Whole days until the last day of the window (0: it closes today, at 23:59 Riga time)."""
        return max(0, (riga_date(self.closes_at) - riga_today()).days)


@dataclass(frozen=True, slots=True)
class GatheringProposal:
    id: int
    title: str
    support_count: int
    support_threshold: int | None
    collect_until: date | None
    institution_name: str


@dataclass(frozen=True, slots=True)
class LatestAnswer:
    id: int
    position: Position | None
    text: str
    created_at: datetime
    case_id: int
    title: str
    item_url: str
    institution_name: str
    institution_slug: str


@dataclass(frozen=True, slots=True)
class PlatformFigures:
    consultations_open: int
    comments: int
    proposals: int
    answers: int
    within_deadline_share: float | None


def open_consultations(limit: int = OPEN_CONSULTATIONS) -> list[OpenConsultation]:
    """Published consultations open now, the one closing soonest first."""
    now = utcnow()
    rows = db.session.execute(
        select(Consultation.id, Consultation.title, Consultation.closes_at, Consultation.comment_count, Institution.name)
        .join(Institution, Institution.id == Consultation.institution_id)
        .where(Consultation.published_at.is_not(None), Consultation.opens_at <= now, Consultation.closes_at >= now)
        .order_by(Consultation.closes_at, Consultation.id)
        .limit(limit)
    )
    return [OpenConsultation(*row) for row in rows]


def _public_proposal():
    return (Proposal.status == ProposalStatus.SUBMITTED, Proposal.moderation == Moderation.APPROVED,
            Proposal.hidden_at.is_(None), Proposal.merged_into_id.is_(None))


def gathering_proposals(limit: int = GATHERING_PROPOSALS) -> list[GatheringProposal]:
    """Public proposals still collecting supports (awaiting an answer, inside their collection period), the most
    supported first."""
    rows = db.session.execute(
        select(Proposal.id, Proposal.title, Proposal.support_count, Proposal.support_threshold, Proposal.collect_until,
               Institution.name)
        .join(Case, Case.id == Proposal.case_id)
        .join(Institution, Institution.id == Proposal.institution_id)
        .where(*_public_proposal(), Case.state.in_(AWAITING_STATES), Case.is_private.is_(False),
               or_(Proposal.collect_until.is_(None), Proposal.collect_until >= riga_today()))
        .order_by(Proposal.support_count.desc(), Proposal.submitted_at.desc(), Proposal.id.desc())
        .limit(limit)
    )
    return [GatheringProposal(*row) for row in rows]


def latest_answers(limit: int = LATEST_ANSWERS) -> list[LatestAnswer]:
    """The newest answers in force (not superseded by a correction) of public cases, with the institution."""
    rows = db.session.execute(
        select(Response.id, Response.position, Response.text, Response.created_at, Case.id, Case.title, Case.item_url,
               Institution.name, Institution.slug)
        .join(Case, Case.id == Response.case_id)
        .join(Institution, Institution.id == Response.institution_id)
        .where(Response.kind == ResponseKind.ANSWER, Case.is_private.is_(False), not_superseded())
        .order_by(Response.created_at.desc(), Response.id.desc())
        .limit(limit)
    )
    return [LatestAnswer(*row) for row in rows]


def platform_figures() -> PlatformFigures:
    """The platform's figures (three queries; counted at most once per period and worker: participation/cache.py)."""
    return cache.cached(("home-figures",), _compute_figures)


def _compute_figures() -> PlatformFigures:
    now = utcnow()
    is_open = (Consultation.opens_at <= now) & (Consultation.closes_at >= now)
    consultations_open, comments = db.session.execute(
        select(func.count(when((is_open, 1))), func.coalesce(func.sum(Consultation.comment_count), 0))
        .where(Consultation.published_at.is_not(None))
    ).one()
    proposals = db.session.scalar(select(func.count(Proposal.id)).where(*_public_proposal()))
    answered, in_time = db.session.execute(
        select(func.count(Case.answered_at), func.count(when((Case.answered_in_time.is_(True), 1))))
    ).one()
    return PlatformFigures(
        consultations_open=consultations_open,
        comments=int(comments),
        proposals=proposals,
        answers=answered,
        within_deadline_share=(in_time / answered) if answered else None,
    )
