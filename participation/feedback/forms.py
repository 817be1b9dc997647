"""The forms of website feedback: a site's registration, the widget's form, and the staff list's filter."""
from participation.i18n import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from participation.feedback.services import TEXT_LIMIT, clean_page_url, normalise_origin
from participation.form_widgets import Form

LANGUAGE_CHOICES = [("lv", _l("Latvian")), ("en", _l("English"))]


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").replace("\r", "\n").split("\n") if line.strip()]


class SiteForm(Form):
    name = StringField(_l("Website name"), validators=[DataRequired(_l("Enter the website's name.")), Length(max=200)])
    key = StringField(
        _l("Short name for the snippet"),
        description=_l("Lower-case letters, digits and hyphens, e.g. rezeknes-novads. It cannot be changed later."),
        validators=[DataRequired(_l("Enter a short name.")), Length(max=80),
                    Regexp(r"^[a-z0-9][a-z0-9-]*$", message=_l("Use lower-case letters, digits and hyphens only."))],
    )
    origins = TextAreaField(
        _l("Addresses of the website"),
        description=_l("One a line, exactly as the browser shows it: scheme, host and port, e.g. https://www.rezekne.lv"),
        validators=[DataRequired(_l("Enter at least one address."))],
    )
    path_prefixes = TextAreaField(
        _l("Covered pages (optional)"),
        description=_l("Paths the form may appear on, one a line, e.g. /pakalpojumi/. Leave empty for all pages."),
    )
    question_helped = StringField(_l("Question about the page (optional)"),
                                  description=_l("Leave empty for “Did this page help you?”"), validators=[Length(max=200)])
    question_text = StringField(_l("Question for the free text (optional)"),
                                description=_l("Leave empty for “What was missing or wrong?”"), validators=[Length(max=200)])
    ask_email = BooleanField(_l("Offer an optional e-mail address for an answer"), default=True)
    languages = SelectMultipleField(_l("Languages of the form"), choices=LANGUAGE_CHOICES, default=["lv", "en"],
                                    validators=[DataRequired(_l("Choose at least one language."))])
    premoderation = BooleanField(_l("A moderator checks feedback before anyone sees it"))

    def validate_origins(self, field):
        origins = []
        for line in _lines(field.data):
            origin = normalise_origin(line)
            if origin is None:
                raise ValidationError(_l("“%(value)s” is not an address like https://www.rezekne.lv (no path).", value=line[:100]))
            if origin not in origins:
                origins.append(origin)
        field.cleaned = origins

    def validate_path_prefixes(self, field):
        prefixes = _lines(field.data)
        for prefix in prefixes:
            if not prefix.startswith("/") or len(prefix) > 200:
                raise ValidationError(_l("A covered path starts with /, e.g. /pakalpojumi/."))
        field.cleaned = prefixes

    def fields_dict(self) -> dict:
        return {
            "name": self.name.data, "key": self.key.data, "origins": self.origins.cleaned,
            "path_prefixes": self.path_prefixes.cleaned, "question_helped": self.question_helped.data,
            "question_text": self.question_text.data, "ask_email": self.ask_email.data,
            "languages": [code for code, _label in LANGUAGE_CHOICES if code in (self.languages.data or [])],
            "premoderation": self.premoderation.data,
        }


class WidgetForm(Form):
    """The visitor's form inside the frame. No session and no CSRF cookie: it carries its own signed token."""

    class Meta:
        csrf = False

    helped = RadioField(choices=[("yes", _l("Yes")), ("no", _l("No"))], validate_choice=False)
    text = TextAreaField(validators=[Length(max=TEXT_LIMIT, message=_l("Write at most %(max)d characters."))])
    email = EmailField(_l("Your e-mail address (optional)"),
                       description=_l("Only if you want an answer. It is never published."),
                       validators=[Optional(), Email(_l("Enter an e-mail address like name@example.lv.")), Length(max=255)])
    wants_answer = BooleanField(_l("I want an answer"))
    token = HiddenField()
    website = StringField(_l("Leave this field empty"))  # the honeypot: people never see it

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.helped.data not in (None, "", "yes", "no"):
            self.helped.data = None
        if valid and not self.helped.data and not (self.text.data or "").strip():
            self.helped.errors = [_l("Say whether the page helped you, or write what was missing.")]
            return False
        if valid and self.wants_answer.data and not (self.email.data or "").strip():
            self.email.errors = [_l("Enter your e-mail address, so that the answer can reach you.")]
            return False
        return valid


class ListFilterForm(Form):
    class Meta:
        csrf = False

    state = SelectField(_l("Show"), choices=[("", _l("All feedback")), ("received", _l("Not handled yet")),
                                             ("case", _l("Cases")), ("noted", _l("Noted")), ("not_helped", _l("Did not help"))],
                        default="")


__all__ = ["SiteForm", "WidgetForm", "ListFilterForm", "clean_page_url"]
