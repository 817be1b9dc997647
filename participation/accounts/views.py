import math
import time
from urllib.parse import urlsplit, urlunsplit

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, session, url_for
from participation.i18n import gettext as _
from participation.i18n import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from participation.accounts import services, throttle
from participation.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    DeleteAccountForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from participation.extensions import limiter
from participation.institutions.services import memberships_of
from participation.security import log_limit_storage_down, log_login_failure, log_login_throttled
from participation.urls import safe_next

bp = Blueprint("accounts", __name__, url_prefix="/account")


def _start_session(user) -> None:
    """A fresh session on log-in (no fixation), keeping only the chosen language; it lasts SESSION_HOURS at most."""
    _clear_session()
    session["login_at"] = int(_now_seconds())
    login_user(user)


def _now_seconds() -> float:
    """Wall-clock time: a log-in's lifetime is counted in real time, never by the app's clock (participation.clock,
    which tests and demos move to judge deadlines)."""
    return time.time()


def _session_hours() -> int:
    return int(current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() // 3600)


def _clear_session() -> None:
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


@bp.before_app_request
def _end_an_old_session():
    """A log-in lasts SESSION_HOURS at most, counted from the log-in (PERMANENT_SESSION_LIFETIME bounds the cookie's
    signature too, but that is renewed whenever the session changes)."""
    if "_user_id" not in session:
        return
    logged_in_at = session.get("login_at")
    lifetime = current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    if not isinstance(logged_in_at, int) or _now_seconds() - logged_in_at > lifetime:
        logout_user()
        _clear_session()


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = RegisterForm()
    if request.method == "GET":
        form.locale.data = session.get("lang", current_app.config["BABEL_DEFAULT_LOCALE"])
    if form.validate_on_submit():
        # The same page for a registered and a new address (the owner of a registered one gets an e-mail instead).
        services.register(form.email.data, form.password.data, form.display_name.data, form.locale.data)  # consent recorded
        return render_template("accounts/register_sent.html", email=services.normalise_email(form.email.data))
    return render_template("accounts/register.html", form=form), 400 if form.errors else 200


@bp.route("/verify/<token>")
def verify_email(token):
    try:
        services.verify_email(token)
    except services.InvalidToken:
        return render_template("accounts/token_invalid.html"), 400
    flash(_("Thank you, your e-mail address is confirmed."), "success")
    return redirect(url_for("main.home") if current_user.is_authenticated else url_for("accounts.login"))


@bp.post("/verify/resend")
@login_required
@limiter.limit("5 per hour")
def resend_verification():
    services.resend_verification(current_user)
    flash(_("We sent a new confirmation link to %(email)s.", email=current_user.email), "success")
    return redirect(_same_site_page(request.referrer) or url_for("accounts.profile"))


def _same_site_page(referrer: str | None) -> str | None:
    """The page the button was pressed on (the writing gate offers it above a form), as a local path; None for
    another site's page or none at all."""
    if not referrer:
        return None
    parts = urlsplit(referrer)
    if parts.netloc and parts.netloc != request.host:
        return None
    return safe_next(urlunsplit(("", "", parts.path, parts.query, "")))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    status = 200
    try:
        if request.method == "POST":
            throttle.check_storage()  # fail closed: no log-in while guesses cannot be counted
        if form.validate_on_submit():
            try:
                user = services.log_in(form.email.data, form.password.data)
            except services.LoginThrottled as wait:
                _security_event("login_throttled", form.email.data)
                return _login_throttled(form, wait.seconds)
            if user is not None:
                _start_session(user)
                _security_event("login_ok", form.email.data, user)
                flash(_("You are logged in."), "success")
                next_page = safe_next(request.args.get("next")) or url_for("main.home")
                if services.needs_consent(user):  # a new version of the terms: shown before anything else
                    session["terms_pending"] = True
                    return redirect(url_for("accounts.accept_terms", next=next_page))
                return redirect(next_page)
            _security_event("login_failed", form.email.data)
            log_login_failure(form.email.data)
            form.email.errors.append(_("The e-mail address or the password is wrong."))
    except throttle.StorageDown as error:
        return _login_paused(error)
    if form.errors:
        status = 400
    return render_template("accounts/login.html", form=form, session_hours=_session_hours()), status


def _login_throttled(form, seconds: int):
    """Too many wrong passwords for this address: say when to try again, and that a reset link logs in at once."""
    log_login_throttled(form.email.data, seconds)
    minutes = max(1, math.ceil(seconds / 60))
    form.form_errors.append(ngettext(
        "Too many wrong passwords were tried for this account. You can try again in %(num)d minute, or choose a new password now through “Forgot your password?” and log in at once.",
        "Too many wrong passwords were tried for this account. You can try again in %(num)d minutes, or choose a new password now through “Forgot your password?” and log in at once.",
        minutes))
    response = current_app.make_response((render_template("accounts/login.html", form=form, session_hours=_session_hours()), 429))
    response.headers["Retry-After"] = str(seconds)
    return response


def _login_paused(error):
    """The rate-limit storage does not answer: log-in fails closed, for a minute or so, with a plain page."""
    log_limit_storage_down("log-in refused (fail closed)", error)
    page = render_template("errors/error.html", title=_("Log-in is paused for a moment"),
                           text=_("We cannot check log-in attempts just now. Please try again in a minute."))
    response = current_app.make_response((page, 503))
    response.headers["Retry-After"] = "60"
    return response


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        services.end_sessions(current_user._get_current_object())  # ended on the server: a copied cookie opens nothing
    logout_user()
    _clear_session()
    flash(_("You are logged out."), "success")
    return redirect(url_for("main.home"))


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere():
    """End every other session of this account (a library computer, a lost phone); this device stays logged in."""
    user = current_user._get_current_object()
    services.end_sessions(user)
    _start_session(user)
    flash(_("You are logged out on every other device."), "success")
    return redirect(url_for("accounts.profile"))


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def request_reset():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        return render_template("accounts/reset_sent.html", email=form.email.data)
    return render_template("accounts/reset_request.html", form=form), 400 if form.errors else 200


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    try:
        services.user_for_reset_token(token)
    except services.InvalidToken:
        return render_template("accounts/token_invalid.html"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        user = services.reset_password(token, form.password.data)
        _start_session(user)
        flash(_("Your password is changed and you are logged in."), "success")
        return redirect(url_for("main.home"))
    return render_template("accounts/reset_password.html", form=form), 400 if form.errors else 200


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        services.update_profile(current_user, form.display_name.data, form.locale.data)
        session["lang"] = form.locale.data
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template(
        "accounts/profile.html", form=form, memberships=memberships_of(current_user), session_hours=_session_hours()
    ), 400 if form.errors else 200


# --- account and privacy (issue 18) ---------------------------------------------------------------------------


def _security_event(kind: str, email: str | None, user=None) -> None:
    services.record_security_event(kind, email, user, request.remote_addr or "", request.endpoint or "")


@bp.after_app_request
def _record_rate_limit_hits(response):
    """A rate limit hit is kept as a security event (for SECURITY_EVENTS_RETENTION_DAYS, accounts/retention.py)."""
    if response.status_code == 429 and request.endpoint != "accounts.login":  # the log-in records its own refusals
        try:
            user = current_user._get_current_object() if current_user.is_authenticated else None
            _security_event("rate_limited", None, user)
        except Exception:  # the record must never turn a refusal into an error page
            from participation.extensions import db

            db.session.rollback()
    return response


# Where someone who has not yet accepted new terms may still go: the terms themselves, leaving, or deleting.
_TERMS_EXEMPT = {"accounts.accept_terms", "accounts.logout", "accounts.delete_account", "accounts.download_data",
                 "accounts.data", "main.set_language", "static"}


@bp.before_app_request
def _terms_first():
    """After a log-in that showed new terms, every other page waits until they are accepted."""
    if not session.get("terms_pending") or not current_user.is_authenticated:
        return None
    endpoint = request.endpoint or ""
    if endpoint in _TERMS_EXEMPT or endpoint.startswith(("legal.", "ops.")):
        return None
    if not services.needs_consent(current_user):
        session.pop("terms_pending", None)
        return None
    return redirect(url_for("accounts.accept_terms", next=request.full_path if request.method == "GET" else None))


@bp.route("/terms", methods=["GET", "POST"])
@login_required
def accept_terms():
    from participation import legal

    if request.method == "POST":  # CSRFProtect has checked the token
        services.accept_current_terms(current_user._get_current_object())
        session.pop("terms_pending", None)
        flash(_("Thank you. You accepted the current terms."), "success")
        return redirect(safe_next(request.args.get("next")) or url_for("main.home"))
    return render_template("accounts/accept_terms.html", accepted=current_user.terms_version,
                           current=legal.terms_version(), needed=services.needs_consent(current_user))


@bp.route("/email", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per hour", methods=["POST"])
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            services.request_email_change(current_user._get_current_object(), form.current_password.data, form.email.data)
        except services.WrongPassword:
            form.current_password.errors.append(_("The password is wrong."))
        else:
            return render_template("accounts/email_sent.html", email=services.normalise_email(form.email.data))
    return render_template("accounts/change_email.html", form=form), 400 if form.errors else 200


@bp.route("/email/confirm/<token>")
def confirm_email_change(token):
    try:
        services.confirm_email_change(token)
    except services.InvalidToken:
        return render_template("accounts/token_invalid.html"), 400
    except services.EmailTaken:
        return render_template("errors/error.html", title=_("This e-mail address is taken"),
                               text=_("Another account uses this address now. Your account keeps its old address.")), 409
    flash(_("Your e-mail address is changed."), "success")
    return redirect(url_for("accounts.profile") if current_user.is_authenticated else url_for("accounts.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per hour", methods=["POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_password(user, form.current_password.data, form.password.data)
        except services.WrongPassword:
            form.current_password.errors.append(_("The password is wrong."))
        else:
            _start_session(user)  # this device stays logged in; every other session has ended
            flash(_("Your password is changed. You are logged out on every other device."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form), 400 if form.errors else 200


@bp.route("/data")
@login_required
def data():
    return render_template("accounts/data.html")


@bp.post("/data/download")
@login_required
@limiter.limit("10 per hour")
def download_data():
    from participation.accounts.export import build_zip
    from participation.clock import riga_today

    body = build_zip(current_user._get_current_object())
    response = Response(body, mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="lidzdaliba-dati-{riga_today().isoformat()}.zip"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/delete", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per hour", methods=["POST"])
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not user.check_password(form.current_password.data):
            form.current_password.errors.append(_("The password is wrong."))
        else:
            services.delete_account(user)
            logout_user()
            _clear_session()
            flash(_("Your account is deleted. What you wrote in public stays, shown as written by a deleted account."), "success")
            return redirect(url_for("main.home"))
    return render_template("accounts/delete.html", form=form), 400 if form.errors else 200
