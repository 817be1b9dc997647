"""Who may publish, extend, comment on and answer consultations."""
from participation.accounts.permissions import can_write
from participation.consultations.models import Comment, Consultation, WindowState
from participation.groups.permissions import can_act_for_group
from participation.institutions.permissions import can_answer_cases, can_edit_content


def can_edit_consultations(user, institution) -> bool:
    """The institution's editors (and administrators) prepare, publish, extend and publish new versions."""
    return can_edit_content(user, institution)


def can_view_consultation(user, consultation: Consultation) -> bool:
    return consultation.published_at is not None or can_edit_content(user, consultation.institution)


def can_comment(user) -> bool:
    """Signed in with a confirmed address (the receipt goes there); the window is checked by the service."""
    return can_write(user) and user.is_verified


def can_comment_for_group(user, group) -> bool:
    return group is None or can_act_for_group(user, group)


def can_record_positions(user, consultation: Consultation) -> bool:
    """The institution's responders record a position on every comment once the window has closed."""
    return consultation.window_state() == WindowState.CLOSED and can_answer_cases(user, consultation.institution)


def can_view_summary_table(user, consultation: Consultation) -> bool:
    """The summary table's rows and its export are public once no comment waits for a position (or its legal reason
    not to be examined); the institution's responders see them while they record positions after the close."""
    return consultation.positions_waiting == 0 or can_record_positions(user, consultation)


def can_edit_comment(user, comment: Comment) -> bool:
    """Comments are a public record: nobody edits anyone's comment, authors included."""
    return False
