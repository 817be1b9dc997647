"""Website feedback actions: register and run sites, issue and check the widget's token, receive feedback, count it,
and what staff do with it (noted, a case, publication). The only place in this channel that saves."""
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from participation.i18n import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from participation.accounts.models import User
from participation.cases import rules
from participation.cases.models import Case, Channel, ResponseKind
from participation.cases.services import open_case
from participation.clock import riga_date, utcnow
from participation.dates import format_day
from participation.extensions import db
from participation.feedback.masking import mask_emails
from participation.feedback.models import (
    Feedback,
    FeedbackState,
    PageFigure,
    Publication,
    Site,
    WeekFigure,
    WordFigure,
)
from participation.feedback.words import counted_words
from participation.institutions.models import Institution
from participation.moderation.models import Moderation
from participation.outbox.services import send_email
from participation.signals import response_recorded
from participation.text import clean_plain
from participation.urls import absolute_url

# Feedback that asks for an answer is a submission: the Submissions Law's time limit, as for proposals.
FEEDBACK_RULE = rules.SUBMISSION_ANSWER
TEXT_LIMIT = 2000
NO_SHARE = 1001  # a page where nobody answered the yes/no question sorts after every share
_TOKEN_SALT = "participation.feedback-widget"
DEFAULT_PORTS = {"http": 80, "https": 443}


class FeedbackRefused(ValueError):
    """The widget refuses the request; `reason` is for the log and the tests, the message for the visitor."""

    def __init__(self, reason: str, message: str = ""):
        super().__init__(message or reason)
        self.reason = reason


# --- addresses --------------------------------------------------------------------------------------------------


def normalise_origin(value: str) -> str | None:
    """An exact origin (scheme://host[:port], lower case, default port dropped), or None when the value is not one."""
    parts = urlsplit((value or "").strip())
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or parts.path not in ("", "/") or parts.query \
            or parts.fragment or parts.username or parts.password:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != DEFAULT_PORTS[parts.scheme] else "")


def clean_page_url(value: str) -> str | None:
    """The page's address without its query string and fragment (they may hold personal data), or None."""
    parts = urlsplit((value or "").strip())
    origin = normalise_origin(f"{parts.scheme}://{parts.netloc}") if parts.scheme and parts.netloc else None
    if origin is None:
        return None
    return (origin + (parts.path or "/"))[:500]


def origin_of(page_url: str) -> str:
    parts = urlsplit(page_url)
    return f"{parts.scheme}://{parts.netloc}"


def covers(site: Site, page_url: str) -> bool:
    """Whether the site's registration covers the page: one of its origins, and a covered path."""
    if origin_of(page_url) not in site.origin_list:
        return False
    path = urlsplit(page_url).path or "/"
    prefixes = site.prefix_list
    return not prefixes or any(path.startswith(prefix) for prefix in prefixes)


# --- sites ------------------------------------------------------------------------------------------------------


def register_site(institution: Institution, user: User, fields: dict) -> Site:
    site = Site(institution=institution, created_by=user, key=fields["key"])
    _apply(site, fields)
    db.session.add(site)
    db.session.commit()
    return site


def update_site(site: Site, fields: dict) -> Site:
    _apply(site, fields)
    db.session.commit()
    return site


def _apply(site: Site, fields: dict) -> None:
    site.name = clean_plain(fields["name"], 200)
    site.origins = "\n".join(fields["origins"])
    site.path_prefixes = "\n".join(fields["path_prefixes"])
    site.question_helped = clean_plain(fields.get("question_helped"), 200)
    site.question_text = clean_plain(fields.get("question_text"), 200)
    site.ask_email = bool(fields.get("ask_email"))
    site.languages = ",".join(fields["languages"])
    site.premoderation = bool(fields.get("premoderation"))


def set_paused(site: Site, paused: bool) -> None:
    site.paused_at = utcnow() if paused else None
    db.session.commit()


def remove_site(site: Site) -> None:
    """Gone from the lists and the widget; the feedback already received stays."""
    site.removed_at = utcnow()
    db.session.commit()


def key_taken(key: str) -> bool:
    return db.session.scalar(select(Site.id).where(Site.key == key)) is not None


# --- the widget's token -----------------------------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_TOKEN_SALT)


def issue_token(site: Site, page_url: str) -> str:
    """Signed with the form: the site, the page's origin and address, and a nonce (used once). No cookie."""
    return _serializer().dumps({"s": site.id, "o": origin_of(page_url), "p": page_url, "n": secrets.token_hex(16)})


