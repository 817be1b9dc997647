"""Account actions: register, verify, log in, reset the password, change the profile."""
from flask import current_app
from flask_babel import force_locale
from participation.i18n import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from blinker import Namespace
from sqlalchemy import delete, func, select, update
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
_signals = Namespace()


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
    caller shows the same page. Returns the new account, or None.

    The password is hashed (the slow step: scrypt, a good part of a second) before the transaction that reads and
    writes, and any read transaction of the request is ended first: on SQLite (development, with the job consumer
    writing beside the web server) a transaction that holds its read lock through the hashing and then writes is the
    one SQLite refuses at once ("database is locked") when the consumer wrote meanwhile."""
    db.session.commit()
    password_hash = generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])
    existing = find_user_by_email(email)
    if existing is None:
        try:
            with db.session.begin_nested():
                user = _new_user(email, password, display_name, locale, password_hash=password_hash)
        except IntegrityError:  # registered a moment ago by a parallel request: the same answer as for a known one
            user, existing = None, find_user_by_email(email)
        else:
            db.session.commit()
            return user
    if existing is not None and throttle.first_in_period("register-notice", existing.email, REGISTRATION_NOTICE_SECONDS):
        _send_registration_attempt(existing)  # at most one an hour, so registering cannot flood the owner's inbox
    db.session.commit()
    return None


def _new_user(email: str, password: str, display_name: str, locale: str, password_hash: str | None = None) -> User:
    user = User(email=normalise_email(email), display_name=display_name.strip(), locale=locale)
    if password_hash is None:
        user.set_password(password)
    else:
        user.password_hash = password_hash
    record_consent(user)  # the form asks for it; the demo and the command line accept the current versions
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


# --- account and privacy (issue 18) ---------------------------------------------------------------------------

EMAIL_CHANGE_SALT = "change-email"
account_deleted = _signals.signal("account-deleted")  # sender: the anonymised User, after the commit

# Tables that keep a row of a deleted account, pointing at the anonymised account, because they are part of a public
# count or of a log that must stay complete; every other table with a user_id column loses the person's rows.
KEPT_ON_DELETION = {"supports", "cocreation_idea_supports", "cocreation_endorsements"}


def record_consent(user: User) -> None:
    """The person accepts the terms and the privacy notice in force (at registration, or when a new version is shown
    at log-in): the versions are recorded with the time."""
    from participation import legal

    user.terms_version = legal.terms_version()
    user.privacy_version = legal.privacy_version()
    user.consented_at = utcnow()


def accept_current_terms(user: User) -> None:
    record_consent(user)
    db.session.commit()


def needs_consent(user: User) -> bool:
    """True when the person has not accepted the terms (or the privacy notice) now in force."""
    from participation import legal

    return user.terms_version != legal.terms_version() or user.privacy_version != legal.privacy_version()


class WrongPassword(ValueError):
    pass


def change_password(user: User, current_password: str, new_password: str) -> None:
    """A new password, after the current one: every other session ends (the caller starts this one again) and the
    owner is told by e-mail, so a stranger who changed it is noticed."""
    if not user.check_password(current_password):
        raise WrongPassword()
    user.set_password(new_password)
    user.session_version += 1
    with force_locale(user.locale):
        send_email(
            user.email,
            _("Your password was changed"),
            _("Hello, %(name)s!\n\nThe password of your account was changed just now, and you were logged out on every other device.\n\nIf it was not you, choose a new password at once through “Forgot your password?” on the log-in page:\n%(link)s", name=user.display_name, link=absolute_url("accounts.request_reset")),
        )
    db.session.commit()


def request_email_change(user: User, current_password: str, new_email: str) -> None:
    """Start changing the address: a link goes to the new one and nothing changes until it is opened. Raises
    WrongPassword; a taken address is refused only when the link is opened (the form tells nothing about who has an
    account), and its owner is not written to."""
    if not user.check_password(current_password):
        raise WrongPassword()
    new_email = normalise_email(new_email)
    token = _serializer(EMAIL_CHANGE_SALT).dumps({"id": user.id, "old": user.email, "new": new_email})
    link = absolute_url("accounts.confirm_email_change", token=token)
    if find_user_by_email(new_email) is None:
        with force_locale(user.locale):
            send_email(
                new_email,
                _("Confirm your new e-mail address"),
                _("Hello, %(name)s!\n\nTo use this address for your Līdzdalība account, open this link (it works for three days):\n%(link)s\n\nUntil then your account keeps its old address. If you did not ask for this, ignore this message.", name=user.display_name, link=link),
            )
    db.session.commit()


def confirm_email_change(token: str) -> User:
    """The link from the new address was opened: the address changes, the old address is told (with a way back
    through a password reset if it was not the owner), and the new one counts as confirmed."""
    try:
        data = _serializer(EMAIL_CHANGE_SALT).loads(token, max_age=current_app.config["TOKEN_MAX_AGE_SECONDS"])
    except (BadSignature, SignatureExpired) as error:
        raise InvalidToken() from error
    user = db.session.get(User, data.get("id"))
    if user is None or user.is_deleted or user.email != data.get("old"):
        raise InvalidToken()  # used already, or the address changed since
    new_email = data.get("new")
    if find_user_by_email(new_email) is not None:
        raise EmailTaken(new_email)
    old_email = user.email
    user.email = new_email
    user.email_verified_at = utcnow()
    with force_locale(user.locale):
        send_email(
            old_email,
            _("The e-mail address of your account was changed"),
            _("Hello, %(name)s!\n\nThe e-mail address of your Līdzdalība account was changed from %(old)s to %(new)s. Messages now go to the new address.\n\nIf you did not do this, write to us at once through the contact page:\n%(link)s", name=user.display_name, old=old_email, new=new_email, link=absolute_url("legal.contact")),
        )
    try:
        db.session.commit()
    except IntegrityError as error:  # taken a moment ago by a parallel request
        db.session.rollback()
        raise EmailTaken(new_email) from error
    return user


def delete_account(user: User) -> None:
    """Delete the person's account (the function that anonymises; also used for unverified accounts that wrote).

    What goes: the e-mail address, the name, the password, the language, the consents; unsubmitted drafts; staff and
    group memberships; follows, preferences and any other row of theirs in a table with a user_id column (other
    packages may also listen to `account_deleted`); the text of their reports; e-mail queued or sent to them; their
    log-in and rate-limit events. What stays, shown as "Deleted account": their public contributions (comments,
    submitted proposals, supports in the counts), the cases opened for them and every answer in the response log,
    the moderation log. The row itself stays, anonymised, so those keep an author."""
    erase_personal_rows(user)
    user.email = f"deleted-{user.id}@deleted.invalid"
    user._display_name = ""
    user.password_hash = "!"  # no password matches
    user.email_verified_at = None
    user.is_moderator = user.is_admin = False
    user.terms_version = user.privacy_version = ""
    user.consented_at = None
    user.session_version += 1  # every session ends
    user.deleted_at = utcnow()
    db.session.commit()
    account_deleted.send(user)


def erase_personal_rows(user: User) -> None:
    """The person's own rows (not committed): drafts, report texts, memberships, follows and every other row in a
    table with a user_id column (except the counted ones, KEPT_ON_DELETION), e-mail to their address; their groups
    pass to another member. Used by delete_account and by the retention of unverified accounts."""
    from participation.moderation.models import Report
    from participation.outbox.models import OutboxMessage
    from participation.proposals.models import Proposal, ProposalStatus

    email = user.email
    for draft in db.session.scalars(select(Proposal).where(Proposal.author_id == user.id, Proposal.status == ProposalStatus.DRAFT)):
        db.session.delete(draft)
    db.session.execute(update(Report).where(Report.reporter_id == user.id).values(text=""))
    _hand_over_groups(user)
    for table in db.metadata.sorted_tables:
        column = table.columns.get("user_id")
        if column is None or table.name in KEPT_ON_DELETION or not any(fk.column.table.name == "users" for fk in column.foreign_keys):
            continue
        db.session.execute(table.delete().where(column == user.id))
    db.session.execute(delete(OutboxMessage).where(func.lower(OutboxMessage.recipient) == email))
    from participation.feedback.models import Feedback

    # Website feedback is anonymous, but where someone left this address for the answer, the address goes too.
    db.session.execute(update(Feedback).where(func.lower(Feedback.email) == email).values(email=""))
    from participation.proposals.models import Support

    db.session.execute(update(Support).where(Support.user_id == user.id).values(notify=False))


def _hand_over_groups(user: User) -> None:
    """A group the person leads passes to its longest-standing approved member; a group with no other member keeps
    its page, led by the deleted account."""
    from participation.groups.models import Group, GroupMember, MemberStatus

    for group in db.session.scalars(select(Group).where(Group.leader_id == user.id)):
        successor = db.session.scalars(
            select(GroupMember).where(GroupMember.group_id == group.id, GroupMember.user_id != user.id,
                                      GroupMember.status == MemberStatus.APPROVED)
            .order_by(GroupMember.approved_at, GroupMember.id)
        ).first()
        if successor is not None:
            group.leader_id = successor.user_id


def user_references(user_id: int) -> int:
    """How many rows of other tables point at this account (0: it can be removed outright)."""
    total = 0
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if table.name != "users" and any(fk.column.table.name == "users" for fk in column.foreign_keys):
                total += db.session.execute(select(func.count()).select_from(table).where(column == user_id)).scalar_one()
    return total


def record_security_event(kind: str, email: str | None = None, user: User | None = None, address: str = "", endpoint: str = "") -> None:
    """A log-in attempt or a rate limit hit, in the security_events table (kept SECURITY_EVENTS_RETENTION_DAYS)."""
    from participation.accounts.models import SecurityEvent
    from participation.security import mask_email

    db.session.add(SecurityEvent(kind=kind, user_id=user.id if user is not None else None,
                                 email_hash=mask_email(email) if email else "", address=(address or "")[:64],
                                 endpoint=(endpoint or "")[:100]))
    db.session.commit()
