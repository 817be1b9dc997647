"""Every form field renders as a GOV.UK Frontend component (govuk-frontend-wtf widgets over govuk-frontend-jinja macros),
in the reader's language: the base form picks the widget by the field's type, so a form class says what it asks and
a template only places the field (``{{ field(form.text) }}`` in templates/macros/forms.html).

A text field with a maximum length gets GOV.UK's character count: the limit is shown before typing, counted while
typing (with JavaScript), and text over the limit is refused by the form's own Length validator with the text kept.
"""
from participation.i18n import gettext as _
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovFileInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from govuk_frontend_wtf.gov_form_base import GovFormBase
from wtforms import fields
from wtforms.validators import Length


def max_length(field) -> int | None:
    """The field's Length(max=...) limit, if it has one."""
    limits = [v.max for v in field.validators if isinstance(v, Length) and v.max and v.max > 0]
    return min(limits) if limits else None


def character_count_texts() -> dict:
    """GOV.UK Frontend's character-count messages in the reader's language (Latvian plural rules also ask for "zero")."""
    return {
        "textareaDescriptionText": _("You can enter up to %{count} characters"),
        "charactersUnderLimitText": {
            "zero": _("You have %{count} characters remaining"),
            "one": _("You have %{count} character remaining"),
            "other": _("You have %{count} characters remaining"),
        },
        "charactersAtLimitText": _("You have 0 characters remaining"),
        "charactersOverLimitText": {
            "zero": _("You have %{count} characters too many"),
            "one": _("You have %{count} character too many"),
            "other": _("You have %{count} characters too many"),
        },
    }


class CharacterCount(GovCharacterCount):
    """A textarea with GOV.UK's character count, its limit read from the field's Length validator."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        limit = max_length(field)
        if limit:
            params.setdefault("maxlength", limit)
        for key, value in character_count_texts().items():
            params.setdefault(key, value)
        return params


class TextInput(GovTextInput):
    pass


class EmailInput(GovTextInput):
    input_type = "email"

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        params.setdefault("spellcheck", False)
        return params


class NumberInput(GovTextInput):
    """Whole numbers as GOV.UK asks: a text input with the numeric keyboard, not type=number."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        params.setdefault("inputmode", "numeric")
        params.setdefault("classes", "govuk-input--width-5")
        return params


class DateInput(GovDateInput):
    """GOV.UK's date input (day, month, year) for participation.forms.DayField, labelled in the reader's language;
    what was typed is shown again after an error, also a day sent as one YYYY-MM-DD value."""

    def map_gov_params(self, field, **kwargs):
        day = month = year = ""
        if field.raw_data and len(field.raw_data) == 3:
            day, month, year = field.raw_data
        elif field.data:
            day, month, year = str(field.data.day), str(field.data.month), str(field.data.year)
        elif field.raw_data:
            year = field.raw_data[0]
        error = " govuk-input--error" if field.errors else ""
        kwargs.setdefault("params", {})
        kwargs["params"].setdefault("items", [
            {"label": _("Day"), "id": field.id + "-day", "name": field.name, "value": day, "classes": "govuk-input--width-2" + error,
             "inputmode": "numeric"},
            {"label": _("Month"), "id": field.id + "-month", "name": field.name, "value": month,
             "classes": "govuk-input--width-2" + error, "inputmode": "numeric"},
            {"label": _("Year"), "id": field.id + "-year", "name": field.name, "value": year,
             "classes": "govuk-input--width-4" + error, "inputmode": "numeric"},
        ])
        params = GovFormBase.map_gov_params(self, field, **kwargs)  # GovDateInput's own expects three values
        params.setdefault("fieldset", {"legend": {"text": field.label.text}})
        params["attributes"].pop("required", None)  # it would land on the group's <div>, which is not valid HTML
        return params


class TimeInput(GovTextInput):
    input_type = "time"

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        params.setdefault("classes", "govuk-input--width-5")
        return params


class Select(GovSelect):
    """GOV.UK's select; `required` only where the first option is an empty "choose" option (HTML allows no other)."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        items = params.get("items") or []
        if items and str(items[0].get("value", "")) != "":
            params["attributes"].pop("required", None)
        return params


class PasswordInput(GovPasswordInput):
    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        params.setdefault("showPasswordText", _("Show"))
        params.setdefault("hidePasswordText", _("Hide"))
        params.setdefault("showPasswordAriaLabelText", _("Show password"))
        params.setdefault("hidePasswordAriaLabelText", _("Hide password"))
        params.setdefault("passwordShownAnnouncementText", _("Your password is visible"))
        params.setdefault("passwordHiddenAnnouncementText", _("Your password is hidden"))
        return params


def widget_for(field_class, kwargs: dict):
    """The GOV.UK widget for a field class; None keeps the field's own (hidden fields, the honeypot)."""
    from participation.forms import DayField, FormStartField

    if issubclass(field_class, (fields.HiddenField, FormStartField)):
        return None
    if issubclass(field_class, fields.TextAreaField):
        has_limit = any(isinstance(v, Length) and v.max and v.max > 0 for v in kwargs.get("validators") or ())
        return CharacterCount() if has_limit else GovTextArea()
    if issubclass(field_class, fields.PasswordField):
        return PasswordInput()
    if issubclass(field_class, fields.EmailField):
        return EmailInput()
    if issubclass(field_class, DayField):
        return DateInput()
    if issubclass(field_class, fields.TimeField):
        return TimeInput()
    if issubclass(field_class, fields.IntegerField):
        return NumberInput()
    if issubclass(field_class, fields.BooleanField):
        return GovCheckboxInput()
    if issubclass(field_class, fields.RadioField):
        return GovRadioInput()
    if issubclass(field_class, fields.SelectMultipleField):
        return GovCheckboxesInput()
    if issubclass(field_class, fields.SelectField):
        return Select()
    if issubclass(field_class, fields.FileField):
        return GovFileInput()
    if issubclass(field_class, fields.StringField):
        return TextInput()
    return None


def _sends_data(form) -> bool:
    """A form that is posted (CSRF on), unlike a list's filter form (``class Meta: csrf = False``)."""
    for klass in type(form).__mro__:
        if klass is FlaskForm:  # below it, WTForms' own default Meta says csrf = False
            break
        meta = klass.__dict__.get("Meta")
        if meta is not None and meta.__dict__.get("csrf") is False:
            return False
    return True


class Form(FlaskForm):
    """The platform's form: Flask-WTF (CSRF) with every field rendered as a GOV.UK Frontend component. A page that
    makes a form which is posted is not kept by the browser (participation.security: Cache-Control: no-store)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if _sends_data(self):
            from flask import g, has_request_context

            if has_request_context():
                g.form_page = True

    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            if "widget" not in unbound_field.kwargs:
                widget = widget_for(unbound_field.field_class, unbound_field.kwargs)
                if widget is not None:
                    options = dict(options, widget=widget)
            return super().bind_field(form, unbound_field, options)
