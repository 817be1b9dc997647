"""Co-creation actions: start a process and its working group, ideas and their supports, the draft and amendments with
their endorsements, the decisions (responses in the spine's log), offline contributions, the consultation (opened
through consultations.services), adoption with credits, stopping. The only place in this channel that saves.

`stage_changed` is the signal for "a stage changed" (sender: the process; `event`: the TimelineEvent): follows and
notifications subscribe to it, this module does not call them."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from blinker import Namespace
from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from participation.i18n import gettext as _
from sqlalchemy import and_, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, contains_eager

from participation.accounts.models import User
from participation.cases import rules
from participation.cases import services as cases
from participation.cases.models import Case, Channel, OfflineSource, Position, Response, ResponseKind
from participation.clock import riga_to_utc, riga_today, to_riga, utcnow
from participation.cocreation import permissions
from participation.cocreation.models import (
    STAGE_ORDER,
    TAKEN_STATES,
    Amendment,
    AmendmentKind,
    AmendmentState,
    Clause,
    CoCreation,
    Endorsement,
    EventKind,
    Idea,
    IdeaSupport,
    MemberRole,
    RegulationVersion,
    Stage,
    TimelineEvent,
    WorkingGroupMember,
)
from participation.consultations import services as consultations
from participation.consultations.splitter import join_sections, split_sections
from participation.dates import format_day, format_moment
from participation.extensions import db
from participation.groups.models import Group
from participation.groups.permissions import can_act_for_group
from participation.moderation.models import Moderation
from participation.moderation.services import initial_state
from participation.institutions.models import Institution
from participation.signals import response_recorded
from participation.text import clean_plain

TEXT_LIMIT = 5000
MAX_ID = 2_147_483_647  # the largest id a database integer holds: a larger number typed into a form finds nothing
_signals = Namespace()
stage_changed = _signals.signal("cocreation-stage-changed")  # sender: CoCreation, event=TimelineEvent

POSITION_STATE = {Position.ACCEPTED: AmendmentState.ACCEPTED, Position.PARTLY_ACCEPTED: AmendmentState.PARTLY_ACCEPTED}
DECISIONS = (Position.ACCEPTED, Position.PARTLY_ACCEPTED, Position.NOT_ACCEPTED)
IDEA_POSITIONS = (Position.ACCEPTED, Position.PARTLY_ACCEPTED, Position.NOT_ACCEPTED, Position.NOTED)


class CoCreationRefused(ValueError):
    """The action is not possible now (a closed stage, a decided amendment ...); the message says why. `field`: the
    form field the message is about (shown at that field), if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def site_path(endpoint: str, **values) -> str:
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context("/"):
        return url_for(endpoint, **values)


def idea_path(idea: Idea) -> str:
    return site_path("cocreation.idea", process_id=idea.process_id, idea_id=idea.id)


def amendment_path(amendment: Amendment) -> str:
    return site_path("cocreation.amendment", process_id=amendment.process_id, amendment_id=amendment.id)


# --- the timeline -------------------------------------------------------------------------------------------------


def _event(process: CoCreation, kind: EventKind, note: str = "", **fields) -> TimelineEvent:
    event = TimelineEvent(process_id=process.id, kind=kind, stage=process.stage, note=note, created_at=utcnow(), **fields)
    db.session.add(event)
    db.session.flush()
    return event


def _change_stage(process: CoCreation, stage: Stage, kind: EventKind = EventKind.STAGE, note: str = "", **fields) -> TimelineEvent:
    process.stage = stage
    process.stage_changed_at = utcnow()
    event = _event(process, kind, note, **fields)
    notify_stage_changed(process, event)
    return event


def notify_stage_changed(process: CoCreation, event: TimelineEvent) -> None:
    """The one place that says "a stage changed" (issue 18 connects followers' notifications to `stage_changed`);
    receivers add to the same transaction."""
    stage_changed.send(process, event=event)


# --- the process and its working group --------------------------------------------------------------------------


