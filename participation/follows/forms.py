"""How often a person hears about each kind of event."""
from participation.i18n import lazy_gettext as _l
from wtforms import RadioField
from wtforms.validators import InputRequired

from participation.follows.models import Event
from participation.follows.services import CHOICES, EVENT_LABELS, FREQUENCY_LABELS
from participation.form_widgets import Form


def _radio(event: Event) -> RadioField:
    return RadioField(EVENT_LABELS[event], choices=[(f.value, FREQUENCY_LABELS[f]) for f in CHOICES[event]],
                      validators=[InputRequired(_l("Choose how often."))])


class PreferencesForm(Form):
    answer = _radio(Event.ANSWER)
    opening = _radio(Event.OPENING)
    closing = _radio(Event.CLOSING)
    version = _radio(Event.VERSION)
    threshold = _radio(Event.THRESHOLD)
    stage = _radio(Event.STAGE)
    cases_due = _radio(Event.CASES_DUE)

    def events(self) -> list[Event]:
        return [Event(name) for name in Event if name in self]
