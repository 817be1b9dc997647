"""Account actions: register, verify, log in, reset the password, change the profile."""
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from participation.accounts import throttle
from participation.accounts.models import User
from participation.clock import utcnow
from participation.extensions import db
from participation.outbox.services import send_email
from participation.urls import absolute_url

VERIFY_SALT = "verify-email"
RESET_SALT = "reset-password"
REGISTRATION_NOTICE_SECONDS = 60 * 60  # "someone tried to register with your address": once an hour at most


class EmailTaken(ValueError):
    pass


class InvalidToken(ValueError):
    pass


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalars(select(User).where(func.lower(User.email) == normalise_email(email))).first()


def register_user(email: str, password: str, display_name: str, locale: str = "lv") -> User:
    """A new account (for the demo and the command line); raises EmailTaken for a registered address."""
    if find_user_by_email(email) is not None:
        raise EmailTaken(email)
    user = _new_user(email, password, display_name, locale)
    db.session.commit()
    return user


def register(email: str, password: str, display_name: str, locale: str = "lv") -> User | None:
    """Registration through the form, which must not tell whether an address has an account: a new address gets an
    account and a confirmation link; a registered one gets an e-mail saying someone tried to register with it (with a
    link to choose a new password) and no second account. Both paths hash the password, so both take as long, and the
    caller shows the same page. Returns the new account, or None."""
    existing = find_user_by_email(email)
    if existing is None:
        try:
            with db.session.begin_nested():
                user = _new_user(email, password, display_name, locale)
        except IntegrityError:  # registered a moment ago by a parallel request: the same answer as for a known one
            user, existing = None, find_user_by_email(email)
        else:
            db.session.commit()
            return user
    generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])  # the same work as above
    if existing is not None and throttle.first_in_period("register-notice", existing.email, REGISTRATION_NOTICE_SECONDS):
        _send_registration_attempt(existing)  # at most one an hour, so registering cannot flood the owner's inbox
    db.session.commit()
    return None


def _new_user(email: str, password: str, display_name: str, locale: str) -> User:
    user = User(email=normalise_email(email), display_name=display_name.strip(), locale=locale)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    _send_verification(user)
    return user


def _send_registration_attempt(user: User) -> None:
    link = absolute_url("accounts.reset_password", token=password_reset_token(user))
    with force_locale(user.locale):
        send_email(
            user.email,
            _("Someone tried to register with your e-mail address"),
            _("Hello, %(name)s!\n\nSomeone, perhaps you, tried to create a new account with this e-mail address. You already have an account, so no new one was made.\n\nTo log in, use your password. If you have forgotten it, choose a new one through this link (it works for two hours):\n%(link)s\n\nIf it was not you, ignore this message; your account stays as it is.", name=user.display_name, link=link),
        )


def _send_verification(user: User) -> None:
    token = _serializer(VERIFY_SALT).dumps({"id": user.id, "email": user.email})
    link = absolute_url("accounts.verify_email", token=token)
    with force_locale(user.locale):
        send_email(
            user.email,
            _("Confirm your e-mail address"),
            _("Hello, %(name)s!\n\nTo confirm your e-mail address, open this link:\n%(link)s\n\nIf you did not register, ignore this message.", name=user.display_name, link=link),
        )


def resend_verification(user: User) -> None:
    if not user.is_verified:
        _send_verification(user)
        db.session.commit()


def verify_email(token: str) -> User:
    try:
        data = _serializer(VERIFY_SALT).loads(token, max_age=current_app.config["TOKEN_MAX_AGE_SECONDS"])
    except (BadSignature, SignatureExpired) as error:
        raise InvalidToken() from error
    user = db.session.get(User, data.get("id"))
    if user is None or user.email != data.get("email"):
        raise InvalidToken()
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        db.session.commit()
    return user


class LoginThrottled(Exception):
    """Too many wrong passwords for this address lately: it may try again in `seconds`."""

    def __init__(self, seconds: int):
        super().__init__(seconds)
        self.seconds = seconds


