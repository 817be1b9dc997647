"""The pages about the service, linked from every page's footer (the same addresses as before: /about/<page>)."""
from flask import Blueprint, current_app, render_template
from flask_babel import get_locale

from participation.legal import CURRENT

bp = Blueprint("legal", __name__, url_prefix="/about")


def _page(name: str):
    lang = str(get_locale())
    if lang not in current_app.config["LANGUAGES"]:
        lang = current_app.config["BABEL_DEFAULT_LOCALE"]
    settings = current_app.config
    return render_template(
        f"legal/{lang}/{name}.html",
        versions=CURRENT,
        operator=settings.get("OPERATOR_NAME") or "",
        operator_email=settings.get("OPERATOR_EMAIL") or "",
        operator_address=settings.get("OPERATOR_ADDRESS") or "",
        dpo_email=settings.get("DPO_EMAIL") or settings.get("OPERATOR_EMAIL") or "",
        retention={
            "unverified_days": settings["UNVERIFIED_ACCOUNT_DAYS"],
            "security_days": settings["SECURITY_EVENTS_RETENTION_DAYS"],
            "audit_days": settings["AUDIT_LOG_RETENTION_DAYS"],
        },
    )


@bp.route("/privacy")
def privacy():
    return _page("privacy")


@bp.route("/terms")
def terms():
    return _page("terms")


@bp.route("/accessibility")
def accessibility():
    return _page("accessibility")


@bp.route("/contact")
def contact():
    return _page("contact")


@bp.app_context_processor
def _community_rules():
    """`community_rule_url(reason)` in every template: a moderation reason links to the rule it applies."""
    from participation.moderation.choices import community_rule_url

    return {"community_rule_url": community_rule_url}
