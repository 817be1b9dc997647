"""Forms of moderation: validation only."""
from participation.i18n import lazy_gettext as _l
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from participation.form_widgets import Form
from participation.forms import HumanCheckMixin
from participation.moderation.choices import BLOCK_PERIODS, HIDE_REASONS, REPORT_REASONS
from participation.moderation.models import ReportReason


class ReportForm(HumanCheckMixin, Form):
    reason = RadioField(
        _l("Why should a moderator look at it?"),
        choices=[(code.value, label) for code, label in REPORT_REASONS.items() if code != ReportReason.REVIEW],
        validators=[InputRequired(message=_l("Choose a reason."))],
    )
    text = TextAreaField(_l("More about it (optional)"), validators=[Optional(), Length(max=1000)])


class ReviewForm(Form):
    text = TextAreaField(
        _l("Why should it be shown again?"),
        validators=[DataRequired(message=_l("Write why the contribution should be shown again.")), Length(max=1000)],
    )


class HideForm(Form):
    # Radios with none chosen beforehand: the moderator picks the public reason, nothing is preselected for them.
    reason = RadioField(_l("Reason shown to everyone"), choices=[(code.value, label) for code, label in HIDE_REASONS.items()],
                        validators=[InputRequired(message=_l("Choose a reason."))], id="hide-reason")
    note = TextAreaField(_l("Note for other moderators (not public)"), validators=[Optional(), Length(max=1000)], id="hide-note")


class NoteForm(Form):
    note = TextAreaField(_l("Note for other moderators (not public)"), validators=[Optional(), Length(max=1000)])


class BlockForm(Form):
    # The item page holds the hide form and this one: ids of their own (the names the routes read stay the same).
    days = SelectField(_l("For how long"),  # nothing chosen in advance: a block is a decision, not a default
                       choices=[("", _l("Choose how long"))] + [(str(days), label) for days, label in BLOCK_PERIODS.items()],
                       validators=[InputRequired(message=_l("Choose how long the block lasts."))], id="block-days")
    reason = RadioField(_l("Reason"), choices=[(code.value, label) for code, label in HIDE_REASONS.items()],
                        validators=[InputRequired(message=_l("Choose a reason."))], id="block-reason")
    note = TextAreaField(_l("Note for other moderators (not public)"), validators=[Optional(), Length(max=1000)], id="block-note")
