"""Where followers' news comes from, without the channels calling it (docs/architecture: reactions subscribe).

- The spine's `response_recorded` signal: an answer (extension, forward, ...) to a public proposal.
- Co-creation's `stage_changed` signal: a process moved to its next stage.
- The ORM: after a flush, what was just written says what happened — a comment (its author follows the consultation),
  a support whose supporter asked for e-mail (they follow the proposal), a submitted proposal (its author follows it), an idea, an amendment,
  a support of an idea or an endorsement (the co-creation process is followed), a consultation
  published (its institution's followers hear of it), a new version of a draft, a proposal's case that became a
  collective submission (the threshold reached). These are noted on the session and acted on just before its COMMIT,
  in the same transaction (a rollback forgets them, so nothing is told about a change that did not happen).
Periodic sweeps (a consultation closing soon, every comment answered) live in participation.follows.tasks.
"""
from participation.i18n import gettext as _
from sqlalchemy import event as sa_event
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from participation.extensions import db
from participation.follows.models import Event, FollowReason
from participation.follows.services import Notice, auto_follow, notify
from participation.urls import absolute_url

PENDING = "participation.follows.pending"


def _changed_from_none(obj, name: str) -> bool:
    history = inspect(obj).attrs[name].history
    return bool(history.added) and history.added[0] is not None and all(value is None for value in history.deleted)


def _after_flush(session, _flush_context) -> None:
    from participation.cases.models import Case
    from participation.consultations.models import Comment, Consultation, DraftVersion
    from participation.proposals.models import Proposal, Support

    from participation.cocreation.models import Amendment, Endorsement, Idea, IdeaSupport

    pending = session.info.setdefault(PENDING, {"follows": [], "events": [], "via": []})
    for obj in session.new:
        if isinstance(obj, (Idea, Amendment)) and obj.offline_source is None:
            pending["follows"].append((obj.author_id, "cocreation", obj.process_id, FollowReason.SUBMITTED))
        elif isinstance(obj, IdeaSupport):
            pending["via"].append((Idea, obj.idea_id, obj.user_id))
        elif isinstance(obj, Endorsement):
            pending["via"].append((Amendment, obj.amendment_id, obj.user_id))
        elif isinstance(obj, Comment):
            pending["follows"].append((obj.author_id, "consultation", obj.consultation_id, FollowReason.COMMENTED))
        elif isinstance(obj, Support) and obj.notify:  # a supporter who did not ask for e-mail is not followed
            pending["follows"].append((obj.user_id, "proposal", obj.proposal_id, FollowReason.SUPPORTED))
        elif isinstance(obj, DraftVersion) and obj.number > 1 and obj.published_at is not None:
            pending["events"].append(("version", obj.consultation_id, obj.number))
    for obj in session.dirty:
        if isinstance(obj, Proposal) and _changed_from_none(obj, "submitted_at"):
            pending["follows"].append((obj.author_id, "proposal", obj.id, FollowReason.SUBMITTED))
        elif isinstance(obj, Consultation) and _changed_from_none(obj, "published_at"):
            pending["events"].append(("opening", obj.id, None))
        elif isinstance(obj, Case) and _changed_from_none(obj, "collective_at"):
            pending["events"].append(("threshold", obj.id, None))
    if not any(pending.values()):
        session.info.pop(PENDING, None)


def _before_commit(session) -> None:
    for _round in range(5):  # what the handlers write is flushed and looked at too (it never chains further)
        if session.new or session.dirty or session.deleted:
            session.flush()  # the COMMIT's own flush comes after this hook: flush first, to see everything
        pending = session.info.pop(PENDING, None)
        if not pending:
            return
        for model, item_id, user_id in pending["via"]:  # a support of an idea, an endorsement: follow its process
            process_id = session.scalar(select(model.process_id).where(model.id == item_id))
            if process_id is not None:
                pending["follows"].append((user_id, "cocreation", process_id, FollowReason.SUPPORTED))
        if pending["follows"]:
            auto_follow(pending["follows"])
        for kind, subject_id, extra in dict.fromkeys(pending["events"]):
            HANDLERS[kind](subject_id, extra)


def _forget(session, _previous_transaction) -> None:
    session.info.pop(PENDING, None)


# --- the events ----------------------------------------------------------------------------------------------------


def _consultation_opening(consultation_id: int, _extra) -> None:
    from participation.consultations.models import Consultation
    from participation.dates import format_day

    consultation = db.session.get(Consultation, consultation_id)
    institution = consultation.institution
    link = absolute_url("consultations.show", consultation_id=consultation.id)

    def message():
        subject = _("New consultation: \"%(title)s\"", title=consultation.title)
        body = _("%(institution)s has published the draft \"%(title)s\" for comments, from %(opens)s until %(closes)s.\n\n"
                 "Read it and comment: %(link)s", institution=institution.name, title=consultation.title,
                 opens=format_day(consultation.opens_at, "genitive"), closes=format_day(consultation.closes_at, "dative"), link=link)
        line = _("%(institution)s: a new consultation \"%(title)s\", comments until %(closes)s",
                 institution=institution.name, title=consultation.title, closes=format_day(consultation.closes_at, "dative"))
        return Notice(subject, body, line)

    notify([("consultation", consultation), ("institution", institution)], Event.OPENING, message, link=link)


