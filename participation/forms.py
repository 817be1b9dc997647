"""Form fields shared by the domains."""
from datetime import date, timezone

from participation.i18n import lazy_gettext as _l
from wtforms import DateField, HiddenField, StringField


class DayField(DateField):
    """A day, typed in GOV.UK's date input (day, month and year boxes, participation.form_widgets.DateInput) or as one
    YYYY-MM-DD value; a day that cannot be read gets a plain-language message and what was typed is shown again.
    Only days from FIRST_DAY to LAST_DAY are taken (a year-1 or year-9999 day would overflow the conversions to Riga
    time and the working-day calendar): any other day is refused at the field, so no form needs its own check."""

    FIRST_DAY = date(2000, 1, 1)
    LAST_DAY = date(2100, 12, 31)

    def process_formdata(self, valuelist):
        self.data = None
        values = [value.strip() for value in valuelist or []]
        if not any(values):
            return
        try:
            if len(values) == 3:
                day, month, year = (int(value) for value in values)
                read = date(year, month, day)
            else:
                read = date.fromisoformat(values[0])
        except (ValueError, OverflowError):
            raise ValueError(_l("Enter a real date, for example 30 12 2026.")) from None
        if not self.FIRST_DAY <= read <= self.LAST_DAY:
            raise ValueError(_l("Enter a date between the years %(first)d and %(last)d.",
                                first=self.FIRST_DAY.year, last=self.LAST_DAY.year))
        self.data = read

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return self.data.isoformat() if self.data else ""


# --- the human check on public forms ------------------------------------------------------------------------

HUMAN_CHECK_MESSAGE = _l("We could not accept this form. Please check it and send it again.")
PASSWORD_AGAIN_MESSAGE = _l("For your safety the password is not shown again: enter it again.")
_FORM_START_SALT = "participation.form-start"


def _form_start_serializer():
    from flask import current_app
    from itsdangerous import URLSafeSerializer

    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_FORM_START_SALT)


def _now_seconds() -> float:
    from participation.clock import utcnow

    return utcnow().replace(tzinfo=timezone.utc).timestamp()


def _session_key() -> str:
    """A random value kept in the session for the forms' start times, so one cannot be sent from another session."""
    import secrets

    from flask import session

    key = session.get("form_key")
    if not isinstance(key, str) or not key:
        key = session["form_key"] = secrets.token_urlsafe(12)
    return key


def form_start_token() -> str:
    """The moment the form is shown and the session it is shown in, signed with the app's SECRET_KEY so a bot can
    neither forge an earlier one nor reuse one in other sessions; it is refused after FORM_MAX_AGE_SECONDS."""
    return _form_start_serializer().dumps([int(_now_seconds()), _session_key()])


class FormStartField(HiddenField):
    """A hidden, signed start time; every rendering signs a fresh one (a form shown again after an error
    starts again)."""

    def _value(self):
        return form_start_token()


def human_check_failure(form) -> str | None:
    """Why the form looks sent by a program (for the log), or None when it looks sent by a person."""
    from flask import current_app
    from itsdangerous import BadData

    if (form.website.data or "").strip():
        return "honeypot"
    if not getattr(form, "check_fill_time", True):
        return None
    minimum = current_app.config.get("FORM_MIN_FILL_SECONDS", 3) or 0
    if minimum <= 0:
        return None
    from flask import session

    try:
        started, key = _form_start_serializer().loads(form.form_started.data or "")
    except (BadData, TypeError, ValueError):
        return "missing or forged start time"
    if not isinstance(started, int) or isinstance(started, bool):
        return "missing or forged start time"
    if not key or key != session.get("form_key"):
        return "start time from another session"
    elapsed = _now_seconds() - started
    if elapsed > (current_app.config.get("FORM_MAX_AGE_SECONDS") or float("inf")):
        return "start time expired"
    if elapsed < minimum:
        return "sent too fast"
    return None


class HumanCheckMixin:
    """For public forms: a honeypot field people never see and a signed start time; a filled honeypot, a form
    sent back sooner than FORM_MIN_FILL_SECONDS, a missing or forged start time, one signed for another session or
    one older than FORM_MAX_AGE_SECONDS (so a start time cannot be replayed) is refused with one neutral
    message (a form error, shown in the error summary; what was typed stays in the form, except a password, which
    is never sent back to the browser).

    A form that people fill at once on purpose sets ``check_fill_time = False`` and keeps only the honeypot: log-in,
    which password managers fill and send in a moment, never asks anyone to wait.

    Use: ``class ReportForm(HumanCheckMixin, Form)`` and ``{{ human_check(form) }}`` from
    templates/macros/forms.html inside the <form>."""

    check_fill_time = True
    website = StringField(_l("Your website"))
    form_started = FormStartField()

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        reason = human_check_failure(self)
        if reason is None:
            return valid
        from participation.security import log_human_check_refused

        log_human_check_refused(reason)
        if HUMAN_CHECK_MESSAGE not in self.form_errors:
            self.form_errors.append(HUMAN_CHECK_MESSAGE)
        # Everything typed is shown again except a password (never sent back to the browser): say so at the field.
        from wtforms import PasswordField

        for field in self:
            if isinstance(field, PasswordField) and field.data and not field.errors:
                field.errors = [*field.errors, PASSWORD_AGAIN_MESSAGE]
                break
        return False