def create_process(institution: Institution, author: User, title: str, problem: str, ideas_until: date,
                   drafting_until: date, adoption_planned_on: date) -> CoCreation:
    if not ideas_until <= drafting_until <= adoption_planned_on:
        raise CoCreationRefused(_("The stages' dates must follow each other: ideas, then drafting, then adoption."), "drafting_until")
    if ideas_until < riga_today():
        raise CoCreationRefused(_("The ideas stage cannot end in the past."), "ideas_until")
    process = CoCreation(institution=institution, title=clean_plain(title, 255), problem=clean_plain(problem, TEXT_LIMIT),
                         stage=Stage.IDEAS, ideas_until=ideas_until, drafting_until=drafting_until,
                         adoption_planned_on=adoption_planned_on, created_by_id=author.id, stage_changed_at=utcnow())
    db.session.add(process)
    db.session.flush()
    _event(process, EventKind.STARTED)
    db.session.commit()
    return process


def add_member(process: CoCreation, role: MemberRole, user: User | None = None, group: Group | None = None) -> WorkingGroupMember:
    if (user is None) == (group is None):
        raise CoCreationRefused(_("Invite either a person or a group."))
    if group is not None and group.is_hidden:
        raise CoCreationRefused(_("This group cannot be invited."), "group")
    column, value = (WorkingGroupMember.user_id, user.id) if user else (WorkingGroupMember.group_id, group.id)
    member = db.session.scalar(select(WorkingGroupMember).where(WorkingGroupMember.process_id == process.id, column == value))
    if member is None:
        member = WorkingGroupMember(process_id=process.id, user=user, group=group, role=role)
        db.session.add(member)
    else:
        member.role = role
    db.session.commit()
    return member


def remove_member(member: WorkingGroupMember) -> None:
    db.session.delete(member)
    db.session.commit()


def members(process_id: int) -> list[WorkingGroupMember]:
    from sqlalchemy.orm import joinedload

    return list(db.session.scalars(select(WorkingGroupMember).where(WorkingGroupMember.process_id == process_id)
                                   .options(joinedload(WorkingGroupMember.user), joinedload(WorkingGroupMember.group))
                                   .order_by(WorkingGroupMember.id)))


# --- ideas ----------------------------------------------------------------------------------------------------


def _check_group(author: User, group: Group | None) -> None:
    if group is not None and not can_act_for_group(author, group):
        raise CoCreationRefused(_("Only an approved member may write on the group's behalf."))


def _open_case(process: CoCreation, item, title: str, body: str, author: User | None, group: Group | None,
               received_at: datetime | None = None, **offline) -> Case:
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        full_title = f"{title} — {process.title}"[:255]
    return cases.open_case(process.institution, Channel.REGULATION, full_title, rule_code=rules.SUBMISSION_ANSWER,
                           received_at=received_at, raised_by=author, raised_by_group=group, item_url="",
                           body=body, submitter_hidden=not item.show_name, commit=False, **offline)


def post_idea(process: CoCreation, author: User, title: str, text: str, group: Group | None = None,
              show_name: bool = True) -> Idea:
    if process.stage != Stage.IDEAS:
        raise CoCreationRefused(_("Ideas are collected only in the ideas stage."))
    _check_group(author, group)
    title, text = clean_plain(title, 200), clean_plain(text, TEXT_LIMIT)
    if not title or not text:
        raise CoCreationRefused(_("Write the idea."), "text")
    idea = Idea(process_id=process.id, author=author, group=group, show_name=show_name or group is not None, title=title, text=text,
                moderation=initial_state(process.institution))
    db.session.add(idea)
    db.session.flush()
    idea.case = _open_case(process, idea, _("Idea %(number)s", number=idea.number), text, author, group)
    idea.case.is_private = idea.is_pending  # public once a moderator approves it (moderation.py)
    idea.case.item_url = idea_path(idea)
    _event(process, EventKind.IDEA, idea_id=idea.id)
    db.session.commit()
    return idea


def support_idea(idea: Idea, user: User) -> bool:
    """Once per person, exact under concurrent requests (a unique row and an atomic counter). False: already there."""
    if not permissions.can_support(user, idea):
        raise CoCreationRefused(_("This idea is not collecting supports now."))
    try:
        with db.session.begin_nested():
            db.session.add(IdeaSupport(idea_id=idea.id, user_id=user.id))
    except IntegrityError:
        db.session.rollback()
        return False
    db.session.execute(update(Idea).where(Idea.id == idea.id).values(support_count=Idea.support_count + 1)
                       .execution_options(synchronize_session=False))
    db.session.commit()
    db.session.expire(idea, ["support_count"])
    return True


