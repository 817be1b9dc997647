"""Website feedback: the institution's sites, feedback and figures; the widget served into other sites' pages.

The widget views never touch the session and are exempt from the session-based CSRF protection: their form carries
its own short-lived signed token (bound to the site, the page's origin and address, used once), and the request's
Origin and Sec-Fetch-Site are checked here. Their responses set no cookie and allow framing by exactly the site's
registered origins; every other page keeps frame-ancestors 'none'."""
import csv
import io
import logging

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import force_locale
from participation.i18n import gettext as _
from flask_login import current_user, login_required

from participation.cases import queries as case_queries
from participation.cases.models import CaseState
from participation.extensions import csrf, db, limiter
from participation.feedback import permissions, queries, services
from participation.feedback.forms import ListFilterForm, SiteForm, WidgetForm
from participation.feedback.masking import mask_emails
from participation.feedback.models import FeedbackState, Publication, Site
from participation.forms import HUMAN_CHECK_MESSAGE
from participation.institutions.models import Institution
from participation.institutions.services import institution_by_slug
from participation.security import SECURITY_LOGGER, configured_limit, csp_header, csp_override
from participation.urls import page_number

bp = Blueprint("feedback", __name__)
log = logging.getLogger(SECURITY_LOGGER)


# --- the institution's pages ----------------------------------------------------------------------------------------


def _institution_for(slug: str, check) -> Institution:
    institution = institution_by_slug(slug)
    if institution is None:
        abort(404)
    if not check(current_user, institution):
        abort(403)
    return institution


def _site_or_404(institution: Institution, site_id: int) -> Site:
    site = db.session.get(Site, site_id) if 0 < site_id <= 2_147_483_647 else None
    if site is None or site.institution_id != institution.id or site.is_removed:
        abort(404)
    return site


@bp.route("/institutions/<slug>/feedback/")
@login_required
def index(slug):
    institution = _institution_for(slug, permissions.can_view_feedback)
    filters = ListFilterForm(request.args)
    state = filters.state.data if filters.state.data in queries.FILTERS else ""
    page = queries.feedback_list(institution.id, page_number(), current_app.config["PER_PAGE"], state)
    return render_template("feedback/index.html", institution=institution, sites=queries.sites_of(institution.id), page=page,
                           filters=filters, state=state, may_manage=permissions.can_manage_sites(current_user, institution))


@bp.route("/institutions/<slug>/feedback/sites/new", methods=["GET", "POST"])
@login_required
def create_site(slug):
    institution = _institution_for(slug, permissions.can_manage_sites)
    form = SiteForm()
    if form.validate_on_submit():
        if services.key_taken(form.key.data):
            form.key.errors.append(_("This short name is taken. Choose another."))
        else:
            site = services.register_site(institution, current_user, form.fields_dict())
            flash(_("The website is registered. Paste one of the snippets below into its pages."), "success")
            return redirect(url_for("feedback.site", slug=slug, site_id=site.id))
    return render_template("feedback/site_form.html", institution=institution, form=form, site=None), 400 if form.errors else 200


@bp.route("/institutions/<slug>/feedback/sites/<int:site_id>/edit", methods=["GET", "POST"])
@login_required
def edit_site(slug, site_id):
    institution = _institution_for(slug, permissions.can_manage_sites)
    site = _site_or_404(institution, site_id)
    if request.method == "GET":
        form = SiteForm(data={"name": site.name, "key": site.key, "origins": site.origins, "path_prefixes": site.path_prefixes,
                              "question_helped": site.question_helped, "question_text": site.question_text,
                              "ask_email": site.ask_email, "languages": site.language_list, "premoderation": site.premoderation})
    else:
        form = SiteForm()
        form.key.data = site.key  # the snippets already pasted name it: it stays
    if form.validate_on_submit():
        services.update_site(site, form.fields_dict())
        flash(_("The website's settings are saved."), "success")
        return redirect(url_for("feedback.site", slug=slug, site_id=site.id))
    return render_template("feedback/site_form.html", institution=institution, form=form, site=site), 400 if form.errors else 200


@bp.route("/institutions/<slug>/feedback/sites/<int:site_id>/pause", methods=["POST"])
@login_required
def pause_site(slug, site_id):
    institution = _institution_for(slug, permissions.can_manage_sites)
    site = _site_or_404(institution, site_id)
    services.set_paused(site, not site.is_paused)
    flash(_("Feedback on this website is paused.") if site.is_paused else _("Feedback on this website is on again."), "success")
    return redirect(url_for("feedback.site", slug=slug, site_id=site.id))


