"""Who may see and act on a case."""
from participation.cases.models import AWAITING_STATES, Case, CaseState, Position, Response, ResponseKind
from participation.institutions.permissions import StaffAccess, can_answer_cases, is_staff, staff_access


def can_view_case(user, case: Case) -> bool:
    if not case.is_private:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return case.raised_by_id == user.id or is_staff(user, case.institution)


def can_view_inbox(user, institution, access: StaffAccess | None = None) -> bool:
    """Any member of the institution's staff (`access`: their roles, if the page read them already)."""
    return (access or staff_access(user, institution)).is_staff


def can_answer(user, case: Case) -> bool:
    """Only the addressed institution's responders answer, and only while the case awaits an answer."""
    return case.state in AWAITING_STATES and can_answer_cases(user, case.institution)


def can_extend(user, case: Case) -> bool:
    """A deadline is extended once, with notice before it passes, by the institution holding the case."""
    return (
        case.state in AWAITING_STATES
        and not case.extended_once
        and not case.is_overdue
        and can_answer_cases(user, case.institution)
    )


def can_forward(user, case: Case) -> bool:
    return case.state in AWAITING_STATES and can_answer_cases(user, case.institution)


def can_mark_not_examined(user, case: Case) -> bool:
    return case.state in AWAITING_STATES and can_answer_cases(user, case.institution)


def can_correct(user, response: Response) -> bool:
    """The institution that gave an answer may correct it with a new response (never by editing)."""
    return (
        response.kind == ResponseKind.ANSWER
        and response.superseded_by is None
        and response.case.state == CaseState.ANSWERED
        and response.case.institution_id == response.institution_id
        and can_answer_cases(user, response.institution)
    )


def can_record_implementation(user, case: Case) -> bool:
    """After accepting, the institution may record that it carried it out (once)."""
    return (
        case.state == CaseState.ANSWERED
        and case.position in (Position.ACCEPTED, Position.PARTLY_ACCEPTED)
        and case.implemented_on is None
        and can_answer_cases(user, case.institution)
    )


def can_register_offline(user, institution) -> bool:
    return can_answer_cases(user, institution)


def inbox_actions(may_answer: bool, case: Case) -> list[str]:
    """The actions an inbox row offers, given one check of the viewer's role (no query per row)."""
    if not may_answer or case.state not in AWAITING_STATES:
        return []
    actions = ["answer"]
    if not case.extended_once and not case.is_overdue:
        actions.append("extend")
    return actions + ["forward", "not_examined"]
