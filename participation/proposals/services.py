"""Proposal actions: save a draft, submit (opening a case), approve, support, withdraw, merge, settings."""
from datetime import timedelta

from flask import current_app, has_request_context, url_for
from participation.i18n import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from participation.accounts.models import User
from participation.cases import rules
from participation.cases import services as cases
from participation.cases.models import Channel
from participation.clock import riga_date, utcnow
from participation.extensions import db
from participation.groups.models import Group
from participation.institutions.models import Institution
from participation.moderation import services as moderation
from participation.moderation.services import initial_state
from participation.proposals import permissions
from participation.proposals.models import MergeRecord, Moderation, Proposal, ProposalSettings, ProposalStatus, Support


def proposal_path(proposal_id: int) -> str:
    """The proposal page's path (no host): what a case stores as its `item_url` and moderation redirects to."""
    if has_request_context():
        return url_for("proposals.show", proposal_id=proposal_id)
    with current_app.test_request_context("/"):
        return url_for("proposals.show", proposal_id=proposal_id)


class ProposalRefused(ValueError):
    """The action is not possible now; the message says why."""


def settings_for(institution_id: int) -> ProposalSettings:
    """The institution's settings, or the defaults (no threshold)."""
    return db.session.get(ProposalSettings, institution_id) or ProposalSettings(
        institution_id=institution_id, support_threshold=None, collection_days=None
    )


def save_settings(institution: Institution, premoderation: bool, threshold: int | None, days: int | None) -> None:
    """Pre-moderation is the institution's, for every channel; the threshold is the proposals' own."""
    institution.premoderation = premoderation
    settings = db.session.get(ProposalSettings, institution.id)
    if settings is None:
        settings = ProposalSettings(institution_id=institution.id)
        db.session.add(settings)
    settings.support_threshold = threshold
    settings.collection_days = days if threshold else None
    db.session.commit()


def _topics(codes) -> str:
    return f" {' '.join(sorted(set(codes)))} " if codes else ""


def save_draft(author: User, institution: Institution, group: Group | None, fields: dict, proposal: Proposal | None = None) -> Proposal:
    """Create or update a draft; nothing is public or sent until it is submitted."""
    if not permissions.can_submit_for(author, group):
        raise ProposalRefused(_("Only an approved member may write on the group's behalf."))
    if proposal is None:
        proposal = Proposal(author=author, status=ProposalStatus.DRAFT)
        db.session.add(proposal)
    elif not permissions.can_edit_draft(author, proposal):
        raise ProposalRefused(_("This proposal has already been submitted and can no longer be changed."))
    proposal.institution = institution
    proposal.group = group
    text = lambda name: (fields.get(name) or "").strip()  # noqa: E731
    proposal.title = " ".join(text("title").split())  # one line: it becomes an e-mail subject
    proposal.problem = text("problem")
    proposal.solution = text("solution")
    proposal.benefit = text("benefit")
    proposal.territory = text("territory")
    proposal.topics = _topics(fields.get("topics") or [])
    db.session.commit()
    return proposal