def answer_idea(idea: Idea, author: User, position: Position, text: str, lineage: int | None = None) -> Response:
    """The working group's answer: a response in the spine's log (a later one corrects it). A taken idea may name the
    clause of the draft it shaped; the credits link there."""
    if idea.process.stage not in (Stage.IDEAS, Stage.DRAFTING):
        raise CoCreationRefused(_("Ideas are answered in the ideas and drafting stages."))
    if position not in IDEA_POSITIONS:
        raise CoCreationRefused(_("Choose a position."))
    if lineage and clause_in_force(idea.process_id, lineage) is None:
        raise CoCreationRefused(_("Choose a clause of the current draft."), "clause")
    idea.lineage = (lineage or None) if position in (Position.ACCEPTED, Position.PARTLY_ACCEPTED) else None
    case = idea.case
    if case.is_awaiting:
        return cases.answer_case(case, author, position, text)
    from participation.cases.queries import case_history

    current = [r for r in case_history(case.id) if r.kind == ResponseKind.ANSWER and r.superseded_by is None]
    if not current:
        raise CoCreationRefused(_("This idea was closed without an answer."))
    return cases.correct_response(current[-1], author, position, text)


# --- the draft ------------------------------------------------------------------------------------------------


def current_version(process_id: int) -> RegulationVersion | None:
    return db.session.scalar(select(RegulationVersion).where(RegulationVersion.process_id == process_id)
                             .order_by(RegulationVersion.number.desc()).limit(1))


def clauses_of(version_id: int) -> list[Clause]:
    return list(db.session.scalars(select(Clause).where(Clause.version_id == version_id).order_by(Clause.position)))


# The number of the process's newest version (the process as the parameter "process_id").
_NEWEST_NUMBER = (select(func.max(RegulationVersion.number))
                  .where(RegulationVersion.process_id == bindparam("process_id")).scalar_subquery())

_NEWEST_WITH_CLAUSES = (
    select(RegulationVersion, Clause).outerjoin(Clause, Clause.version_id == RegulationVersion.id)
    .where(RegulationVersion.process_id == bindparam("process_id"),
           RegulationVersion.number == _NEWEST_NUMBER)
    .order_by(Clause.position)
)


def current_text(process_id: int) -> tuple[RegulationVersion | None, list[Clause]]:
    """The newest version and its clauses in order, in one statement ((None, []) before the first draft)."""
    rows = db.session.execute(_NEWEST_WITH_CLAUSES, {"process_id": process_id}).all()
    if not rows:
        return None, []
    return rows[0][0], [clause for _version, clause in rows if clause is not None]


def publish_draft(process: CoCreation, author: User, source: str, note: str = "") -> RegulationVersion:
    """The working group's first draft, split into clauses (the consultation splitter); drafting begins."""
    if process.stage != Stage.IDEAS:
        raise CoCreationRefused(_("The draft is published once, at the end of the ideas stage."))
    drafts = split_sections(source)
    if not drafts:
        raise CoCreationRefused(_("Paste the text of the draft."), "source")
    version = RegulationVersion(process_id=process.id, number=1, note=clean_plain(note, TEXT_LIMIT), created_at=utcnow())
    db.session.add(version)
    db.session.flush()
    for position, draft in enumerate(drafts):
        clause = Clause(version_id=version.id, position=position, number=draft.number, heading=draft.heading[:255], text=draft.text)
        db.session.add(clause)
        db.session.flush()
        clause.lineage = clause.id
    _change_stage(process, Stage.DRAFTING, EventKind.DRAFT, version_number=1)
    db.session.commit()
    return version


def _parse_wording(text: str) -> tuple[str, str]:
    """A proposed new clause as (number, text): "3.1. Suņus ..." keeps its number."""
    drafts = split_sections(text)
    if len(drafts) == 1 and drafts[0].number and not drafts[0].heading:
        return drafts[0].number, drafts[0].text
    return "", text


# The clause in the process's newest version, with that version, in one statement (built once).
_IN_FORCE = (
    select(Clause).join(Clause.version).options(contains_eager(Clause.version))
    .where(RegulationVersion.process_id == bindparam("process_id"), Clause.lineage == bindparam("lineage"),
           RegulationVersion.number == _NEWEST_NUMBER)
)