@bp.route("/institutions/<slug>/feedback/sites/<int:site_id>/remove", methods=["POST"])
@login_required
def remove_site(slug, site_id):
    institution = _institution_for(slug, permissions.can_manage_sites)
    site = _site_or_404(institution, site_id)
    services.remove_site(site)
    flash(_("The website is removed. The feedback already received stays."), "success")
    return redirect(url_for("feedback.index", slug=slug))


def snippets(site: Site) -> dict[str, str]:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    script = f'<script src="{base}/static/feedback/widget.js" data-site="{site.key}" async></script>'
    first = site.origin_list[0] if site.origin_list else "https://example.lv"
    iframe = (f'<iframe src="{base}/feedback/widget/{site.key}?page={first}/PAGE-PATH&amp;lang=lv" '
              f'title="Atsauksmes par šo lapu" style="border:0;width:100%;height:30em"></iframe>')
    return {"script": script, "iframe": iframe}


@bp.route("/institutions/<slug>/feedback/sites/<int:site_id>")
@login_required
def site(slug, site_id):
    institution = _institution_for(slug, permissions.can_view_feedback)
    site = _site_or_404(institution, site_id)
    chosen = services.clean_page_url(request.args.get("url", "")) or ""  # one page's trend and words
    return render_template(
        "feedback/site.html", institution=institution, site=site, snippets=snippets(site),
        total=queries.site_total(site.id), pages=queries.page_figures(site.id, page_number(), current_app.config["PER_PAGE"]),
        weeks=queries.weeks(site.id, chosen), words=queries.top_words(site.id, chosen), chosen=chosen,
        chosen_figure=queries.page_figure(site.id, chosen) if chosen else None,
        may_manage=permissions.can_manage_sites(current_user, institution),
    )