def submit(proposal: Proposal, user: User) -> Proposal:
    """Send the draft: it becomes a case in the institution's inbox at once (the clock starts now)."""
    if not permissions.can_edit_draft(user, proposal):
        raise ProposalRefused(_("This proposal has already been submitted and can no longer be changed."))
    if not permissions.can_submit_for(user, proposal.group):
        raise ProposalRefused(_("Only an approved member may write on the group's behalf."))
    if not (proposal.title and proposal.problem and proposal.solution and proposal.territory):
        raise ProposalRefused(_("Fill in the title, the problem, the proposed solution and the place before submitting."))
    # Claim the draft atomically: a double click or two tabs submit it once.
    claimed = db.session.execute(
        update(Proposal).where(Proposal.id == proposal.id, Proposal.status == ProposalStatus.DRAFT)
        .values(status=ProposalStatus.SUBMITTED).execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        raise ProposalRefused(_("This proposal has already been submitted and can no longer be changed."))
    settings = settings_for(proposal.institution_id)
    now = utcnow()
    proposal.status = ProposalStatus.SUBMITTED
    proposal.submitted_at = now
    proposal.moderation = initial_state(proposal.institution)
    proposal.support_threshold = settings.support_threshold
    if settings.support_threshold and settings.collection_days:
        proposal.collect_until = riga_date(now) + timedelta(days=settings.collection_days)
    db.session.flush()
    proposal.case = cases.open_case(
        proposal.institution,
        Channel.PROPOSAL,
        proposal.title,
        rule_code=rules.SUBMISSION_ANSWER,
        received_at=now,
        raised_by=user,
        raised_by_group=proposal.group,
        item_url=proposal_path(proposal.id),  # relative: the site's own link, whatever address it is reached at
        is_private=proposal.moderation == Moderation.PENDING,  # public with the proposal, after approval
        commit=False,
    )
    db.session.commit()
    return proposal


def approve(proposal: Proposal, moderator: User) -> None:
    """A moderator makes a pre-moderated proposal public (its case clock has run since receipt)."""
    moderation.approve(proposal, moderator)


def support_count(proposal_id: int) -> int:
    """Counted from the rows (what `Proposal.support_count` must equal); pages read the column."""
    return db.session.scalar(select(func.count(Support.id)).where(Support.proposal_id == proposal_id))


def update_support_count(proposal: Proposal, delta: int | None = None) -> None:
    """The one place that keeps `Proposal.support_count`, in the transaction that adds or removes supports:
    `count + delta` in SQL (exact under concurrent requests), or counted again from the rows when delta is None
    (after a merge). Pages read the column instead of counting supports."""
    if delta == 0:
        return
    value = Proposal.support_count + delta if delta is not None else (
        select(func.count(Support.id)).where(Support.proposal_id == proposal.id).scalar_subquery()
    )
    db.session.execute(
        update(Proposal).where(Proposal.id == proposal.id).values(support_count=value)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(proposal, ["support_count"])


def recount_supports() -> int:
    """Repair (`flask recount-counters`): every proposal's support counter counted again from the rows. Returns how
    many were wrong."""
    supports = select(func.count(Support.id)).where(Support.proposal_id == Proposal.id).scalar_subquery()
    fixed = db.session.execute(
        update(Proposal).where(Proposal.support_count != supports).values(support_count=supports)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return fixed


def support_counts(proposal_ids: list[int]) -> dict[int, int]:
    if not proposal_ids:
        return {}
    rows = db.session.execute(
        select(Support.proposal_id, func.count(Support.id)).where(Support.proposal_id.in_(proposal_ids)).group_by(Support.proposal_id)
    )
    return dict(rows.all())


def has_supported(proposal_id: int, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return db.session.scalar(
        select(Support.id).where(Support.proposal_id == proposal_id, Support.user_id == user.id)
    ) is not None


def support(proposal: Proposal, user: User, notify: bool = False) -> bool:
    """Add the user's support once. Returns False when it was already there (also under races)."""
    if not permissions.can_support(user, proposal):
        raise ProposalRefused(_("This proposal is not collecting supports."))
    # Supports of one proposal are counted one at a time (PostgreSQL row lock), so the threshold is never missed.
    db.session.execute(select(Proposal.id).where(Proposal.id == proposal.id).with_for_update())
    try:
        with db.session.begin_nested():
            db.session.add(Support(proposal_id=proposal.id, user_id=user.id, notify=notify))
    except IntegrityError:  # the savepoint is rolled back; the support was already there
        return False
    update_support_count(proposal, 1)
    _check_threshold(proposal)
    db.session.commit()
    return True


def _check_threshold(proposal: Proposal) -> None:
    if proposal.support_threshold and proposal.case.collective_at is None and proposal.is_collecting:
        if proposal.support_count >= proposal.support_threshold:
            cases.mark_collective(proposal.case, utcnow())


def withdraw(proposal: Proposal, user: User) -> None:
    if not permissions.can_withdraw(user, proposal):
        raise ProposalRefused(_("Supports can no longer be withdrawn: the collection has ended."))
    db.session.execute(select(Proposal.id).where(Proposal.id == proposal.id).with_for_update())
    removed = db.session.execute(delete(Support).where(Support.proposal_id == proposal.id, Support.user_id == user.id)).rowcount
    update_support_count(proposal, -removed)
    db.session.commit()


def merge(duplicate: Proposal, target: Proposal, moderator: User, note: str = "") -> MergeRecord:
    """Move the duplicate's supports to the target (once per person) and point the duplicate at it."""
    if duplicate.id == target.id:
        raise ProposalRefused(_("A proposal cannot be merged into itself."))
    if not target.is_public or target.merged_into_id is not None:
        raise ProposalRefused(_("Merge into a public proposal that has not been merged itself."))
    if target.institution_id != duplicate.institution_id:
        raise ProposalRefused(_("Only proposals to the same institution can be merged."))
    # Someone who supports both keeps one support, and keeps asking for news if they asked on either.
    db.session.execute(
        update(Support)
        .where(Support.proposal_id == target.id,
               Support.user_id.in_(select(Support.user_id).where(Support.proposal_id == duplicate.id, Support.notify.is_(True))))
        .values(notify=True).execution_options(synchronize_session=False)
    )
    already = select(Support.user_id).where(Support.proposal_id == target.id).scalar_subquery()
    moved = db.session.execute(
        update(Support)
        .where(Support.proposal_id == duplicate.id, Support.user_id.not_in(already))
        .values(proposal_id=target.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.execute(delete(Support).where(Support.proposal_id == duplicate.id))
    update_support_count(duplicate)
    update_support_count(target)
    duplicate.merged_into = target
    record = MergeRecord(duplicate_id=duplicate.id, target_id=target.id, moderator=moderator, supports_moved=moved, note=note.strip())
    db.session.add(record)
    db.session.flush()
    if target.case is not None:
        _check_threshold(target)
    db.session.commit()
    return record


def merge_records(proposal_id: int) -> list[MergeRecord]:
    """The public record of merges into or out of this proposal."""
    return list(db.session.scalars(
        select(MergeRecord).where((MergeRecord.duplicate_id == proposal_id) | (MergeRecord.target_id == proposal_id))
        .order_by(MergeRecord.id)
    ))