def clause_in_force(process_id: int, lineage: int) -> Clause | None:
    """The clause's wording in the current version, its `version` loaded (None once deleted, or for a number no clause
    can have)."""
    if not 0 < lineage <= MAX_ID:
        return None
    return db.session.scalar(_IN_FORCE, {"process_id": process_id, "lineage": lineage})


def last_clause(lineage: int) -> Clause | None:
    """The clause's latest wording in any version (a deleted clause's last one)."""
    return db.session.scalar(select(Clause).where(Clause.lineage == lineage).order_by(Clause.version_id.desc()).limit(1))


def propose_amendment(process: CoCreation, lineage: int, author: User, kind: AmendmentKind, text: str, reason: str,
                      group: Group | None = None, show_name: bool = True) -> Amendment:
    if process.stage != Stage.DRAFTING:
        raise CoCreationRefused(_("Amendments are proposed only in the drafting stage."))
    _check_group(author, group)
    clause = clause_in_force(process.id, lineage)
    if clause is None:
        raise CoCreationRefused(_("This clause is no longer in the draft."))
    text, reason = clean_plain(text, TEXT_LIMIT), clean_plain(reason, TEXT_LIMIT)
    amendment = _new_amendment(process, clause, author, kind, text, reason, group, show_name)
    db.session.commit()
    return amendment


def _new_amendment(process, clause, author, kind, text, reason, group, show_name, received_at=None, **offline) -> Amendment:
    kind = AmendmentKind(kind)
    if kind != AmendmentKind.DELETE and not text:
        raise CoCreationRefused(_("Write the wording you propose."), "text")
    if kind == AmendmentKind.REPLACE and " ".join(text.split()) == " ".join(clause.text.split()):
        raise CoCreationRefused(_("The wording you propose is the same as the clause's."), "text")
    if not reason:
        raise CoCreationRefused(_("Say why."), "reason")
    amendment = Amendment(process_id=process.id, lineage=clause.lineage, base_clause_id=clause.id, kind=kind,
                          text="" if kind == AmendmentKind.DELETE else text, reason=reason, author=author, group=group,
                          show_name=show_name or group is not None,
                          moderation=Moderation.APPROVED if offline else initial_state(process.institution),
                          **{k: v for k, v in offline.items() if k in _CONTRIBUTION_OFFLINE})
    db.session.add(amendment)
    db.session.flush()
    case_offline = {k: v for k, v in offline.items() if k in ("offline_source", "offline_submitter", "is_private")}
    amendment.case = _open_case(process, amendment, _("Amendment %(number)s", number=amendment.number),
                                f"{amendment.text}\n\n{reason}".strip(), author if not amendment.is_offline else None,
                                group, received_at, **case_offline)
    amendment.case.item_url = amendment_path(amendment)
    amendment.case.is_private = amendment.is_pending  # public once a moderator approves it (moderation.py)
    _event(process, EventKind.AMENDMENT, amendment_id=amendment.id)
    return amendment


_CONTRIBUTION_OFFLINE = ("offline_source", "offline_name", "received_on")


def endorse(amendment: Amendment, user: User) -> bool:
    """Once per person, exact under concurrent requests. False: already endorsed."""
    if not permissions.can_endorse(user, amendment):
        raise CoCreationRefused(_("This amendment is not collecting endorsements now."))
    try:
        with db.session.begin_nested():
            db.session.add(Endorsement(amendment_id=amendment.id, user_id=user.id))
    except IntegrityError:
        db.session.rollback()
        return False
    db.session.execute(update(Amendment).where(Amendment.id == amendment.id)
                       .values(endorsement_count=Amendment.endorsement_count + 1).execution_options(synchronize_session=False))
    db.session.commit()
    db.session.expire(amendment, ["endorsement_count"])
    return True


