from participation.i18n import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from participation.form_widgets import Form
from participation.forms import HumanCheckMixin
from participation.proposals.choices import MUNICIPALITIES, TOPICS, WHOLE_COUNTRY

TEXT_LIMIT = 5000
_TEXT = Length(max=TEXT_LIMIT, message=_l("Use at most %(max)d characters."))

STATE_FILTERS = {
    "awaiting": _l("Awaiting an answer"),
    "answered": _l("Answered"),
    "accepted": _l("Accepted"),
    "implemented": _l("Implemented"),
    "overdue": _l("Overdue"),
}
SORTS = {"newest": _l("Newest first"), "supported": _l("Most supported"), "deadline": _l("Closest to the deadline")}


def territory_choices(empty_label):
    return [("", empty_label), (WHOLE_COUNTRY, _l("All of Latvia"))] + [(m, m) for m in MUNICIPALITIES]


class ProposalForm(HumanCheckMixin, Form):
    institution = SelectField(_l("To which institution"), coerce=int, validators=[InputRequired(_l("Choose the institution."))])
    on_behalf = SelectField(
        _l("Who is submitting"),
        description=_l("A member of a youth council or another group may submit on the group's behalf."),
        coerce=int,
    )
    title = StringField(
        _l("Title"), description=_l("A short sentence that says what you propose."),
        validators=[DataRequired(_l("Enter a title.")), Length(max=200, message=_l("Use at most %(max)d characters."))],
    )
    problem = TextAreaField(_l("The problem"), description=_l("What is wrong now, and for whom?"),
                            validators=[DataRequired(_l("Describe the problem.")), _TEXT])
    solution = TextAreaField(_l("The proposed solution"), description=_l("What should the institution do?"),
                             validators=[DataRequired(_l("Describe the solution you propose.")), _TEXT])
    benefit = TextAreaField(_l("The expected benefit"), description=_l("Optional. Who gains, and how?"), validators=[_TEXT])
    territory = SelectField(_l("Where"), validators=[DataRequired(_l("Choose where this applies."))])
    topics = SelectMultipleField(_l("Topics"), choices=list(TOPICS.items()), validate_choice=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.territory.choices = territory_choices(_l("Choose…"))


class SupportForm(Form):
    notify = BooleanField(_l("E-mail me when the institution answers"))


class MergeForm(Form):
    target = IntegerField(
        _l("Number of the proposal to merge into"),
        description=_l("The number shown on the other proposal's page, for example 12."),
        validators=[InputRequired(_l("Enter the number of the proposal to merge into.")), NumberRange(min=1, max=2147483647)],
    )
    note = TextAreaField(_l("Why they are the same"), validators=[DataRequired(_l("Say why they are the same.")), _TEXT])


class SettingsForm(Form):
    premoderation = BooleanField(_l("A moderator approves each new contribution (proposals, comments) before it is public"))
    support_threshold = IntegerField(
        _l("Supporters needed for a collective submission"),
        description=_l("Leave empty if there is no threshold."),
        validators=[Optional(), NumberRange(min=1, max=10_000_000, message=_l("Enter a whole number from 1."))],
    )
    collection_days = IntegerField(
        _l("Days to collect supports"),
        description=_l("Counted from submission. Leave empty to collect until the answer."),
        validators=[Optional(), NumberRange(min=1, max=3650, message=_l("Enter a number of days from 1 to 3650."))],
    )


class ProposalFilterForm(Form):
    class Meta:
        csrf = False

    q = StringField(_l("Search in titles and text"), validators=[Length(max=100)])
    institution = SelectField(_l("Institution"), coerce=str)
    territory = SelectField(_l("Where"))
    topic = SelectField(_l("Topic"), choices=[("", _l("All topics"))] + list(TOPICS.items()))
    state = SelectField(_l("State"), choices=[("", _l("Any state"))] + list(STATE_FILTERS.items()))
    sort = SelectField(_l("Order"), choices=list(SORTS.items()))

    def __init__(self, *args, institutions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.territory.choices = territory_choices(_l("Anywhere"))
        self.institution.choices = [("", _l("All institutions"))] + [(str(i), name) for i, name in institutions]