@dataclass(frozen=True)
class TokenClaims:
    site_id: int
    origin: str
    page_url: str
    nonce: str


def read_token(token: str, site: Site) -> TokenClaims:
    try:
        data = _serializer().loads(token or "", max_age=current_app.config["FEEDBACK_TOKEN_SECONDS"])
    except SignatureExpired:
        raise FeedbackRefused("expired token", _("This form has expired. Reload the page and send it again.")) from None
    except BadSignature:
        raise FeedbackRefused("bad token") from None
    try:
        claims = TokenClaims(int(data["s"]), str(data["o"]), str(data["p"]), str(data["n"]))
    except (KeyError, TypeError, ValueError):
        raise FeedbackRefused("bad token") from None
    if claims.site_id != site.id or origin_of(claims.page_url) != claims.origin:
        raise FeedbackRefused("token of another site")
    if db.session.scalar(select(Feedback.id).where(Feedback.nonce == claims.nonce)) is not None:
        raise FeedbackRefused("replayed token", _("This form was already sent."))
    return claims


def check_request_origin(site: Site, claims: TokenClaims | None, origin: str | None, fetch_site: str | None,
                         own_origin: str) -> None:
    """A submission comes from the frame (our own origin, same-origin) or, posted by a page, from a registered origin
    that is the token's own. A forged or missing Origin, or a request the browser says the user typed, is refused."""
    if fetch_site is not None and fetch_site not in ("same-origin", "same-site", "cross-site"):
        raise FeedbackRefused("Sec-Fetch-Site " + fetch_site)
    if not origin or origin == "null":
        raise FeedbackRefused("no Origin")
    if origin == own_origin:
        if fetch_site not in (None, "same-origin"):
            raise FeedbackRefused("Origin and Sec-Fetch-Site disagree")
        return
    if origin not in site.origin_list:
        raise FeedbackRefused("unregistered Origin " + origin)
    if claims is not None and claims.origin != origin:
        raise FeedbackRefused("Origin is not the token's")


# --- receiving ----------------------------------------------------------------------------------------------------


def receive(site: Site, claims: TokenClaims, helped: bool | None, text: str, email: str, wants_answer: bool,
            lang: str) -> Feedback:
    """Record one visitor's feedback. It asks for an answer when it left an e-mail or said so: then a case opens in the
    institution's inbox at once (pre-moderated sites: once a moderator approves it)."""
    if not site.accepts_feedback:
        raise FeedbackRefused("paused site", _("This website does not take feedback at the moment."))
    if not covers(site, claims.page_url):
        raise FeedbackRefused("uncovered page")
    email = (email or "").strip()[:255]
    feedback = Feedback(
        site=site, institution_id=site.institution_id, page_url=claims.page_url, helped=helped,
        text=clean_plain(text, TEXT_LIMIT), email=email, wants_answer=bool(email) or wants_answer, lang=lang,
        moderation=Moderation.PENDING if site.premoderation else Moderation.APPROVED,
        author_id=site.created_by_id, nonce=claims.nonce,
    )
    db.session.add(feedback)
    try:
        db.session.flush()
    except IntegrityError:  # the same token sent twice at once
        db.session.rollback()
        raise FeedbackRefused("replayed token", _("This form was already sent.")) from None
    if not feedback.is_pending:
        _accept(feedback)
    db.session.commit()
    return feedback


def _accept(feedback: Feedback) -> None:
    """Seen by the institution: counted, and a case opened when it asks for an answer."""
    count_feedback(feedback)
    if feedback.wants_answer and feedback.email and feedback.case_id is None:
        _open_case(feedback)


def _case_title(feedback: Feedback) -> str:
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return _("Feedback on %(page)s", page=mask_emails(feedback.page_url))  # public once published


def _open_case(feedback: Feedback) -> Case:
    case = open_case(
        feedback.institution, Channel.FEEDBACK, _case_title(feedback), rule_code=FEEDBACK_RULE,
        received_at=feedback.created_at or utcnow(), item_url=f"/feedback/{feedback.id}",
        body=mask_emails(feedback.text), is_private=True, commit=False,
    )
    feedback.case = case
    feedback.state = FeedbackState.CASE
    return case


