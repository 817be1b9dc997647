"""Who may run an institution's websites and handle their feedback."""
from participation.feedback.models import Feedback
from participation.institutions.permissions import staff_access


def can_view_feedback(user, institution) -> bool:
    """Any member of the institution's staff reads its feedback and figures."""
    return staff_access(user, institution).is_staff


def can_manage_sites(user, institution) -> bool:
    """Editors and institution administrators (and the platform's) register, pause and remove websites."""
    access = staff_access(user, institution)
    return access.can_edit_content or access.platform_admin


def can_handle_feedback(user, institution) -> bool:
    """Responders and institution administrators mark feedback noted, open a case, ask to publish it."""
    return staff_access(user, institution).can_answer_cases


def can_view_item(user, feedback: Feedback) -> bool:
    """Published feedback is public; otherwise the institution's staff only (it may hold personal data).
    Pre-moderated feedback waiting for a moderator is seen by no one but the moderators."""
    if feedback.is_published:
        return True
    if feedback.is_pending and feedback.publication == feedback.publication.PRIVATE:
        return False
    return can_view_feedback(user, feedback.institution)
