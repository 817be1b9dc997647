"""The keys under which parts of an institution's public page are shared between requests
(`participation.cache.remembered`). A key is `(slot, *state)`: the state holds every value the part shows, so a new
case, a new day or new figures no longer match and a cached part is never stale (tests/test_fragments.py)."""
from flask_babel import get_locale

from participation.clock import riga_today


def open_now_key(institution_id: int, open_cases: int, items) -> tuple:
    """"Open now": how many cases await an answer and the nearest ones, the same for every reader."""
    return (("open-now", str(get_locale()), institution_id), riga_today(), open_cases,
            tuple((c.id, c.title, c.channel, c.due_on, c.state) for c in items))


def figures_key(institution_id: int, figures) -> tuple:
    """The accountability figures, the same for every reader."""
    return (("figures", str(get_locale()), institution_id), figures)
