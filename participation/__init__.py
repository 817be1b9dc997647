"""Līdzdalība: the application factory."""
import os

from flask import Flask
from flask_login import current_user

from config import BASE_DIR, CONFIGS, DEFAULT_PUBLIC_BASE_URL, DEFAULT_SECRET_KEY
from participation.extensions import babel, csrf, db, limiter, login_manager, migrate, select_locale
from participation.i18n import install_template_gettext
from participation.templating import App


def create_app(config_name: str | None = None, **overrides) -> Flask:
    # Safe when nothing is named: production (`make run` names development, the tests name testing).
    config_name = config_name or os.environ.get("LIDZDALIBA_CONFIG") or os.environ.get("FLASK_CONFIG") or "production"
    app = App(  # Flask with a faster Jinja environment (participation/templating.py)
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        instance_path=str(BASE_DIR / "instance"),
    )
    app.config.from_object(CONFIGS[config_name])
    app.config.update(overrides)
    if config_name not in ("development", "testing"):
        if app.config["SECRET_KEY"] in (None, "", DEFAULT_SECRET_KEY):
            raise RuntimeError(f"Set SECRET_KEY in the environment: the {config_name} configuration refuses the default secret.")
    if config_name == "production":
        if app.config["PUBLIC_BASE_URL"] == DEFAULT_PUBLIC_BASE_URL:
            raise RuntimeError("Set PUBLIC_BASE_URL: links in e-mail must point at the public address.")
    if app.config["PROXY_FIX_X_FOR"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_FIX_X_FOR"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    os.makedirs(app.instance_path, exist_ok=True)

    _init_extensions(app)
    from participation import jobs

    jobs.init_app(app)  # the kept job queue (issue 18): Redis, a SQLite file, or immediate in tests
    _register_blueprints(app)
    from participation import api as open_data_api

    open_data_api.init_app(app)  # /api/v1/ (OpenAPI 3.1), /api/, /open-data/ (issue 19)
    from participation import search

    search.init_app(app)  # issue 19: /search, and the search index kept in step with every write
    _register_template_helpers(app)

    from participation import notifications, security
    from participation.ops import logs as ops_logs
    from participation.ops import metrics as ops_metrics
    from participation.cli import register_cli
    from participation.main.views import register_error_pages

    from participation.proposals import notifications as proposal_notifications

    from participation.consultations import moderation as consultation_moderation
    from participation.consultations import services as consultation_services
    from participation.proposals import moderation as proposal_moderation
    from participation.feedback import moderation as feedback_moderation
    from participation.feedback import services as feedback_services

    notifications.connect()
    from participation import follows

    follows.init_app(app)  # issue 18: followers told of answers, versions, openings ...; the follow button's state
    proposal_notifications.connect()
    consultation_services.connect()  # the counter of comments waiting for a position
    consultation_moderation.register()  # every channel that stores user text is moderated
    proposal_moderation.register()
    feedback_moderation.register()
    from participation.groups import moderation as group_moderation

    group_moderation.register()  # groups are reportable and hideable (issue 14, item 5)
    from participation.cocreation import moderation as cocreation_moderation
    from participation.cocreation import services as cocreation_services

    cocreation_moderation.register()  # issue 16: ideas and amendments are reported and hidden like every contribution
    cocreation_services.connect()  # issue 16: a decision recorded in the log moves its amendment and the draft
    feedback_services.connect()  # the answer to website feedback goes to the e-mail the visitor left
    register_error_pages(app)
    security.init_app(app)
    ops_logs.init_app(app)
    ops_metrics.init_app(app)
    register_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    from participation import models, transactions  # noqa: F401  (models: every table known to the metadata)

    db.init_app(app)
    transactions.init_app(app)  # after db.init_app, so it runs before the session's own teardown
    # Each migration commits on its own: a release that applies several never holds one's locks while the next runs.
    from participation.search.models import not_full_text_table  # SQLite's FTS5 tables are no models (issue 19)

    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True, compare_type=True,
                     transaction_per_migration=True, include_name=not_full_text_table)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    install_template_gettext(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    login_manager.session_protection = "strong"

    from participation.accounts.models import User

    @login_manager.user_loader
    def load_user(session_id: str):
        user_id, _, version = session_id.partition(":")
        if not user_id.isdigit() or not version.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        return user if user is not None and user.session_version == int(version) else None


def _register_blueprints(app: Flask) -> None:
    from participation.accounts.views import bp as accounts
    from participation.admin.views import bp as admin
    from participation.cases.views import bp as cases
    from participation.consultations.views import bp as consultations
    from participation.groups.views import bp as groups
    from participation.institutions.views import bp as institutions
    from participation.main.views import bp as main
    from participation.moderation.views import bp as moderation
    from participation.ops.views import bp as ops
    from participation.proposals.views import bp as proposals
    from participation.feedback.views import bp as feedback

    for blueprint in (main, accounts, institutions, groups, cases, consultations, proposals, feedback, moderation, admin, ops):
        app.register_blueprint(blueprint)
    from participation.cocreation.views import bp as cocreation  # issue 16: co-created municipal regulations

    app.register_blueprint(cocreation)
    from participation.follows.views import bp as follows  # issue 18: follows, notification settings, unsubscribe

    app.register_blueprint(follows)
    from participation.legal.views import bp as legal  # issue 18: privacy notice, terms, accessibility, contact

    app.register_blueprint(legal)
    from participation.activity.views import bp as activity  # issue 18: my activity

    app.register_blueprint(activity)


def _register_template_helpers(app: Flask) -> None:
    from flask_babel import format_percent, get_locale

    from participation.clock import riga_date
    from participation.dates import FILTERS as date_filters
    from participation.text import render_user_text

    from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

    from participation.main.navigation import crumbs_items, staff_navigation

    # Our templates first, then GOV.UK Frontend's macros (govuk-frontend-jinja) and WTForms widgets (govuk-frontend-wtf).
    app.jinja_loader = ChoiceLoader([
        FileSystemLoader(app.template_folder),
        PrefixLoader({
            "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
            "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
        }),
    ])
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True  # the macros' layout lines are not sent
    from participation.accounts.permissions import why_cannot_write

    from participation.pagination import pager_params

    app.jinja_env.globals.update(staff_navigation=staff_navigation, crumbs_items=crumbs_items, why_cannot_write=why_cannot_write,
                                 pager_params=pager_params)
    app.jinja_env.filters["user_text"] = render_user_text
    from participation.text import stored_html

    app.jinja_env.filters["stored_html"] = stored_html  # a row's HTML stored when written (issue 17)
    app.jinja_env.filters.update(date_filters)  # participation/dates.py: the Latvian case a sentence needs
    app.jinja_env.filters["riga_date"] = riga_date
    app.jinja_env.filters["percent"] = lambda value: "—" if value is None else format_percent(value)

    from participation.moderation import permissions as moderation_permissions
    from participation.moderation.choices import hide_reason_label, report_reason_label

    from participation.cache import remembered

    app.jinja_env.globals.update(
        remembered=remembered,
        can_see_text=moderation_permissions.can_see_text,
        can_report=moderation_permissions.can_report,
        can_moderate=moderation_permissions.can_moderate,
        is_author=moderation_permissions.is_author,
        visible_to=lambda items, user: [item for item in items if moderation_permissions.can_see(user, item)],
        hide_reason_label=hide_reason_label,
        report_reason_label=report_reason_label,
    )

    @app.context_processor
    def _globals():
        return {"current_locale": str(get_locale()), "languages": app.config["LANGUAGES"], "current_user": current_user}
