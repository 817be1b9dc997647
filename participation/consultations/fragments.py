"""The keys under which a comment's HTML is shared between requests (`participation.cache.remembered`).

A key is `(slot, *state)`: the slot names the fragment, the state holds every value it shows to someone signed out,
so a changed comment, name, moderation state or answer no longer matches and a cached fragment is never stale. A value
shown but left out of its key would be: when a template shows something new, add it here (tests/test_fragments.py
changes each one).
"""
from flask_babel import get_locale


def _comment_state(comment) -> tuple:
    return (comment.id, comment.text, comment.created_at, comment.show_name, comment.represents,
            comment.author.display_name, (comment.group.name, comment.group.is_verified, comment.group.is_hidden) if comment.group else None,
            comment.section.label if comment.section else None,
            comment.moderation, comment.hidden_reason, comment.is_hidden, comment.highlighted, comment.off_topic)


def _answer_state(comment, answers: dict) -> tuple:
    case = comment.case
    answer = answers.get(comment.case_id) if case else None
    return ((case.id, case.position, case.state) if case else None,
            answer.text if answer else None)


def comment_key(comment, answers: dict, consultation_id: int, on_section_page: bool, latest_number: int,
                anchor: str) -> tuple:
    """A top-level comment on the comments page, with its replies and the institution's position."""
    return (("comment", str(get_locale()), consultation_id, on_section_page, comment.id), latest_number, anchor,
            _comment_state(comment), _answer_state(comment, answers),
            tuple(_comment_state(reply) for reply in comment.replies))


def summary_row_key(comment, answers: dict) -> tuple:
    """A row of the summary table: the comment, its submitter, the position and its reason."""
    return (("summary-row", str(get_locale()), comment.id), _comment_state(comment), _answer_state(comment, answers))


def section_key(section, count: int, consultation_id: int, commenting: bool = False) -> tuple:
    """A section of the draft on the consultation page, with its number of comments and, while comments are accepted
    (`commenting`), its "Comment on point N" link: the same for every reader."""
    return (("section", str(get_locale()), consultation_id, section.id), section.number, section.heading, section.text,
            section.label, count, commenting)


def card_key(consultation, state: str, days_left: int) -> tuple:
    """A consultation's card in the list: its title, institution, kind, window, the days it has left and the day it
    opens or closed."""
    return (("consultation-card", str(get_locale()), consultation.id), consultation.title, consultation.institution.name,
            consultation.kind, state, days_left, consultation.opens_at, consultation.closes_at)
