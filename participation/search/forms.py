"""The search page's form: read from the query string (a GET form, so a search is a link anyone can share)."""
from participation.i18n import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import Length, Optional, ValidationError

from participation.form_widgets import Form
from participation.forms import DayField
from participation.search import registry
from participation.search.services import STATES

QUERY_LIMIT = 100


class SearchForm(Form):
    class Meta:
        csrf = False

    q = StringField(_l("Search for"), validators=[Length(max=QUERY_LIMIT)],
                    description=_l("Words from a title or text. Any form of a word finds the others."))
    # Unknown values of the choices are left out by the view (a shared link with an old value still searches).
    kind = SelectMultipleField(_l("What to look in"), validators=[Optional()], validate_choice=False,
                               description=_l("Choose none to look everywhere."))
    institution = SelectField(_l("Institution"), coerce=str, validators=[Optional()], validate_choice=False)
    state = SelectField(_l("State"), choices=[("", _l("Any state"))] + list(STATES.items()), validators=[Optional()],
                        validate_choice=False)
    date_from = DayField(_l("Dated from"), validators=[Optional()], description=_l("For example, 1 3 2026"))
    date_to = DayField(_l("Dated to"), validators=[Optional()], description=_l("For example, 31 3 2026"))

    def __init__(self, *args, institutions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k.name, k.label) for k in registry.kinds()]
        self.institution.choices = [("", _l("All institutions"))] + [(str(i), name) for i, name in institutions]

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date must be the same as or after the start date."))


class ListSearchForm(Form):
    """A list's own search box (institutions), searching through the same index as /search."""

    class Meta:
        csrf = False

    q = StringField(_l("Search institutions"), validators=[Length(max=QUERY_LIMIT)])
