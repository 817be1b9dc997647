"""Spine actions: open a case, answer, correct, extend, forward, mark not examined, register offline.

Responses are only ever added here; nothing in this module changes or deletes one.
"""
from datetime import date, datetime

from participation.i18n import gettext as _
from sqlalchemy import select

from participation.accounts.models import User
from participation.cases import rules
from participation.cases.calendar import working_days_between
from participation.cases.models import (
    AWAITING_STATES,
    Case,
    CaseState,
    Channel,
    OfflineSource,
    Position,
    Response,
    ResponseKind,
)
from participation.clock import riga_date, riga_to_utc, riga_today, utcnow
from participation.dates import format_day
from participation.extensions import db
from participation.groups.models import Group
from participation.groups.permissions import can_act_for_group
from participation.institutions.models import Institution
from participation.signals import case_opened, response_recorded


class CaseActionRefused(ValueError):
    """The action is not possible in the case's current state; the message says why."""


class CaseAlreadyClosed(CaseActionRefused):
    """The case got its final answer meanwhile (a second tab, a double click, a colleague): not a permission error;
    the page says so and links to the answer, keeping what was typed."""


def open_case(
    institution: Institution,
    channel: Channel,
    title: str,
    rule_code: str = rules.SUBMISSION_ANSWER,
    received_at: datetime | None = None,
    raised_by: User | None = None,
    raised_by_group: Group | None = None,
    item_url: str = "",
    body: str = "",
    is_private: bool = False,
    offline_source: OfflineSource | None = None,
    offline_submitter: str = "",
    submitter_hidden: bool = False,
    commit: bool = True,
) -> Case:
    """Open a case in the institution's inbox, due under the rule in force on the day of receipt.

    Channels call this in their own transaction with commit=False.
    """
    if raised_by_group is not None and not can_act_for_group(raised_by, raised_by_group):
        raise CaseActionRefused(_("Only an approved member may write on the group's behalf."))
    received_at = received_at or utcnow()
    case = Case(
        institution=institution,
        channel=channel,
        title=title.strip()[:255],
        rule_code=rule_code,
        received_at=received_at,
        due_on=rules.due_date(rule_code, riga_date(received_at)),
        state=CaseState.OPEN,
        raised_by=raised_by,
        raised_by_group=raised_by_group,
        item_url=item_url,
        body=body,
        is_private=is_private,
        offline_source=offline_source,
        offline_submitter=offline_submitter.strip(),
        submitter_hidden=submitter_hidden,
    )
    db.session.add(case)
    db.session.flush()
    case_opened.send(case)
    if commit:
        db.session.commit()
    return case


def _require_awaiting(case: Case) -> None:
    """Lock the case's row (PostgreSQL) and read it again before deciding: two members of staff acting on one case at
    once (or a double click) give it one final answer, and the counters that follow answers count it once."""
    db.session.execute(select(Case.id).where(Case.id == case.id).with_for_update())
    db.session.refresh(case)
    if case.state not in AWAITING_STATES:
        raise CaseAlreadyClosed(_("This case already has its final answer."))


def _record(case: Case, author: User, kind: ResponseKind, text: str, **fields) -> Response:
    response = Response(case=case, institution_id=case.institution_id, author=author, kind=kind, text=text.strip(), **fields)
    db.session.add(response)
    db.session.flush()
    return response


def _publish(response: Response) -> Response:
    """Subscribers (e-mail) add to the same transaction, so the response and its notices commit together."""
    response_recorded.send(response)
    db.session.commit()
    return response


def _close(case: Case, state: CaseState, response: Response) -> None:
    """Record the final state, and the figures' facts with the first closing response."""
    case.state = state
    if case.answered_at is None:
        case.answered_at = response.created_at
        answered_on = riga_date(response.created_at)
        case.working_days_to_answer = working_days_between(riga_date(case.received_at), answered_on)
        case.answered_in_time = answered_on <= case.due_on


def answer_case(case: Case, author: User, position: Position, text: str) -> Response:
    """The institution's answer on substance."""
    _require_awaiting(case)
    response = _record(case, author, ResponseKind.ANSWER, text, position=position)
    case.position = position
    _close(case, CaseState.ANSWERED, response)
    return _publish(response)


