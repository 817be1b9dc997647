"""Tell a proposal's group members and the supporters who asked for it about each response, in the same words as the
submitter's notice (participation.notifications.notice_body): what the institution did, then its text."""
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from participation.accounts.models import User
from participation.cases.models import Channel
from participation.extensions import db
from participation.groups.models import GroupMember, MemberStatus
from participation.notifications import notice_body
from participation.outbox.services import send_email
from participation.proposals.models import Proposal, Support
from participation.signals import response_recorded
from participation.urls import absolute_url


def tell_followers(response, **_extra) -> None:
    case = response.case
    if case.channel != Channel.PROPOSAL or case.is_private:
        return
    proposal = db.session.scalars(select(Proposal).where(Proposal.case_id == case.id)).first()
    if proposal is None:
        return
    recipients: dict[int, User] = {}
    if proposal.group_id:
        members = db.session.scalars(
            select(User).join(GroupMember, GroupMember.user_id == User.id)
            .where(GroupMember.group_id == proposal.group_id, GroupMember.status == MemberStatus.APPROVED)
        )
        recipients.update({u.id: u for u in members})
    supporters = db.session.scalars(
        select(User).join(Support, Support.user_id == User.id).where(Support.proposal_id == proposal.id, Support.notify.is_(True))
    )
    recipients.update({u.id: u for u in supporters})
    recipients.pop(case.raised_by_id, None)  # the submitter hears from the spine's own notice
    link = absolute_url("proposals.show", proposal_id=proposal.id)
    for person in recipients.values():
        with force_locale(person.locale):
            send_email(
                person.email,
                _("News on the proposal \"%(title)s\"", title=proposal.title),
                notice_body(response, proposal.title, link),  # says what it is: an extension is not an answer
            )


def connect() -> None:
    response_recorded.connect(tell_followers)
