"""Home page, language switcher and error pages."""
from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError
from sqlalchemy import select

from participation.extensions import db
from participation.groups.models import Group
from participation.institutions.models import Institution
from participation.urls import safe_next

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    institutions = db.session.scalars(select(Institution).order_by(Institution.name).limit(12)).all()
    groups = db.session.scalars(select(Group).order_by(Group.name).limit(12)).all()
    return render_template("main/home.html", institutions=institutions, groups=groups)


@bp.route("/language/<code>")
def set_language(code):
    """A plain link switches the language (no JavaScript, no form)."""
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next")) or url_for("main.home"))


def _error(template: str, status: int):
    def handler(error):
        return render_template(template), status

    return handler


def register_error_pages(app) -> None:
    app.register_error_handler(400, _error("errors/400.html", 400))
    app.register_error_handler(CSRFError, _error("errors/400.html", 400))
    app.register_error_handler(403, _error("errors/403.html", 403))
    app.register_error_handler(404, _error("errors/404.html", 404))
    app.register_error_handler(405, _error("errors/405.html", 405))
    app.register_error_handler(429, _error("errors/429.html", 429))
    app.register_error_handler(500, _error("errors/500.html", 500))
