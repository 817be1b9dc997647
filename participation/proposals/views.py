"""Proposals: write and submit (for oneself or a group), find, support, moderate, merge, settings."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from participation.i18n import gettext as _
from flask_login import current_user, login_required

from participation.moderation.services import ModerationRefused
from participation.cases import queries as case_queries
from participation.extensions import db, limiter
from participation.groups.services import groups_user_can_act_for
from participation.institutions.models import Institution
from participation.cache import filter_form_html
from participation.institutions.services import institution_by_slug, institution_choices, list_institutions
from participation.proposals import permissions, queries, services
from participation.proposals.choices import TOPICS
from participation.proposals.forms import (
    STATE_FILTERS,
    MergeForm,
    ProposalFilterForm,
    ProposalForm,
    SettingsForm,
    SupportForm,
)
from participation.proposals.models import Proposal
from participation.security import search_rate_limit
from participation.security import configured_limit, log_moderation_action, user_or_address
from participation.urls import page_number

bp = Blueprint("proposals", __name__)


@bp.app_context_processor
def _labels():
    return {"topic_labels": TOPICS}


def _proposal_or_404(proposal_id: int) -> Proposal:
    proposal = queries.proposal_for_page(proposal_id)
    if proposal is None or not permissions.can_view_proposal(current_user, proposal):
        abort(404)
    return proposal


@bp.route("/proposals/")
@search_rate_limit
def index():
    institutions = institution_choices()
    filters = ProposalFilterForm(request.args, institutions=institutions)
    valid = {name: (filters[name].data if filters[name].data in dict(filters[name].choices) else "")
             for name in ("institution", "territory", "topic", "state", "sort")}
    page = queries.public_list(
        page_number(),
        institution_id=int(valid["institution"]) if valid["institution"] else None,
        territory=valid["territory"] or None,
        topic=valid["topic"] or None,
        state=valid["state"] or None,
        sort=valid["sort"] or "newest",
        search=(filters.q.data or "")[:100],
        viewer=current_user,
        after=request.args.get("after"),
        before=request.args.get("before"),
    )
    args = {k: v for k, v in {**valid, "q": (filters.q.data or "")[:100]}.items() if v}
    return render_template("proposals/index.html", page=page, args=args, state_filters=STATE_FILTERS,
                           filters_html=filter_form_html("proposals/_filters.html", filters, valid, institutions))


def _form_choices(form: ProposalForm) -> None:
    form.institution.choices = [(0, _("Choose…"))] + [(i.id, i.name) for i in list_institutions()]
    form.on_behalf.choices = [(0, _("Myself, %(name)s", name=current_user.display_name))] + [
        (g.id, g.name) for g in groups_user_can_act_for(current_user)
    ]


def _save_from_form(form: ProposalForm, proposal: Proposal | None):
    institution = db.session.get(Institution, form.institution.data) if form.institution.data else None
    if institution is None:
        form.institution.errors = [_("Choose the institution.")]
        return None
    group = next((g for g in groups_user_can_act_for(current_user) if g.id == form.on_behalf.data), None)
    fields = {name: form[name].data for name in ("title", "problem", "solution", "benefit", "territory", "topics")}
    try:
        return services.save_draft(current_user, institution, group, fields, proposal)
    except services.ProposalRefused as refused:
        form.on_behalf.errors = [str(refused)]
        return None


def _edit(proposal: Proposal | None):
    if not permissions.can_write_proposals(current_user):
        # The page says why before any form (templates/macros/account.html writing_gate): blocked, or not confirmed.
        return render_template("proposals/form.html", form=None, proposal=proposal), 403 if request.method == "POST" else 200
    form = ProposalForm(obj=proposal) if proposal else ProposalForm()
    _form_choices(form)
    if request.method == "GET":
        if proposal:
            form.institution.data = proposal.institution_id
            form.on_behalf.data = proposal.group_id or 0
            form.topics.data = proposal.topic_codes
        elif request.args.get("institution", type=int):
            form.institution.data = request.args.get("institution", type=int)
    if request.method == "POST":
        saving_draft = request.form.get("action") == "save"
        form.validate()
        if saving_draft:  # a draft may be half-written: empty fields wait until submission
            for name in ("problem", "solution", "territory"):
                if not form[name].data:
                    form[name].errors = []
        if not form.errors:
            saved = _save_from_form(form, proposal)
            if saved is not None:
                if saving_draft:
                    flash(_("The draft is saved. You can finish it later from \"My proposals\"."), "success")
                    return redirect(url_for("proposals.edit", proposal_id=saved.id))
                return redirect(url_for("proposals.check", proposal_id=saved.id))
    status = 400 if form.errors else 200
    return render_template("proposals/form.html", form=form, proposal=proposal), status


@bp.route("/proposals/new", methods=["GET", "POST"])
@login_required
@limiter.shared_limit(configured_limit("RATELIMIT_PROPOSALS"), scope="proposals", key_func=user_or_address, methods=["POST"])
def create():
    return _edit(None)


@bp.route("/proposals/<int(max=2147483647):proposal_id>/edit", methods=["GET", "POST"])
@login_required
@limiter.shared_limit(configured_limit("RATELIMIT_PROPOSALS"), scope="proposals", key_func=user_or_address, methods=["POST"])
def edit(proposal_id):
    proposal = _proposal_or_404(proposal_id)
    if not permissions.can_edit_draft(current_user, proposal):
        abort(403)
    return _edit(proposal)


@bp.route("/proposals/<int(max=2147483647):proposal_id>/check")
@login_required
def check(proposal_id):
    proposal = _proposal_or_404(proposal_id)
    if not permissions.can_edit_draft(current_user, proposal):
        abort(403)
    return render_template("proposals/check.html", proposal=proposal,
                           premoderation=proposal.institution.premoderation)


@bp.post("/proposals/<int(max=2147483647):proposal_id>/submit")
@login_required
@limiter.shared_limit(configured_limit("RATELIMIT_PROPOSALS"), scope="proposals", key_func=user_or_address, methods=["POST"])
def submit(proposal_id):
    proposal = _proposal_or_404(proposal_id)
    if not permissions.can_edit_draft(current_user, proposal):
        abort(403)
    try:
        services.submit(proposal, current_user)
    except services.ProposalRefused as refused:
        flash(str(refused), "error")
        return redirect(url_for("proposals.edit", proposal_id=proposal.id))
    return redirect(url_for("proposals.submitted", proposal_id=proposal.id))


@bp.route("/proposals/<int(max=2147483647):proposal_id>/submitted")
@login_required
def submitted(proposal_id):
    """The confirmation after submitting, with the receipt number (GOV.UK's confirmation panel); its author's alone."""
    proposal = _proposal_or_404(proposal_id)
    if proposal.author_id != current_user.id or proposal.case is None:
        abort(403)
    return render_template("proposals/submitted.html", proposal=proposal)


@bp.route("/proposals/<int(max=2147483647):proposal_id>")
def show(proposal_id):
    proposal = _proposal_or_404(proposal_id)
    history = case_queries.case_history(proposal.case_id) if proposal.case_id and not proposal.case.is_private else []
    can_support = permissions.can_support(current_user, proposal)
    return render_template(
        "proposals/show.html",
        proposal=proposal,
        history=history,
        supports=proposal.support_count,
        supported=services.has_supported(proposal.id, current_user),
        can_support=can_support,
        can_merge=permissions.can_merge(current_user, proposal),
        can_edit=permissions.can_edit_draft(current_user, proposal),
        can_approve=permissions.can_moderate(current_user) and proposal.moderation == "pending",
        support_form=SupportForm() if can_support else None,  # a form (and its CSRF token) only for who sees it
        merges=services.merge_records(proposal.id),
    )


@bp.post("/proposals/<int(max=2147483647):proposal_id>/support")
@login_required
@limiter.limit(configured_limit("RATELIMIT_SUPPORTS"), key_func=user_or_address)
def support(proposal_id):
    proposal = _proposal_or_404(proposal_id)
    form = SupportForm()
    if not form.validate_on_submit():
        abort(400)
    if not current_user.is_verified:
        flash(_("Confirm your e-mail address before you support proposals."), "error")
    else:
        try:
            added = services.support(proposal, current_user, form.notify.data)
        except services.ProposalRefused as refused:
            flash(str(refused), "error")
        else:
            flash(_("Thank you, your support is counted.") if added else _("You already support this proposal."),
                  "success" if added else "info")
    # The address's own id: proposal.id after the commit would load the proposal and its joins again.
    return redirect(url_for("proposals.show", proposal_id=proposal_id))


@bp.post("/proposals/<int(max=2147483647):proposal_id>/withdraw")
@login_required
def withdraw(proposal_id):
    proposal = _proposal_or_404(proposal_id)
    try:
        services.withdraw(proposal, current_user)
    except services.ProposalRefused as refused:
        flash(str(refused), "error")
    else:
        flash(_("Your support is withdrawn."), "success")
    return redirect(url_for("proposals.show", proposal_id=proposal_id))


@bp.route("/proposals/mine")
@login_required
def mine():
    return render_template("proposals/mine.html", page=queries.mine(current_user.id, page_number()))


@bp.route("/proposals/moderation")
@login_required
def moderation():
    if not permissions.can_moderate(current_user):
        abort(403)
    return render_template("proposals/moderation.html", page=queries.pending_moderation(page_number()))


@bp.post("/proposals/<int(max=2147483647):proposal_id>/approve")
@login_required
def approve(proposal_id):
    proposal = _proposal_or_404(proposal_id)
    if not permissions.can_moderate(current_user):
        abort(403)
    try:
        services.approve(proposal, current_user)
    except ModerationRefused as refused:
        flash(str(refused), "error")
    else:
        flash(_("The proposal is public now."), "success")
    return redirect(url_for("proposals.moderation"))


@bp.route("/proposals/<int(max=2147483647):proposal_id>/merge", methods=["GET", "POST"])
@login_required
def merge(proposal_id):
    duplicate = _proposal_or_404(proposal_id)
    if not permissions.can_merge(current_user, duplicate):
        abort(403)
    form = MergeForm()
    if form.validate_on_submit():
        target = db.session.get(Proposal, form.target.data)
        if target is None:
            form.target.errors.append(_("There is no proposal with this number."))
        else:
            try:
                record = services.merge(duplicate, target, current_user, form.note.data)
            except services.ProposalRefused as refused:
                form.target.errors.append(str(refused))
            else:
                log_moderation_action("merge", "proposal", duplicate.id, into=target.id, supports_moved=record.supports_moved)
                flash(_("Merged. %(n)d supports moved over.", n=record.supports_moved), "success")
                return redirect(url_for("proposals.show", proposal_id=target.id))
    return render_template("proposals/merge.html", proposal=duplicate, form=form), 400 if form.errors else 200


@bp.route("/institutions/<slug>/proposal-settings", methods=["GET", "POST"])
@login_required
def settings(slug):
    institution = institution_by_slug(slug)
    if institution is None:
        abort(404)
    if not permissions.can_edit_settings(current_user, institution):
        abort(403)
    current = services.settings_for(institution.id)
    form = SettingsForm(obj=current)
    if not form.is_submitted():
        form.premoderation.data = institution.premoderation
    if form.validate_on_submit():
        services.save_settings(institution, form.premoderation.data, form.support_threshold.data, form.collection_days.data)
        flash(_("The settings are saved. They apply to proposals submitted from now on."), "success")
        return redirect(url_for("institutions.show", slug=slug))
    return render_template("proposals/settings.html", institution=institution, form=form), 400 if form.errors else 200
