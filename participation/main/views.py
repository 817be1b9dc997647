"""Home page, language switcher and error pages."""
from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from participation.i18n import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from participation.extensions import db
from participation.main import home as home_queries
from participation.urls import safe_next

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    """What a resident can take part in now (open consultations, proposals gathering supports), what became of what
    others said (the latest answers) and the platform's figures: a fixed number of queries (participation/main/home.py)."""
    return render_template(
        "main/home.html",
        consultations=home_queries.open_consultations(),
        proposals=home_queries.gathering_proposals(),
        answers=home_queries.latest_answers(),
        figures=home_queries.platform_figures(),
    )


@bp.route("/language/<code>")
def set_language(code):
    """A plain link switches the language (no JavaScript, no form)."""
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next")) or url_for("main.home"))


# One template for every error page: a heading and what to do next, in the reader's language.
ERROR_PAGES = {
    "400": (_l("Something in the request was wrong"), _l("The form may have expired. Go back, reload the page and try again.")),
    "403": (_l("You may not do this"), _l("Your account does not have the right to open this page. If you think it should, contact the institution.")),
    "404": (_l("Page not found"), _l("Check the address, or start again from the home page.")),
    "405": (_l("This action is not possible here"), _l("Go back and use the buttons on the page.")),
    "429": (_l("Too many attempts"), _l("You have sent this too many times in a short while. Please wait a while and try again.")),
    "500": (_l("Sorry, something went wrong on our side"), _l("Nothing you saved is lost. Please try again later.")),
    "csrf": (_l("This form has expired"), _l("For your safety, forms work only for a while after the page is opened. Go back, reload the page and send the form again.")),
}


def _error(kind: str, status: int):
    def handler(error):
        return _render_error(kind), status

    return handler


def _render_error(kind: str):
    title, text = ERROR_PAGES[kind]
    return render_template("errors/error.html", title=title, text=text)


def refuse_nul_bytes():
    """A NUL byte is never meaningful in a path, query or form value (PostgreSQL cannot even store it)."""
    values = [request.path, *request.args.values(), *request.form.values()]
    if any("\x00" in value for value in values):
        abort(400)


def _forbidden(error):
    from participation.security import log_permission_refused

    log_permission_refused()
    return _render_error("403"), 403


def _too_many_requests(error):
    """Over a rate limit: a plain page saying when to try again, with Retry-After when the limit is known."""
    import math
    import time

    from participation.i18n import ngettext

    from participation.extensions import limiter
    from participation.security import log_rate_limited

    log_rate_limited(getattr(error, "description", None))
    try:
        current = limiter.current_limit if limiter.enabled else None
        seconds = max(1, math.ceil(current.reset_at - time.time())) if current is not None and current.breached else None
    except Exception:  # the storage may be unreachable: the page still says to wait
        seconds = None
    title, text = ERROR_PAGES["429"]
    if seconds is not None:
        minutes = max(1, math.ceil((seconds - 1) / 60))  # reset_at rounds up by a second
        text = ngettext("You have sent this too many times in a short while. You can try again in %(num)d minute.",
                        "You have sent this too many times in a short while. You can try again in %(num)d minutes.", minutes)
    response = current_app.make_response((render_template("errors/error.html", title=title, text=text), 429))
    if seconds is not None:
        response.headers["Retry-After"] = str(seconds)
    return response


def _server_error(error):
    """The 500 page, which must not fail itself, nor touch the database that may be what failed (a dropped connection
    during a PostgreSQL restart, a failed query). The session is rolled back first (its transaction is unusable) and the
    page is rendered as for someone signed out: no user is looked up, no navigation counts are read, and the signed-out
    header and footer are fragments held in memory. The person stays signed in: the session cookie is not touched."""
    import logging

    from flask import g

    from participation.extensions import login_manager

    try:
        db.session.rollback()
    except Exception:  # e.g. the connection cannot even be rolled back: drop the session, a new one starts clean
        logging.getLogger(__name__).warning("Rolling back after an error failed", exc_info=True)
        try:
            db.session.remove()
        except Exception:
            pass
    g._login_user = login_manager.anonymous_user()  # Flask-Login's current user for the rest of this request: nothing to load
    response = current_app.make_response((_render_error("500"), 500))
    response.headers["Cache-Control"] = "no-store"
    return response


def register_error_pages(app) -> None:
    app.before_request(refuse_nul_bytes)
    app.register_error_handler(400, _error("400", 400))
    app.register_error_handler(CSRFError, _error("csrf", 400))
    app.register_error_handler(403, _forbidden)
    app.register_error_handler(404, _error("404", 404))
    app.register_error_handler(405, _error("405", 405))
    app.register_error_handler(429, _too_many_requests)
    app.register_error_handler(500, _server_error)