def decide_amendment(amendment: Amendment, author: User, position: Position, reason: str, taken_text: str = "") -> Response:
    """Accept, accept in part (with the wording taken) or reject, with a reason: a response in the log. An acceptance
    produces the next version of the draft (`apply_decision`, run by the response-recorded signal whichever page
    recorded it)."""
    if amendment.process.stage != Stage.DRAFTING:
        raise CoCreationRefused(_("Amendments are decided only in the drafting stage."))
    if amendment.state != AmendmentState.EVALUATING:
        raise CoCreationRefused(_("This amendment is already decided or withdrawn."))
    if position not in DECISIONS:
        raise CoCreationRefused(_("Choose a decision."))
    taken_text = clean_plain(taken_text, TEXT_LIMIT)
    if position == Position.PARTLY_ACCEPTED and not taken_text:
        raise CoCreationRefused(_("Write the wording taken from the amendment."), "taken_text")
    if position in POSITION_STATE and clause_in_force(amendment.process_id, amendment.lineage) is None:
        raise CoCreationRefused(_("The clause is no longer in the draft; this amendment can only be rejected."))
    amendment.taken_text = taken_text if position == Position.PARTLY_ACCEPTED else ""
    return cases.answer_case(amendment.case, author, position, reason)


def withdraw(amendment: Amendment, user: User) -> None:
    if not permissions.can_withdraw(user, amendment):
        raise CoCreationRefused(_("Only its author may withdraw an amendment, while it is being evaluated."))
    amendment.state = AmendmentState.WITHDRAWN
    amendment.decided_at = utcnow()
    _event(amendment.process, EventKind.WITHDRAWN, amendment_id=amendment.id)
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        note = _("The author withdrew the amendment.")
    cases.mark_not_examined(amendment.case, user, note)  # commits


def _amendment_of_case(case_id: int) -> Amendment | None:
    return db.session.scalar(select(Amendment).where(Amendment.case_id == case_id))


def on_response(response: Response, **_extra) -> None:
    """`response_recorded`: an idea's answer and an amendment's decision enter the process's timeline; an accepted
    amendment produces the next version (whether it was decided here or from the inbox)."""
    case = response.case
    if case.channel != Channel.REGULATION:
        return
    amendment = _amendment_of_case(case.id)
    if amendment is not None:
        if amendment.state != AmendmentState.EVALUATING:
            return
        if response.kind == ResponseKind.ANSWER:
            apply_decision(amendment, response.position)
        elif response.kind == ResponseKind.NOT_EXAMINED:
            amendment.state = AmendmentState.REJECTED
            amendment.decided_at = response.created_at
            _event(amendment.process, EventKind.DECISION, amendment_id=amendment.id)
        return
    idea = db.session.scalar(select(Idea).where(Idea.case_id == case.id))
    if idea is not None and response.kind in (ResponseKind.ANSWER, ResponseKind.NOT_EXAMINED):
        _event(idea.process, EventKind.IDEA_ANSWERED, idea_id=idea.id)


def apply_decision(amendment: Amendment, position: Position) -> None:
    amendment.state = POSITION_STATE.get(position, AmendmentState.REJECTED)
    amendment.decided_at = utcnow()
    process = amendment.process
    version_number = None
    if amendment.is_taken and process.stage == Stage.DRAFTING:  # from the inbox later on: the decision, no new version
        version = _next_version(process, amendment)
        version_number = version.number if version is not None else None
    _event(process, EventKind.DECISION, amendment_id=amendment.id, version_number=version_number)


def _next_version(process: CoCreation, amendment: Amendment) -> RegulationVersion | None:
    """The current version with the amendment applied, as the next version. Two decisions at once wait for each other
    on the process's row (PostgreSQL), so each reads the version the other wrote and the numbers follow each other."""
    db.session.execute(select(CoCreation.id).where(CoCreation.id == process.id).with_for_update())
    current = current_version(process.id)
    old = clauses_of(current.id)
    if not any(c.lineage == amendment.lineage for c in old):
        return None
    wording = amendment.taken_text or amendment.text
    version = RegulationVersion(process_id=process.id, number=current.number + 1, created_at=utcnow(),
                                note=_("Amendment %(number)s", number=amendment.number))
    db.session.add(version)
    db.session.flush()
    position, added = 0, None
    for clause in old:
        copy = Clause(version_id=version.id, lineage=clause.lineage, position=position, number=clause.number,
                      heading=clause.heading, text=clause.text)
        if clause.lineage == amendment.lineage:
            if amendment.kind == AmendmentKind.DELETE and not amendment.taken_text:
                amendment.result_lineage = clause.lineage
                continue
            if amendment.kind != AmendmentKind.ADD_AFTER:
                copy.text = wording
                amendment.result_lineage = clause.lineage
        db.session.add(copy)
        position += 1
        if clause.lineage == amendment.lineage and amendment.kind == AmendmentKind.ADD_AFTER:
            number, text = _parse_wording(wording)
            added = Clause(version_id=version.id, lineage=0, position=position, number=number, text=text)
            db.session.add(added)
            position += 1
    db.session.flush()
    if added is not None:
        added.lineage = added.id
        amendment.result_lineage = added.id
    return version


