from flask import current_app
from participation.i18n import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
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
    agree = BooleanField(
        _l("I accept the terms and community rules and I have read the privacy notice"),
        validators=[DataRequired(_l("To create an account, accept the terms and community rules."))],
    )


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


# --- account and privacy (issue 18) ---------------------------------------------------------------------------

class ChangeEmailForm(Form):
    email = EmailField(
        _l("New e-mail address"),
        description=_l("We send a link to the new address. Your account keeps the old one until you open the link."),
        validators=[DataRequired(_l("Enter the new e-mail address.")), Email(_l("Enter a valid e-mail address, like name@example.lv.")), Length(max=254)],
    )
    current_password = PasswordField(
        _l("Your current password"), validators=[DataRequired(_l("Enter your current password."))],
    )


class ChangePasswordForm(Form):
    current_password = PasswordField(
        _l("Your current password"), validators=[DataRequired(_l("Enter your current password."))],
    )
    password = PasswordField(
        _l("New password"),
        description=_l("At least 12 characters. A few unrelated words make a good password."),
        validators=[DataRequired(_l("Enter a password.")), _PasswordLength(), Length(max=200)],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(_l("Repeat the password.")), EqualTo("password", _l("The passwords do not match."))],
    )


class DeleteAccountForm(Form):
    current_password = PasswordField(
        _l("Your password"), validators=[DataRequired(_l("Enter your password to delete the account."))],
    )
    understood = BooleanField(
        _l("I understand that my account is deleted for good and cannot be restored"),
        validators=[DataRequired(_l("Confirm that you understand the account cannot be restored."))],
    )
