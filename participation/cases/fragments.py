"""The keys under which a response-log entry or an inbox row is shared between requests
(`participation.cache.remembered`).

A key is `(slot, *state)`: the slot names the fragment, the state holds every value it shows, so a correction, a
renamed institution, a new state or a new day no longer matches and a cached fragment is never stale. A value shown
but left out of its key would be: when cases/_response.html or the inbox row shows something new, add it here
(tests/test_fragments.py changes each one).
"""
from flask_babel import get_locale

from participation.clock import riga_today


def _response_state(response) -> tuple:
    return (response.id, response.kind, response.position, response.effective_on, response.text, response.created_at)


def response_key(response, show_case: bool = True) -> tuple:
    """A response-log entry (cases/_response.html): the same for every reader."""
    earlier = response.supersedes
    case = response.case
    return (("response", str(get_locale()), show_case, response.id), _response_state(response),
            response.institution.name, response.target_institution.name if response.target_institution else None,
            response.author.display_name, (case.id, case.title, case.number),
            response.superseded_by.id if response.superseded_by else None,
            _response_state(earlier) if earlier else None)


def _submitter(case) -> tuple:
    return (case.submitter_hidden, case.raised_by_group.name if case.raised_by_group else None,
            case.raised_by.display_name if case.raised_by else None, case.offline_source, case.offline_submitter)


def inbox_row_key(case, actions: tuple) -> tuple:
    """A row of an inbox: the same for every member of staff who may take the same `actions`."""
    return (("inbox-row", str(get_locale()), case.id, tuple(actions)), riga_today(), case.number, case.title, case.due_on,
            case.is_overdue, case.collective_at, case.channel, case.state,
            case.forwarded_from.name if case.forwarded_from else None, _submitter(case))