def _new_version(consultation_id: int, number: int) -> None:
    from participation.consultations.models import Consultation

    consultation = db.session.get(Consultation, consultation_id)
    link = absolute_url("consultations.changes", consultation_id=consultation.id, number=number)

    def message():
        subject = _("Version %(n)d of \"%(title)s\" is published", n=number, title=consultation.title)
        body = _("%(institution)s has published version %(n)d of the draft \"%(title)s\". See what changed in each section:\n%(link)s",
                 institution=consultation.institution.name, n=number, title=consultation.title, link=link)
        return Notice(subject, body)

    notify([("consultation", consultation), ("institution", consultation.institution)], Event.VERSION, message, link=link)


def _threshold(case_id: int, _extra) -> None:
    from participation.cases.models import Case
    from participation.proposals.models import Proposal

    proposal = db.session.scalars(select(Proposal).where(Proposal.case_id == case_id)).first()
    case = db.session.get(Case, case_id)
    if proposal is None or case.is_private:
        return
    link = absolute_url("proposals.show", proposal_id=proposal.id)

    def message():
        subject = _("\"%(title)s\" has reached its number of supporters", title=proposal.title)
        body = _("The proposal \"%(title)s\" has %(count)d supporters, as many as %(institution)s asks for a collective "
                 "submission. It is now examined as one.\n\nFollow it here: %(link)s", title=proposal.title,
                 count=proposal.support_count, institution=proposal.institution.name, link=link)
        return Notice(subject, body)

    notify([("proposal", proposal), ("group", proposal.group)], Event.THRESHOLD, message, link=link)


def tell_followers_about_stage(process, event=None, **_extra) -> None:
    """A co-creation process moved to its next stage (participation.cocreation.services.stage_changed)."""
    from participation.cocreation.forms import STAGE_LABELS

    link = absolute_url("cocreation.show", process_id=process.id)

    def message():
        stage = str(STAGE_LABELS.get(process.stage, process.stage))
        return Notice(
            _("\"%(title)s\": the next stage, %(stage)s", title=process.title, stage=stage),
            _("The co-creation of \"%(title)s\" by %(institution)s has moved to its next stage: %(stage)s.\n\n"
              "See what happens now and how to take part: %(link)s", title=process.title,
              institution=process.institution.name, stage=stage, link=link),
        )

    notify([("cocreation", process), ("institution", process.institution)], Event.STAGE, message, link=link)


HANDLERS = {"opening": _consultation_opening, "version": _new_version, "threshold": _threshold}


def tell_followers_about_response(response, **_extra) -> None:
    """A response to a public proposal: its followers, its group's and its institution's. The submitter, the group's
    members and the supporters who asked for e-mail already hear from the spine and the proposal (no second e-mail)."""
    from participation.cases.models import Channel
    from participation.groups.models import GroupMember, MemberStatus
    from participation.notifications import notice_body
    from participation.proposals.models import Proposal, Support

    case = response.case
    if case.channel == Channel.FEEDBACK and not case.is_private:
        _tell_feedback_followers(response)
        return
    if case.channel != Channel.PROPOSAL or case.is_private:
        return
    proposal = db.session.scalars(select(Proposal).where(Proposal.case_id == case.id)).first()
    if proposal is None:
        return
    told_already = {case.raised_by_id}
    told_already.update(db.session.scalars(select(Support.user_id).where(Support.proposal_id == proposal.id, Support.notify.is_(True))))
    if proposal.group_id:
        told_already.update(db.session.scalars(select(GroupMember.user_id).where(
            GroupMember.group_id == proposal.group_id, GroupMember.status == MemberStatus.APPROVED)))
    link = absolute_url("proposals.show", proposal_id=proposal.id)
    institution = response.institution

    def message():
        subject = _("News on the proposal \"%(title)s\"", title=proposal.title)
        line = _("%(institution)s on \"%(title)s\"", institution=institution.name, title=proposal.title)
        return Notice(subject, notice_body(response, proposal.title, link), line)

    notify([("proposal", proposal), ("group", proposal.group), ("institution", case.institution)], Event.ANSWER, message,
           link=link, exclude=told_already)


def _tell_feedback_followers(response) -> None:
    """A response to published website feedback: whoever follows that feedback (its visitor hears by e-mail from the
    feedback channel, at the address they left)."""
    from participation.feedback.models import Feedback
    from participation.notifications import notice_body

    feedback = db.session.scalars(select(Feedback).where(Feedback.case_id == response.case_id)).first()
    if feedback is None:
        return
    link = absolute_url("feedback.show", feedback_id=feedback.id)
    institution = response.institution

    def message():
        title = _("Feedback no. %(number)d", number=feedback.id)
        return Notice(_("News on %(title)s", title=title), notice_body(response, title, link),
                      _("%(institution)s on \"%(title)s\"", institution=institution.name, title=title))

    notify([("feedback", feedback)], Event.ANSWER, message, link=link)


_connected = False


def connect() -> None:
    global _connected
    from participation.signals import response_recorded

    from participation.cocreation.services import stage_changed

    response_recorded.connect(tell_followers_about_response)
    stage_changed.connect(tell_followers_about_stage)
    if not _connected:  # the ORM events are process-wide: once, however many apps are made
        sa_event.listen(Session, "after_flush", _after_flush)
        sa_event.listen(Session, "before_commit", _before_commit)
        sa_event.listen(Session, "after_soft_rollback", _forget)
        _connected = True
