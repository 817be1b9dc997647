"""How moderation finds and describes proposals."""
from flask_babel import gettext as _
from sqlalchemy import literal, select
from sqlalchemy.orm import joinedload

from participation.extensions import db
from participation.moderation import registry
from participation.moderation.models import Moderation
from participation.proposals.models import Proposal, ProposalStatus
from participation.urls import absolute_url

KIND = "proposal"


def describe(ids: list[int]) -> dict[int, registry.ItemView]:
    proposals = db.session.scalars(
        select(Proposal).where(Proposal.id.in_(ids)).options(joinedload(Proposal.author), joinedload(Proposal.institution))
    ).all()
    return {
        proposal.id: registry.ItemView(
            kind=KIND, id=proposal.id, item=proposal, label=_("Proposal no. %(number)d", number=proposal.id),
            context=_("to %(institution)s", institution=proposal.institution.name),
            url=absolute_url("proposals.show", proposal_id=proposal.id),
            author=proposal.author,
            text="\n\n".join(part for part in (proposal.title, proposal.problem, proposal.solution, proposal.benefit) if part),
        )
        for proposal in proposals
    }


def _pending():
    return select(literal(KIND).label("kind"), Proposal.id.label("item_id"), Proposal.submitted_at.label("since")).where(
        Proposal.status == ProposalStatus.SUBMITTED, Proposal.moderation == Moderation.PENDING
    )


def _on_approved(proposal: Proposal) -> None:
    """Public with the proposal: its case too (the clock has run since receipt)."""
    _on_visibility_changed(proposal)


def _on_visibility_changed(proposal: Proposal) -> None:
    """The case carries the proposal's title: it is public exactly when the proposal's text is."""
    if proposal.case is not None:
        proposal.case.is_private = proposal.is_hidden or proposal.is_pending


def register() -> None:
    registry.register(registry.Channel(
        kind=KIND, model=Proposal, describe=describe, pending=_pending, on_approved=_on_approved, on_visibility_changed=_on_visibility_changed,
        moderatable=lambda proposal: proposal.status == ProposalStatus.SUBMITTED,
    ))