@bp.route("/institutions/<slug>/feedback/sites/<int:site_id>/figures.csv")
@login_required
def figures_csv(slug, site_id):
    institution = _institution_for(slug, permissions.can_view_feedback)
    site = _site_or_404(institution, site_id)
    header = [_("Page"), _("Responses"), _("Helped"), _("Answered yes or no"), _("Share helped (%)")]

    def rows():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        for figure in queries.all_page_figures(site.id):
            share = "" if not figure.answered_question else round(100 * figure.helped / figure.answered_question, 1)
            writer.writerow([figure.page_url, figure.responses, figure.helped, figure.answered_question, share])
            if buffer.tell() > 8192:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = Response(stream_with_context(rows()), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="feedback-{site.key}.csv"'
    return response


def _feedback_or_404(feedback_id: int):
    feedback = queries.feedback_item(feedback_id)
    if feedback is None or not permissions.can_view_item(current_user, feedback):
        abort(404)
    return feedback


@bp.route("/feedback/<int:feedback_id>")
def show(feedback_id):
    """Published feedback for everyone (the page, the text with e-mails masked, the answer); all of it for the staff."""
    feedback = _feedback_or_404(feedback_id)
    staff = permissions.can_view_feedback(current_user, feedback.institution)
    history = case_queries.case_history(feedback.case_id) if feedback.case_id and (staff or feedback.is_published) else []
    return render_template("feedback/show.html", feedback=feedback, staff=staff, history=history,
                           may_handle=permissions.can_handle_feedback(current_user, feedback.institution),
                           public_text=mask_emails(feedback.text), public_page=mask_emails(feedback.page_url))


def _handle(feedback_id: int, action) -> Response:
    feedback = _feedback_or_404(feedback_id)
    if not permissions.can_handle_feedback(current_user, feedback.institution):
        abort(403)
    try:
        message = action(feedback)
    except services.FeedbackActionRefused as refused:
        flash(str(refused), "error")
        return redirect(url_for("feedback.show", feedback_id=feedback.id))
    flash(message, "success")
    return redirect(url_for("feedback.show", feedback_id=feedback.id))


@bp.route("/feedback/<int:feedback_id>/noted", methods=["POST"])
@login_required
def noted(feedback_id):
    return _handle(feedback_id, lambda f: (services.mark_noted(f), _("Marked as noted."))[1])


@bp.route("/feedback/<int:feedback_id>/case", methods=["POST"])
@login_required
def open_case(feedback_id):
    return _handle(feedback_id, lambda f: _("Case %(number)s is open in the inbox.", number=services.turn_into_case(f).number))


@bp.route("/feedback/<int:feedback_id>/publish", methods=["POST"])
@login_required
def publish(feedback_id):
    return _handle(feedback_id, lambda f: (services.request_publication(f, current_user),
                                           _("A moderator will check it before it is published."))[1])


# --- the widget -----------------------------------------------------------------------------------------------------


def _origin_key() -> str:
    """Rate-limit key: the origin of the page the form is on (every visitor of one site shares it)."""
    page = services.clean_page_url(request.args.get("page", ""))
    return "feedback-origin:" + (services.origin_of(page) if page else "none")


def _widget_response(html: str, status: int, site: Site | None) -> Response:
    response = Response(html, status=status, mimetype="text/html")
    directives = dict(current_app.config["CONTENT_SECURITY_POLICY"])
    if site is not None:
        directives["frame-ancestors"] = " ".join(site.origin_list)  # exactly the site's registered origins
    response.headers["Content-Security-Policy"] = csp_header(directives)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "same-origin"  # "no-referrer" would make the frame's own POST send Origin: null
    return response


def _refuse(reason: str, message: str, status: int, lang: str) -> Response:
    log.warning("feedback widget refused (%s): endpoint=%s from %s", reason, request.endpoint, request.remote_addr)
    with force_locale(lang):
        html = render_template("feedback/widget_refused.html", message=message or _("Feedback cannot be sent from here."), lang=lang)
    return _widget_response(html, status, None)


def _lang(site: Site) -> str:
    wanted = (request.args.get("lang") or "")[:5].split("-")[0].lower()
    offered = [code for code in site.language_list if code in current_app.config["LANGUAGES"]] or ["lv"]
    return wanted if wanted in offered else offered[0]


@bp.route("/feedback/widget/<site_key>", methods=["GET", "POST"])
# The view sets its own policy (frame-ancestors: the site's origins, or 'none' on a refusal); this only tells the
# shared header code that the page is meant to be framed, so it adds no X-Frame-Options: DENY.
@csp_override(frame_ancestors="'self'")
@csrf.exempt
@limiter.limit(configured_limit("RATELIMIT_FEEDBACK_ORIGIN"), key_func=_origin_key, methods=["POST"])
@limiter.limit(configured_limit("RATELIMIT_FEEDBACK_ADDRESS"), methods=["POST"])
def widget(site_key):
    site = queries.site_by_key(site_key[:80])
    wanted = (request.args.get("lang") or "lv")[:2]
    if site is None or site.is_removed:
        return _refuse("unknown site", "", 404, wanted if wanted in ("lv", "en") else "lv")
    lang = _lang(site)
    page_url = services.clean_page_url(request.args.get("page", ""))
    with force_locale(lang):
        if page_url is None or services.origin_of(page_url) not in site.origin_list:
            return _refuse("unregistered origin", "", 403, lang)
        if not services.covers(site, page_url):
            return _refuse("uncovered page", "", 403, lang)
        if not site.accepts_feedback:
            return _refuse("paused site", _("This website does not take feedback at the moment."), 403, lang)
        form = WidgetForm(request.form if request.method == "POST" else None)
        if request.method == "GET":
            form.token.data = services.issue_token(site, page_url)
            return _render_widget(site, form, page_url, lang, 200)
        try:
            claims = services.read_token(form.token.data, site)
            services.check_request_origin(site, claims, request.headers.get("Origin"), request.headers.get("Sec-Fetch-Site"),
                                          request.host_url.rstrip("/"))
            if claims.page_url != page_url:
                raise services.FeedbackRefused("token of another page")
        except services.FeedbackRefused as refused:
            return _refuse(refused.reason, str(refused) if str(refused) != refused.reason else "", 403, lang)
        if not site.ask_email:  # the form offers no e-mail: nothing typed elsewhere asks for one
            form.email.data, form.email.raw_data, form.wants_answer.data = "", [], False
        if (form.website.data or "").strip():
            return _refuse("honeypot", str(HUMAN_CHECK_MESSAGE), 400, lang)
        if not form.validate():
            return _render_widget(site, form, page_url, lang, 400)
        try:
            feedback = services.receive(site, claims, {"yes": True, "no": False}.get(form.helped.data), form.text.data or "",
                                        form.email.data or "", bool(form.wants_answer.data), lang)
        except services.FeedbackRefused as refused:
            return _refuse(refused.reason, str(refused) if str(refused) != refused.reason else "", 403, lang)
        html = render_template("feedback/widget_thanks.html", site=site, feedback=feedback, lang=lang, case=feedback.case)
        return _widget_response(html, 200, site)


def _render_widget(site: Site, form: WidgetForm, page_url: str, lang: str, status: int) -> Response:
    form.helped.label.text = site.question_helped or _("Did this page help you?")
    form.text.label.text = site.question_text or _("What was missing or wrong?")
    action = url_for("feedback.widget", site_key=site.key, page=page_url, lang=lang)
    html = render_template("feedback/widget.html", site=site, form=form, action=action, lang=lang)
    return _widget_response(html, status, site)


__all__ = ["bp", "CaseState", "FeedbackState", "Publication"]
