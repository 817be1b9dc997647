from participation.i18n import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
import secrets

from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from participation.consultations.models import ConsultationKind
from participation.form_widgets import Form
from participation.forms import DayField, HumanCheckMixin
from participation.proposals.choices import MUNICIPALITIES, WHOLE_COUNTRY

KIND_LABELS = {
    ConsultationKind.DEVELOPMENT_PLAN: _l("Development-planning document"),
    ConsultationKind.LAW_DRAFT: _l("Draft law"),
    ConsultationKind.CABINET_REGULATION: _l("Draft cabinet regulation"),
    ConsultationKind.MUNICIPAL_REGULATION: _l("Municipal binding regulation"),
    ConsultationKind.OTHER: _l("Other document"),
}
POLICY_AREAS = {
    "governance": _l("Public administration"), "regional": _l("Regional development"), "environment": _l("Environment"),
    "transport": _l("Roads and transport"), "education": _l("Education"), "social": _l("Social care"),
    "health": _l("Health"), "culture": _l("Culture"), "economy": _l("Business and jobs"), "digital": _l("Digital services"),
}
STATE_LABELS = {"open": _l("Open for comments"), "scheduled": _l("Opens later"), "closed": _l("Closed")}
_TEXT = Length(max=20000, message=_l("Use at most %(max)d characters."))


class ConsultationForm(Form):
    institution = SelectField(_l("Institution"), coerce=int)
    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter the title.")), Length(max=255, message=_l("Use at most %(max)d characters."))])
    kind = SelectField(_l("Type of document"), choices=[(k.value, l) for k, l in KIND_LABELS.items()])
    policy_area = SelectField(_l("Policy area"), choices=list(POLICY_AREAS.items()))
    territory = SelectField(_l("Territory"), choices=[(WHOLE_COUNTRY, _l("All of Latvia"))] + [(m, m) for m in MUNICIPALITIES])
    official_name = StringField(_l("Responsible official"), validators=[DataRequired(_l("Name the responsible official.")), Length(max=120, message=_l("Use at most %(max)d characters."))])
    official_contact = StringField(_l("Official's contact"), description=_l("E-mail address or phone."),
                                   validators=[DataRequired(_l("Give the official's contact.")), Length(max=200, message=_l("Use at most %(max)d characters."))])
    problem = TextAreaField(_l("The problem"), validators=[DataRequired(_l("Describe the problem.")), _TEXT])
    goal = TextAreaField(_l("The goal"), validators=[DataRequired(_l("Describe the goal.")), _TEXT])
    summary = TextAreaField(_l("Plain-language summary"),
                            description=_l("What changes for people, in everyday words. Required before publishing."), validators=[_TEXT])
    premoderation = BooleanField(_l("A moderator approves each comment before it is public (pre-moderation)"))
    source = TextAreaField(
        _l("Text of the draft"),
        description=_l("Paste plain text or Markdown. Numbered points (1., 1.1., 2.3.1.), chapter headings and annexes become sections; check the split below before publishing."),
        validators=[DataRequired(_l("Paste the text of the draft.")), Length(max=300000, message=_l("Use at most %(max)d characters."))],
    )


class PublishForm(Form):
    opens_on = DayField(_l("Opens on"), validators=[InputRequired(_l("Enter the opening day, for example 1 12 2026."))])
    opens_time = TimeField(_l("Opening time (Riga)"), validators=[InputRequired(_l("Enter the opening time, for example 09:00."))])
    closes_on = DayField(_l("Last day for comments"), description=_l("Leave empty for the default window of 30 days. Comments are accepted until 23:59 on that day."),
                         validators=[Optional()])


class ExtendWindowForm(Form):
    new_closes_on = DayField(_l("New last day for comments"), validators=[InputRequired(_l("Enter the new last day."))])
    reason = TextAreaField(_l("Reason"), description=_l("Shown publicly with the date of the change."),
                           validators=[DataRequired(_l("Give the reason.")), Length(max=2000, message=_l("Use at most %(max)d characters."))])


def _new_submission_key() -> str:
    return secrets.token_urlsafe(24)


class SubmissionKeyMixin:
    """A random key made when the form is shown: the same form sent twice (a double click) stores one comment."""

    submission = HiddenField(default=_new_submission_key, validators=[Optional(), Length(max=64, message=_l("Use at most %(max)d characters."))])


class CommentForm(SubmissionKeyMixin, HumanCheckMixin, Form):
    section = SelectField(_l("What you comment on"), coerce=int)
    text = TextAreaField(_l("Your comment"), description=_l("Plain text; links are allowed. At most 5,000 characters."),
                         validators=[DataRequired(_l("Write your comment.")), Length(max=5000, message=_l("Use at most %(max)d characters."))])
    on_behalf = SelectField(_l("Who is commenting"), coerce=int)
    represents = StringField(_l("Organisation you represent"), description=_l("Optional. Leave empty if you speak for yourself."),
                             validators=[Length(max=200, message=_l("Use at most %(max)d characters."))])
    show_name = BooleanField(_l("Show my name with the comment (otherwise: \"private person\")"), default=True)


class ReplyForm(SubmissionKeyMixin, HumanCheckMixin, Form):
    text = TextAreaField(_l("Your reply"), validators=[DataRequired(_l("Write your reply.")), Length(max=5000, message=_l("Use at most %(max)d characters."))])


POSITION_CHOICES = [("accepted", _l("Accepted")), ("partly_accepted", _l("Partly accepted")),
                    ("not_accepted", _l("Not accepted")), ("noted", _l("Noted"))]


class PositionForm(Form):
    """One row of the summary table's form (prefixed "c<comment id>-"): nothing is chosen before the responder does."""

    position = SelectField(_l("Position"), choices=[("", _l("Choose a position"))] + POSITION_CHOICES,
                           validators=[DataRequired(_l("Choose a position."))])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(_l("Give the reason for the position.")),
                                                     Length(max=5000, message=_l("Use at most %(max)d characters."))])

    def is_filled(self) -> bool:
        """Whether the responder chose or typed anything in this row (an untouched row is not saved)."""
        return bool(self.position.raw_data and self.position.raw_data[0]) or bool((self.reason.data or "").strip())


class VersionForm(Form):
    source = TextAreaField(_l("Text of the new version"), validators=[DataRequired(_l("Paste the text of the new version.")),
                                                                      Length(max=300000, message=_l("Use at most %(max)d characters."))])
    note = TextAreaField(_l("What changed"), description=_l("A short note in plain language."),
                         validators=[Length(max=5000, message=_l("Use at most %(max)d characters."))])


class AttachmentForm(Form):
    file = FileField(_l("Attachment (PDF, DOCX or ODT)"), validators=[FileRequired(_l("Choose a file."))])


class ConsultationFilterForm(Form):
    class Meta:
        csrf = False

    q = StringField(_l("Search in titles and summaries"), validators=[Length(max=100)])
    institution = SelectField(_l("Institution"))
    kind = SelectField(_l("Type of document"), choices=[("", _l("All types"))] + [(k.value, l) for k, l in KIND_LABELS.items()])
    policy_area = SelectField(_l("Policy area"), choices=[("", _l("All areas"))] + list(POLICY_AREAS.items()))
    state = SelectField(_l("State"), choices=[("", _l("Any state"))] + list(STATE_LABELS.items()))

    def __init__(self, *args, institutions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.institution.choices = [("", _l("All institutions"))] + [(str(i), name) for i, name in institutions]