def log_in(email: str, password: str) -> User | None:
    """Check a log-in through the per-account throttle (accounts/throttle.py): the account, or None for a wrong
    address or password; raises LoginThrottled while the address must wait, throttle.StorageDown when the throttle's
    storage does not answer (log-in fails closed). After LOGIN_NOTICE_AFTER failures the owner is told once a period."""
    throttle.check_storage()
    seconds = throttle.wait_seconds(email)
    if seconds:
        raise LoginThrottled(seconds)
    user = authenticate(email, password)
    if user is not None:
        throttle.record_success(email)
        return user
    if throttle.record_failure(email):
        owner = find_user_by_email(email)
        if owner is not None:
            _send_login_notice(owner)
            db.session.commit()
    return None


def _send_login_notice(user: User) -> None:
    link = absolute_url("accounts.reset_password", token=password_reset_token(user))
    with force_locale(user.locale):
        send_email(
            user.email,
            _("Wrong passwords were tried on your account"),
            _("Hello, %(name)s!\n\nSomeone has tried several times to log in to your account with a wrong password. Each further attempt now has to wait longer, so your password cannot simply be guessed.\n\nIf you cannot log in now, choose a new password through this link (it works for two hours); it logs you in at once:\n%(link)s\n\nIf it was you, you need do nothing.", name=user.display_name, link=link),
        )


def authenticate(email: str, password: str) -> User | None:
    user = find_user_by_email(email)
    if user is None:
        # Spend the same effort as a real check so timing does not reveal which addresses exist.
        User(password_hash="").set_password(password)
        return None
    return user if user.check_password(password) else None


def request_password_reset(email: str) -> None:
    """Send a reset link if the address is registered; the caller says the same thing either way."""
    user = find_user_by_email(email)
    if user is None:
        return
    link = absolute_url("accounts.reset_password", token=password_reset_token(user))
    with force_locale(user.locale):
        send_email(
            user.email,
            _("Reset your password"),
            _("Hello, %(name)s!\n\nTo choose a new password, open this link:\n%(link)s\n\nIf you did not ask for this, ignore this message; your password stays as it is.", name=user.display_name, link=link),
        )
    db.session.commit()


def password_reset_token(user: User) -> str:
    """A signed token naming the user and a fingerprint of the current hash, so it works once."""
    return _serializer(RESET_SALT).dumps({"id": user.id, "h": user.password_hash[-16:]})


def user_for_reset_token(token: str) -> User:
    try:
        data = _serializer(RESET_SALT).loads(token, max_age=60 * 60 * 2)
    except (BadSignature, SignatureExpired) as error:
        raise InvalidToken() from error
    user = db.session.get(User, data.get("id"))
    # The token carries a fingerprint of the old hash, so it stops working once used.
    if user is None or user.password_hash[-16:] != data.get("h"):
        raise InvalidToken()
    return user


def reset_password(token: str, password: str) -> User:
    user = user_for_reset_token(token)
    user.set_password(password)
    user.session_version += 1  # every other session of this account ends
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()  # the link proved the address
    db.session.commit()
    return user


def end_sessions(user: User) -> None:
    """End every session of this account, on every device: log-out and "log out on every other device" (the version
    kept in each session cookie no longer matches, so a copied cookie opens nothing either)."""
    user.session_version += 1
    db.session.commit()


def update_profile(user: User, display_name: str, locale: str) -> None:
    user.display_name = display_name.strip()
    user.locale = locale
    db.session.commit()


def set_platform_roles(user: User, is_moderator: bool, is_admin: bool) -> None:
    """Grant or take away the moderator and platform administrator roles."""
    user.is_moderator = is_moderator
    user.is_admin = is_admin
    db.session.commit()


def search_users(query: str = ""):
    """Users by e-mail or name, for the administrator's list (paginated)."""
    statement = select(User).order_by(User.email)
    if query:
        pattern = f"%{query.strip().lower()}%"
        statement = statement.where(func.lower(User.email).like(pattern) | func.lower(User.display_name).like(pattern))
    return statement