def _upsert(model, keys: dict, increments: dict) -> None:
    """Add to counters, inserting the row when it is not there (one statement; safe under concurrent requests)."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(model).values(**keys, **increments)
    table = model.__table__
    statement = statement.on_conflict_do_update(
        index_elements=list(keys), set_={name: table.c[name] + statement.excluded[name] for name in increments})
    db.session.execute(statement)


def count_feedback(feedback: Feedback) -> None:
    """The page's, the week's and the words' counters ("" as the page: the site)."""
    if feedback.counted:
        return
    feedback.counted = True
    said = feedback.helped is not None
    helped = 1 if feedback.helped else 0
    week = riga_date(feedback.created_at or utcnow())
    week = week - timedelta(days=week.weekday())
    for page in (feedback.page_url, ""):
        keys = {"site_id": feedback.site_id, "page_url": page}
        _upsert(PageFigure, keys, {"responses": 1, "helped": helped, "answered_question": int(said)})
        _upsert(WeekFigure, {**keys, "week_start": week}, {"responses": 1, "helped": helped, "answered_question": int(said)})
        for word, times in counted_words(feedback.text).items():
            _upsert(WordFigure, {**keys, "word": word}, {"count": times})
    # The order of the pages list: the share of "helped" among those who answered the question, per mille.
    db.session.execute(
        PageFigure.__table__.update()
        .where(PageFigure.site_id == feedback.site_id, PageFigure.page_url.in_([feedback.page_url, ""]))
        .values(share=db.func.coalesce(PageFigure.helped * 1000 / db.func.nullif(PageFigure.answered_question, 0), NO_SHARE))
    )


# --- staff --------------------------------------------------------------------------------------------------------


class FeedbackActionRefused(ValueError):
    pass


def mark_noted(feedback: Feedback) -> None:
    if feedback.state != FeedbackState.RECEIVED:
        raise FeedbackActionRefused(_("This feedback is already handled."))
    feedback.state = FeedbackState.NOTED
    db.session.commit()


def turn_into_case(feedback: Feedback) -> Case:
    """Staff open a case for feedback that left no e-mail (the answer then goes only into the log, if published)."""
    if feedback.case_id is not None:
        raise FeedbackActionRefused(_("This feedback is already a case."))
    case = _open_case(feedback)
    db.session.commit()
    return case


def request_publication(feedback: Feedback, user: User) -> None:
    """The institution asks to publish the page's address, the text (e-mails masked) and its answer; a moderator
    checks it first (the moderators' queue), and only then is it public."""
    if feedback.publication != Publication.PRIVATE or feedback.is_hidden or feedback.is_pending:
        raise FeedbackActionRefused(_("This feedback cannot be published now."))
    feedback.publication = Publication.REQUESTED
    feedback.moderation = Moderation.PENDING
    feedback.author_id = user.id
    db.session.commit()


def on_approved(feedback: Feedback) -> None:
    """A moderator approved: a requested publication goes public; pre-moderated feedback reaches the institution."""
    if feedback.publication == Publication.REQUESTED:
        feedback.publication = Publication.PUBLISHED
        feedback.published_at = utcnow()
    else:
        _accept(feedback)
    on_visibility_changed(feedback)


def on_visibility_changed(feedback: Feedback) -> None:
    """The case (its title holds the page, its body the text) is public exactly when the feedback is published."""
    if feedback.case is not None:
        feedback.case.is_private = not feedback.is_published


# --- the answer, by e-mail ------------------------------------------------------------------------------------------


def send_answer(response, **_extra) -> None:
    """The institution's answer goes to the e-mail the visitor left, in the language of the form they filled in."""
    case = response.case
    if case.channel != Channel.FEEDBACK or response.kind != ResponseKind.ANSWER:
        return
    feedback = db.session.scalars(select(Feedback).where(Feedback.case_id == case.id)).first()
    if feedback is None or not feedback.email:
        return
    with force_locale(feedback.lang):
        intro = (_("%(institution)s has corrected its answer to your feedback on %(page)s:", institution=case.institution.name,
                   page=feedback.page_url) if response.supersedes_id else
                 _("%(institution)s has answered your feedback on %(page)s, sent on %(date)s:", institution=case.institution.name,
                   page=feedback.page_url, date=format_day(riga_date(feedback.created_at), "locative")))
        body = "\n\n".join((intro, response.text))
        send_email(feedback.email, _("Answer to your feedback %(number)s", number=case.number), body)


def connect() -> None:
    response_recorded.connect(send_answer)