def clause_history(lineage: int) -> list[dict]:
    """Each version in which the clause's wording changed (or it was added or deleted), with the amendment that did it."""
    newest = aliased(RegulationVersion)
    rows = db.session.execute(
        select(Clause, RegulationVersion, select(func.max(newest.number)).where(newest.process_id == RegulationVersion.process_id)
               .scalar_subquery())
        .join(RegulationVersion, RegulationVersion.id == Clause.version_id)
        .where(Clause.lineage == lineage).order_by(RegulationVersion.number)
    ).all()
    if not rows:
        return []
    process_id, latest_number = rows[0][1].process_id, rows[0][2]
    # The amendments taken into this clause, each with the version its decision made (one statement).
    taken = db.session.execute(
        select(Amendment, TimelineEvent.version_number)
        .outerjoin(TimelineEvent, and_(TimelineEvent.amendment_id == Amendment.id, TimelineEvent.process_id == process_id,
                                       TimelineEvent.kind == EventKind.DECISION))
        .where(Amendment.process_id == process_id, Amendment.result_lineage == lineage, Amendment.state.in_(TAKEN_STATES))
    ).all()
    changed_by = {amendment.id: amendment for amendment, _number in taken}
    events = {number: amendment.id for amendment, number in taken if number is not None}
    history, previous, last_number = [], None, None
    for clause, version, _latest in rows:
        if previous is None:
            history.append({"version": version, "clause": clause, "amendment": changed_by.get(events.get(version.number)),
                            "what": "added" if version.number > 1 else "first"})
        elif (clause.text, clause.number, clause.heading) != (previous.text, previous.number, previous.heading):
            history.append({"version": version, "clause": clause, "previous": previous,
                            "amendment": changed_by.get(events.get(version.number)), "what": "changed"})
        previous, last_number = clause, version.number
    if latest_number is not None and last_number is not None and last_number < latest_number:
        version = db.session.scalar(select(RegulationVersion).where(RegulationVersion.process_id == process_id,
                                                                   RegulationVersion.number == last_number + 1))
        history.append({"version": version, "clause": None, "previous": previous,
                        "amendment": changed_by.get(events.get(last_number + 1)), "what": "deleted"})
    return history


# --- offline --------------------------------------------------------------------------------------------------


def register_offline(process: CoCreation, staff: User, what: str, source: OfflineSource, received_on: date, name: str,
                     name_public: bool, title: str = "", text: str = "", lineage: int | None = None,
                     kind: AmendmentKind = AmendmentKind.REPLACE, reason: str = ""):
    """An idea or amendment received on paper, by e-mail or at a meeting: recorded by staff so the record is complete.
    The person's name stays private unless they agreed to show it."""
    if received_on > riga_today():
        raise CoCreationRefused(_("The day of receipt cannot be in the future."), "received_on")
    received_at = riga_to_utc(datetime.combine(received_on, datetime.min.time().replace(hour=12)))
    name = clean_plain(name, 200)
    offline = {"offline_source": OfflineSource(source), "offline_name": name, "received_on": received_on,
               "offline_submitter": name}
    show = bool(name_public and name)
    if what == "idea":
        if process.stage != Stage.IDEAS:
            raise CoCreationRefused(_("Ideas are collected only in the ideas stage."))
        title, text = clean_plain(title, 200), clean_plain(text, TEXT_LIMIT)
        if not title or not text:
            raise CoCreationRefused(_("Write the idea."), "text")
        idea = Idea(process_id=process.id, author=staff, show_name=show, title=title, text=text,
                    **{k: v for k, v in offline.items() if k in _CONTRIBUTION_OFFLINE})
        db.session.add(idea)
        db.session.flush()
        idea.case = _open_case(process, idea, _("Idea %(number)s", number=idea.number), text, None, None, received_at,
                               offline_source=offline["offline_source"], offline_submitter=name)
        idea.case.item_url = idea_path(idea)
        _event(process, EventKind.IDEA, idea_id=idea.id)
        db.session.commit()
        return idea
    if process.stage != Stage.DRAFTING:
        raise CoCreationRefused(_("Amendments are proposed only in the drafting stage."))
    clause = clause_in_force(process.id, lineage or 0)
    if clause is None:
        raise CoCreationRefused(_("Choose a clause of the current draft."), "clause")
    amendment = _new_amendment(process, clause, staff, kind, clean_plain(text, TEXT_LIMIT), clean_plain(reason, TEXT_LIMIT),
                               None, show, received_at, **offline)
    db.session.commit()
    return amendment


