"""The key under which a proposal's card in a list is shared between requests (`participation.cache.remembered`).

A key is `(slot, *state)`: the state holds every value the card shows (proposals/_card.html), so a hidden proposal, a
new supporter, an answer or an overdue deadline no longer matches and a cached card is never stale; a value shown but
left out would be (tests/test_fragments.py).
"""
from flask_babel import get_locale


def card_key(proposal, supporters: int) -> tuple:
    case = proposal.case
    return (("proposal-card", str(get_locale()), proposal.id), proposal.title, proposal.is_hidden, proposal.hidden_reason,
            proposal.highlighted, proposal.group.name if proposal.group else None, bool(proposal.group and proposal.group.is_verified), bool(proposal.group and proposal.group.is_hidden), proposal.institution.name,
            proposal.territory, supporters, case.state, case.position, bool(case.implemented_on), case.is_overdue,
            case.institution.name if case.institution_id != proposal.institution_id else None)  # forwarded: where it is now
