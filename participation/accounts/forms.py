from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from participation.form_widgets import Form
from participation.forms import HumanCheckMixin

LANGUAGE_CHOICES = [("lv", "Latviešu"), ("en", "English")]


class _PasswordLength:
    """At least PASSWORD_MIN_LENGTH characters (from configuration)."""

    def __call__(self, form, field):
        minimum = current_app.config["PASSWORD_MIN_LENGTH"]
        if len(field.data or "") < minimum:
            raise ValidationError(_l("Use at least %(n)s characters.", n=minimum))


class RegisterForm(HumanCheckMixin, Form):
    display_name = StringField(
        _l("Name shown with what you write"),
        validators=[DataRequired(_l("Enter the name to show.")), Length(max=120)],
    )
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(_l("Enter your e-mail address.")), Email(_l("Enter a valid e-mail address, like name@example.lv.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"),
        description=_l("At least 12 characters. A few unrelated words make a good password."),
        validators=[DataRequired(_l("Enter a password.")), _PasswordLength(), Length(max=200)],
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(_l("Repeat the password.")), EqualTo("password", _l("The passwords do not match."))],
    )
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, default="lv")


class LoginForm(HumanCheckMixin, Form):
    # Password managers fill and send the log-in form at once: no minimum fill time here, only the honeypot.
    check_fill_time = False
    email = EmailField(_l("E-mail address"), validators=[DataRequired(_l("Enter your e-mail address."))])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])


class ResetRequestForm(HumanCheckMixin, Form):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(_l("Enter your e-mail address.")), Email(_l("Enter a valid e-mail address, like name@example.lv."))],
    )


class ResetPasswordForm(Form):
    password = PasswordField(
        _l("New password"),
        description=_l("At least 12 characters."),
        validators=[DataRequired(_l("Enter a password.")), _PasswordLength(), Length(max=200)],
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(_l("Repeat the password.")), EqualTo("password", _l("The passwords do not match."))],
    )


class ProfileForm(Form):
    display_name = StringField(
        _l("Name shown with what you write"),
        validators=[DataRequired(_l("Enter the name to show.")), Length(max=120)],
    )
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