# --- the consultation, adoption, stopping ----------------------------------------------------------------------


def open_consultation(process: CoCreation, author: User, closes_on: date, summary: str):
    """One action: a channel-1 consultation on the current draft, with at least the legal minimum window for binding
    regulations (consultations.services decides and refuses a shorter one)."""
    if process.stage != Stage.DRAFTING:
        raise CoCreationRefused(_("The consultation is opened at the end of drafting."))
    version = current_version(process.id)
    source = join_sections(clauses_of(version.id))
    fields = {"title": process.title, "kind": "municipal_regulation", "policy_area": "governance",
              "territory": process.institution.name, "official_name": author.display_name, "official_contact": author.email,
              "problem": process.problem, "goal": "", "summary": summary}
    minimum = consultations.minimum_days(consultations.ConsultationKind.MUNICIPAL_REGULATION, riga_today())
    if closes_on < riga_today() + timedelta(days=minimum):
        raise CoCreationRefused(_("The consultation must last at least %(n)d days: its last day is %(date)s or later.", n=minimum,
                                  date=format_day(riga_today() + timedelta(days=minimum))), "closes_on")
    try:
        consultation = consultations.save_draft(process.institution, author, fields, source)
        consultations.publish(consultation, to_riga(utcnow()).replace(tzinfo=None), closes_on)
    except consultations.ConsultationRefused as refused:
        db.session.rollback()
        raise CoCreationRefused(str(refused)) from None
    process.consultation_id = consultation.id
    _change_stage(process, Stage.CONSULTATION, EventKind.CONSULTATION, version_number=version.number)
    db.session.commit()
    return consultation


def adopt(process: CoCreation, author: User, decision_number: str, decision_on: date) -> None:
    """The council adopted the current text: it is published with the decision's date and number, and the credits."""
    from participation.consultations.models import Consultation, WindowState

    if process.stage != Stage.CONSULTATION:
        raise CoCreationRefused(_("A regulation is adopted after its public consultation."))
    consultation = db.session.get(Consultation, process.consultation_id)
    if consultation.window_state() != WindowState.CLOSED:
        raise CoCreationRefused(_("The public consultation is still open until %(time)s.",
                                  time=format_moment(consultation.closes_at, "dative")))
    if decision_on > riga_today():
        raise CoCreationRefused(_("The day of the decision cannot be in the future."), "decision_on")
    number = clean_plain(decision_number, 60)
    if not number:
        raise CoCreationRefused(_("Enter the number of the council decision."), "decision_number")
    process.decision_number, process.decision_on = number, decision_on
    final = _version_after_consultation(process, consultation)
    if final is not None:
        _event(process, EventKind.VERSION, version_number=final.number)
    _change_stage(process, Stage.ADOPTED, EventKind.ADOPTED, note=number, version_number=current_version(process.id).number)
    db.session.commit()


