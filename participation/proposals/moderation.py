"""How moderation finds and describes proposals."""
from flask import render_template
from participation.i18n import gettext as _
from markupsafe import Markup
from sqlalchemy import literal, select
from sqlalchemy.orm import joinedload

from participation.cases import subjects
from participation.cases.models import Channel as CaseChannel
from participation.extensions import db
from participation.moderation import registry
from participation.moderation.models import Moderation
from participation.proposals.models import Proposal, ProposalStatus
from participation.proposals.services import proposal_path

KIND = "proposal"


def describe(ids: list[int]) -> dict[int, registry.ItemView]:
    proposals = db.session.scalars(
        select(Proposal).where(Proposal.id.in_(ids)).options(joinedload(Proposal.author), joinedload(Proposal.institution))
    ).all()
    return {
        proposal.id: registry.ItemView(
            kind=KIND, id=proposal.id, item=proposal, label=_("Proposal no. %(number)d", number=proposal.id),
            context=_("to %(institution)s", institution=proposal.institution.name),
            url=proposal_path(proposal.id),  # relative: the report form redirects here
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


def case_subject(case) -> subjects.Subject | None:
    """What a proposal's case is about, for the staff's action pages: the proposal's own words (its case holds only
    the title), moderated as on the proposal's page."""
    proposal = db.session.scalars(select(Proposal).where(Proposal.case_id == case.id)).first()
    if proposal is None:
        return None
    text = Markup(render_template("proposals/_body.html", proposal=proposal, heading_level=3))
    return subjects.Subject(text, _("Proposal no. %(number)d", number=proposal.id), proposal, KIND)


def register() -> None:
    subjects.register(CaseChannel.PROPOSAL, case_subject)
    registry.register(registry.Channel(
        kind=KIND, model=Proposal, describe=describe, pending=_pending, on_approved=_on_approved, on_visibility_changed=_on_visibility_changed,
        moderatable=lambda proposal: proposal.status == ProposalStatus.SUBMITTED,
    ))
