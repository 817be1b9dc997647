from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from participation.i18n import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from participation.accounts.services import find_user_by_email
from participation.clock import riga_today
from participation.cases import queries as case_queries
from participation.security import search_rate_limit
from participation.urls import page_number
from participation.extensions import db
from participation.institutions import charts, permissions, services
from participation.institutions.figures import institution_figures
from participation.institutions.forms import KIND_LABELS, ROLE_LABELS, FiguresForm, InstitutionForm, StaffForm
from participation.institutions.models import Institution, InstitutionKind, Membership, StaffRole

bp = Blueprint("institutions", __name__, url_prefix="/institutions")


@bp.app_context_processor
def _labels():
    return {"institution_kind_labels": KIND_LABELS, "role_labels": ROLE_LABELS}


def _institution_or_404(slug: str) -> Institution:
    institution = services.institution_by_slug(slug)
    if institution is None:
        abort(404)
    return institution


@bp.route("/")
@search_rate_limit
def index():
    # Issue 19: the list's search box searches through the one index (any form of a word, diacritics and case ignored).
    from participation.search.forms import ListSearchForm
    from participation.search.services import matching_items

    search = ListSearchForm(request.args)
    query = (search.q.data or "").strip()[:100]
    statement = select(Institution).order_by(Institution.name)
    if query:
        statement = statement.where(Institution.id.in_(matching_items("institution", query, None)))
    page = db.paginate(statement, page=page_number(), per_page=20, error_out=False)
    return render_template("institutions/index.html", page=page, search=search, query=query)


@bp.route("/figures")
def figures():
    """The institutions' figures side by side, over the last months or in one month (charts.py)."""
    form = FiguresForm(request.args)
    months = charts.month_starts(riga_today())
    form.month.choices = [("", _("The last %(num)d months", num=len(months)))] + [
        (m.strftime("%Y-%m"), charts.month_label(m)) for m in reversed(months)]
    chosen = next((m for m in months if m.strftime("%Y-%m") == form.month.data), None)
    page = db.paginate(select(Institution).order_by(Institution.name), page=page_number(), per_page=charts.COMPARED_PER_PAGE,
                       error_out=False)
    monthly = charts.monthly_figures([i.id for i in page.items])
    compared = charts.comparison_charts(page.items, monthly, chosen, lambda i: url_for("institutions.show", slug=i.slug))
    return render_template("institutions/figures.html", form=form, page=page, charts=compared, month=chosen,
                           month_label=charts.month_label,
                           args={"month": chosen.strftime("%Y-%m")} if chosen else {})


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    if not permissions.can_create_institution(current_user):
        abort(403)
    form = InstitutionForm()
    if form.validate_on_submit():
        if services.institution_by_slug(form.slug.data) is not None:
            form.slug.errors.append(_("This short name is taken. Choose another."))
        else:
            institution = services.create_institution(
                form.slug.data, form.name.data, InstitutionKind(form.kind.data), form.description.data or "", form.website.data or ""
            )
            flash(_("The institution is created."), "success")
            return redirect(url_for("institutions.show", slug=institution.slug))
    return render_template("institutions/form.html", form=form), 400 if form.errors else 200


@bp.route("/<slug>")
def show(slug):
    institution = _institution_or_404(slug)
    recent = case_queries.recent_responses(institution.id, 5)
    access = permissions.staff_access(current_user, institution)
    figures = institution_figures(institution.id)
    open_items = case_queries.open_public_cases(institution.id)
    return render_template(
        "institutions/show.html",
        institution=institution,
        figures=figures,
        monthly_charts=charts.monthly_charts(charts.monthly_figures([institution.id])[institution.id]),
        # counted with the figures (one statement, up to COUNT_CACHE_SECONDS old), never fewer than the list beside it
        open_cases=max(figures.awaiting_now, len(open_items)),
        open_items=open_items,
        recent=recent,
        is_staff=access.is_staff,
        can_manage_staff=access.can_manage_staff,
        can_register_offline=access.can_answer_cases,
        can_edit_consultations=access.can_edit_content,
    )


@bp.route("/<slug>/staff", methods=["GET", "POST"])
@login_required
def staff(slug):
    institution = _institution_or_404(slug)
    if not permissions.can_manage_staff(current_user, institution):
        abort(403)
    form = StaffForm()
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        if user is None:
            form.email.errors.append(_("No account has this e-mail address. Ask the person to register first."))
        else:
            try:
                services.add_staff(institution, user, StaffRole(form.role.data))
            except services.AlreadyStaff:
                form.role.errors.append(_("This person already has this role."))
            else:
                flash(_("%(name)s is added to the staff.", name=user.display_name), "success")
                return redirect(url_for("institutions.staff", slug=slug))
    return render_template(
        "institutions/staff.html", institution=institution, form=form, staff=services.staff_list(institution)
    ), 400 if form.errors else 200


@bp.post("/<slug>/staff/<int(max=2147483647):membership_id>/remove")
@login_required
def remove_staff(slug, membership_id):
    institution = _institution_or_404(slug)
    if not permissions.can_manage_staff(current_user, institution):
        abort(403)
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.institution_id != institution.id:
        abort(404)
    services.remove_staff(membership)
    flash(_("The role is removed."), "success")
    return redirect(url_for("institutions.staff", slug=slug))