def _version_after_consultation(process: CoCreation, consultation) -> RegulationVersion | None:
    """The text the council adopted is the consultation's latest version: when the municipality published one after the
    comments (consultations.services.publish_version), it comes back as the process's next version. A clause keeps its
    lineage (its history, its amendments, its credits) when its number, or else its wording, is the same."""
    latest = max(consultation.versions, key=lambda v: v.number)
    if latest.number <= 1:
        return None
    current = current_version(process.id)
    old = clauses_of(current.id)
    if [(s.number, s.heading, s.text) for s in latest.sections] == [(c.number, c.heading, c.text) for c in old]:
        return None
    by_number = {c.number: c for c in old if c.number}
    by_wording = {(c.heading, c.text): c for c in reversed(old)}
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        note = _("Version %(n)d of the public consultation", n=latest.number)
    version = RegulationVersion(process_id=process.id, number=current.number + 1, created_at=utcnow(), note=note)
    db.session.add(version)
    db.session.flush()
    used, added = set(), []
    for position, section in enumerate(latest.sections):
        match = by_number.get(section.number) if section.number else None
        if match is None or match.lineage in used:
            match = by_wording.get((section.heading, section.text))
        lineage = match.lineage if match is not None and match.lineage not in used else 0
        clause = Clause(version_id=version.id, lineage=lineage, position=position, number=section.number,
                        heading=section.heading, text=section.text)
        db.session.add(clause)
        if lineage:
            used.add(lineage)
        else:
            added.append(clause)
    db.session.flush()
    for clause in added:
        clause.lineage = clause.id
    return version


def stop(process: CoCreation, author: User, reason: str) -> None:
    if process.is_closed:
        raise CoCreationRefused(_("This process has already ended."))
    reason = clean_plain(reason, TEXT_LIMIT)
    if not reason:
        raise CoCreationRefused(_("Say why the process stops."), "reason")
    process.stopped_reason = reason
    _change_stage(process, Stage.STOPPED, EventKind.STOPPED, note=reason)
    db.session.commit()


def next_step(process: CoCreation) -> tuple[str, date | None]:
    """What happens next and when, in plain language, for the process page."""
    if process.stage == Stage.IDEAS:
        return "ideas", process.ideas_until
    if process.stage == Stage.DRAFTING:
        return "drafting", process.drafting_until
    if process.stage == Stage.CONSULTATION:
        return "consultation", process.adoption_planned_on
    return str(process.stage), None


def stage_index(process: CoCreation) -> int:
    return STAGE_ORDER.index(process.stage) if process.stage in STAGE_ORDER else -1


# --- credits ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Credit:
    name: str | None  # None: "a resident"
    is_group: bool
    number: str
    url: str
    lineage: int | None  # the clause it changed (None: an idea that shaped the whole text)
    clause_label: str


def credit_name(item) -> tuple[str | None, bool]:
    if item.group is not None:  # sent for a group: the group's name, never the member's (nor once the group is hidden)
        return (item.group.name, True) if item.show_name and not item.group.is_hidden else (None, False)
    if item.is_offline:
        return (item.offline_name or None) if item.show_name else None, False
    return (item.author.display_name if item.show_name else None), False


def credits(process: CoCreation) -> list[Credit]:
    """Everyone (or every group) whose idea or amendment was taken: accepted or partly accepted, not hidden."""
    from sqlalchemy.orm import joinedload

    amendments = db.session.scalars(
        select(Amendment).where(Amendment.process_id == process.id, Amendment.state.in_(TAKEN_STATES),
                                Amendment.hidden_at.is_(None))
        .options(joinedload(Amendment.author), joinedload(Amendment.group)).order_by(Amendment.id)).all()
    ideas = db.session.scalars(
        select(Idea).join(Case, Case.id == Idea.case_id)
        .where(Idea.process_id == process.id, Idea.hidden_at.is_(None),
               Case.position.in_((Position.ACCEPTED, Position.PARTLY_ACCEPTED)))
        .options(joinedload(Idea.author), joinedload(Idea.group)).order_by(Idea.id)).all()
    version = current_version(process.id)
    labels = {c.lineage: c.label for c in clauses_of(version.id)} if version else {}
    result = []
    for idea in ideas:
        name, is_group = credit_name(idea)
        lineage = idea.lineage if idea.lineage in labels else None
        result.append(Credit(name, is_group, idea.number, idea_path(idea), lineage, labels.get(lineage, "")))
    for amendment in amendments:
        name, is_group = credit_name(amendment)
        lineage = amendment.result_lineage
        result.append(Credit(name, is_group, amendment.number, amendment_path(amendment),
                             lineage if lineage in labels else None, labels.get(lineage, "")))
    return result


def connect() -> None:
    response_recorded.connect(on_response)
