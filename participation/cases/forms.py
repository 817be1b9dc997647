from datetime import timedelta

from participation.i18n import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length

from participation.cases.models import CaseState, Channel, OfflineSource, Position
from participation.clock import riga_today
from participation.form_widgets import Form
from participation.forms import DayField

POSITION_LABELS = {
    Position.ANSWERED: _l("Answered"),
    Position.ACCEPTED: _l("Accepted"),
    Position.PARTLY_ACCEPTED: _l("Partly accepted"),
    Position.NOT_ACCEPTED: _l("Not accepted"),
    Position.NOTED: _l("Noted"),
}
STATE_LABELS = {
    CaseState.OPEN: _l("Awaiting answer"),
    CaseState.EXTENDED: _l("Deadline extended"),
    CaseState.FORWARDED: _l("Forwarded"),
    CaseState.ANSWERED: _l("Answered"),
    CaseState.NOT_EXAMINED: _l("Not examined"),
}
CHANNEL_LABELS = {
    Channel.CONSULTATION: _l("Consultation comment"),
    Channel.PROPOSAL: _l("Proposal"),
    Channel.FEEDBACK: _l("Website feedback"),
    Channel.REGULATION: _l("Co-created regulation"),  # an idea or an amendment (issue 16)
    Channel.OFFLINE: _l("Received offline"),
}
SOURCE_LABELS = {
    OfflineSource.LETTER: _l("Letter"),
    OfflineSource.EMAIL: _l("E-mail"),
    OfflineSource.IN_PERSON: _l("In person (library, client service centre)"),
    OfflineSource.PHONE: _l("Phone"),
}
TEXT_LIMIT = 10000
OFFLINE_MAX_AGE_YEARS = 5
_TEXT_LENGTH = Length(max=TEXT_LIMIT, message=_l("Use at most %(max)d characters."))


class AnswerForm(Form):
    position = SelectField(
        _l("Position"),
        choices=[("", _l("Choose a position"))] + [(p.value, label) for p, label in POSITION_LABELS.items()],
        validators=[InputRequired(_l("Choose a position."))],  # nothing chosen in advance (issue 13, item 10)
    )
    text = TextAreaField(
        _l("Answer"),
        description=_l("Answer on substance, in plain language. It is published in the response log."),
        validators=[DataRequired(_l("Write the answer.")), _TEXT_LENGTH],
    )


class ExtendForm(Form):
    new_due_on = DayField(
        _l("New due date"),
        description=_l("For example, 30 12 2026."),
        validators=[InputRequired(_l("Enter the new due date, for example 30 12 2026."))],
    )
    reason = TextAreaField(
        _l("Reason for the extension"),
        description=_l("The submitter is told this reason."),
        validators=[DataRequired(_l("Give the reason for the extension.")), _TEXT_LENGTH],
    )


class ForwardForm(Form):
    target = SelectField(_l("Competent institution"), coerce=int, validators=[InputRequired(_l("Choose the institution."))])
    reason = TextAreaField(
        _l("Why it is forwarded"),
        validators=[DataRequired(_l("Say why the case is forwarded.")), _TEXT_LENGTH],
    )


class NotExaminedForm(Form):
    reason = TextAreaField(
        _l("Legal reason"),
        description=_l("Name the provision of law that allows leaving it unexamined, and explain."),
        validators=[DataRequired(_l("Give the legal reason.")), _TEXT_LENGTH],
    )


class OfflineCaseForm(Form):
    title = StringField(_l("Subject"), validators=[DataRequired(_l("Enter the subject.")), Length(max=255)])
    source = SelectField(_l("How it arrived"), choices=[(s.value, label) for s, label in SOURCE_LABELS.items()])
    received_on = DayField(
        _l("Date received"),
        description=_l("For example, 20 11 2026."),
        validators=[InputRequired(_l("Enter the date it was received, for example 20 11 2026."))],
    )
    submitter = StringField(
        _l("Submitter's name"), description=_l("Optional. Leave empty if it was anonymous."), validators=[Length(max=200)]
    )
    body = TextAreaField(
        _l("What was said"), validators=[DataRequired(_l("Enter what the person said or wrote.")), _TEXT_LENGTH]
    )
    is_private = BooleanField(_l("Keep this case private (it contains personal data)"))


    def validate_received_on(self, field):
        if field.data and field.data > riga_today():
            raise ValidationError(_l("The date received cannot be in the future."))
        if field.data and field.data < riga_today() - timedelta(days=366 * OFFLINE_MAX_AGE_YEARS):
            raise ValidationError(_l("The date received cannot be more than %(n)d years ago.", n=OFFLINE_MAX_AGE_YEARS))


class InboxFilterForm(Form):
    class Meta:
        csrf = False

    channel = SelectField(_l("Channel"), choices=[("", _l("All channels"))] + [(c.value, l) for c, l in CHANNEL_LABELS.items()])
    state = SelectField(_l("State"), choices=[("", _l("All awaiting an answer"))] + [(s.value, l) for s, l in STATE_LABELS.items()])


class ImplementedForm(Form):
    implemented_on = DayField(
        _l("Date it was carried out"),
        description=_l("For example, 20 11 2026."),
        validators=[InputRequired(_l("Enter the date, for example 20 11 2026."))],
    )
    text = TextAreaField(
        _l("What was done"),
        description=_l("Published in the response log and sent to the people who follow the case."),
        validators=[DataRequired(_l("Say what was done.")), _TEXT_LENGTH],
    )

