"""Tell a proposal's group members and the supporters who asked for it about each response, in the same words as the
submitter's notice (participation.notifications.notice_body): what the institution did, then its text.

The group's members hear as the submitter does (the answer to their group's own submission: no unsubscribe, like a
receipt). A supporter's news is a notification: it goes through their follow of the proposal
(participation.follows.services.tell_supporters), so their choice for answers applies and each e-mail carries the
one-click unsubscribe."""
from flask_babel import force_locale
from participation.i18n import gettext as _
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
    from participation.follows.models import Event
    from participation.follows.services import Notice, tell_supporters

    recipients: dict[int, User] = {}
    if proposal.group_id:
        members = db.session.scalars(
            select(User).join(GroupMember, GroupMember.user_id == User.id)
            .where(GroupMember.group_id == proposal.group_id, GroupMember.status == MemberStatus.APPROVED)
        )
        recipients.update({u.id: u for u in members})
    recipients.pop(case.raised_by_id, None)  # the submitter hears from the spine's own notice
    link = absolute_url("proposals.show", proposal_id=proposal.id)

    def message():
        return Notice(_("News on the proposal \"%(title)s\"", title=proposal.title),
                      notice_body(response, proposal.title, link),  # says what it is: an extension is not an answer
                      _("%(institution)s on \"%(title)s\"", institution=response.institution.name, title=proposal.title))

    for person in recipients.values():
        with force_locale(person.locale):
            notice = message()
            send_email(person.email, notice.subject, notice.body)
    supporters = db.session.scalars(select(Support.user_id).where(Support.proposal_id == proposal.id, Support.notify.is_(True)))
    tell_supporters(proposal, set(supporters) - set(recipients) - {case.raised_by_id}, Event.ANSWER, message, link=link)


def connect() -> None:
    response_recorded.connect(tell_followers)