def correct_response(previous: Response, author: User, position: Position, text: str) -> Response:
    """A correction is a new response that supersedes the old one; the old one stays in the log."""
    if previous.kind != ResponseKind.ANSWER:
        raise CaseActionRefused(_("Only an answer can be corrected."))
    if previous.superseded_by is not None:
        raise CaseAlreadyClosed(_("This answer has already been corrected; correct the newest one."))
    response = _record(previous.case, author, ResponseKind.ANSWER, text, position=position, supersedes=previous)
    previous.case.position = position
    return _publish(response)


IMPLEMENTABLE = (Position.ACCEPTED, Position.PARTLY_ACCEPTED)


def record_implementation(case: Case, author: User, note: str, implemented_on: date) -> Response:
    """Later, the institution records that what it accepted was carried out."""
    if case.state != CaseState.ANSWERED or case.position not in IMPLEMENTABLE:
        raise CaseActionRefused(_("Only an accepted or partly accepted case can be marked implemented."))
    if case.implemented_on is not None:
        raise CaseAlreadyClosed(_("This case is already marked implemented."))
    if implemented_on > riga_today():
        raise CaseActionRefused(_("The date of implementation cannot be in the future."))
    response = _record(case, author, ResponseKind.IMPLEMENTED, note, effective_on=implemented_on)
    case.implemented_on = implemented_on
    return _publish(response)


def mark_collective(case: Case, moment: datetime) -> None:
    """Record that enough people joined the case for it to be examined as a collective submission."""
    if case.collective_at is None:
        case.collective_at = moment


def extension_limit(case: Case) -> date:
    """The latest due date an extension may set: the rule in force on the day of receipt, counted from the
    day the institution now holding the case received it."""
    return rules.due_date(
        rules.SUBMISSION_ANSWER_EXTENDED, riga_date(case.received_at), riga_date(case.received_by_institution_at)
    )



def forward_deadline(case: Case) -> date:
    """The day by which a case should reach the competent institution (Submissions Law)."""
    return rules.due_date(rules.SUBMISSION_FORWARD, riga_date(case.received_at))


def extend_case(case: Case, author: User, new_due_on: date, reason: str) -> Response:
    """Move the due date once, later but within the rule's limit; the submitter is told why."""
    _require_awaiting(case)
    if case.extended_once:
        raise CaseActionRefused(_("The deadline of this case has already been extended once."))
    if riga_today() > case.due_on:
        raise CaseActionRefused(_("The deadline has passed; an extension must be announced before it."))
    if new_due_on <= case.due_on:
        raise CaseActionRefused(_("The new due date must be later than the current one."))
    limit = extension_limit(case)
    if new_due_on > limit:
        raise CaseActionRefused(_("The law allows a due date up to %(date)s.", date=format_day(limit, "locative")))
    response = _record(case, author, ResponseKind.EXTENSION, reason, effective_on=new_due_on)
    case.due_on = new_due_on
    case.state = CaseState.EXTENDED
    case.extended_once = True
    return _publish(response)


def forward_case(case: Case, author: User, target: Institution, reason: str) -> Response:
    """Send the case to the competent institution: it moves there and both logs show the forward."""
    _require_awaiting(case)
    if target.id == case.institution_id:
        raise CaseActionRefused(_("Choose another institution."))
    response = _record(case, author, ResponseKind.FORWARD, reason, target_institution=target)
    case.forwarded_from_id = case.institution_id
    case.institution = target
    case.state = CaseState.FORWARDED
    case.extended_once = False
    case.forwarded_at = response.created_at
    # Still judged by the rule in force on the day of receipt, but the competent institution's time
    # runs from the day it receives the case.
    case.due_on = rules.due_date(case.rule_code, riga_date(case.received_at), riga_date(case.forwarded_at))
    return _publish(response)


def mark_not_examined(case: Case, author: User, reason: str) -> Response:
    """Close the case without an answer on substance, stating the legal reason."""
    _require_awaiting(case)
    response = _record(case, author, ResponseKind.NOT_EXAMINED, reason)
    _close(case, CaseState.NOT_EXAMINED, response)
    return _publish(response)


def register_offline(
    institution: Institution,
    title: str,
    body: str,
    source: OfflineSource,
    received_on: date,
    submitter: str = "",
    is_private: bool = False,
) -> Case:
    """A letter, e-mail or visit recorded by staff, so the log is complete."""
    received_at = riga_to_utc(datetime.combine(received_on, datetime.min.time().replace(hour=12)))
    return open_case(
        institution,
        Channel.OFFLINE,
        title,
        rule_code=rules.SUBMISSION_ANSWER,
        received_at=received_at,
        body=body,
        is_private=is_private,
        offline_source=source,
        offline_submitter=submitter,
    )
