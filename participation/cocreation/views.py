"""Co-created municipal regulations: the public pages of a process, what residents and groups do, and the working
group's actions. Parse, check the permission, call one service, render or redirect."""
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from participation.i18n import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from participation.accounts.models import User
from participation.cases.forms import POSITION_LABELS, SOURCE_LABELS
from participation.cases.models import Position
from participation.cases.queries import case_history
from participation.cocreation import permissions, queries, services
from participation.cocreation.forms import (
    KIND_LABELS,
    ROLE_LABELS,
    AdoptForm,
    AmendmentForm,
    ConsultationForm,
    DecisionForm,
    DraftForm,
    IdeaAnswerForm,
    IdeaForm,
    MemberForm,
    OfflineForm,
    ProcessForm,
    StopForm,
    on_behalf_choices,
)
from participation.cocreation.models import Amendment, CoCreation, Idea, Stage, WorkingGroupMember
from participation.consultations.diff import word_diff
from participation.extensions import db, limiter
from participation.groups.models import Group, GroupMember, MemberStatus
from participation.institutions.services import institution_by_slug
from participation.moderation.permissions import can_moderate, can_see
from participation.security import configured_limit, user_or_address
from participation.urls import page_number

bp = Blueprint("cocreation", __name__, url_prefix="/cocreation")


@bp.context_processor
def _labels():
    from participation.cocreation.forms import STAGE_LABELS, STATE_LABELS

    return {"stage_labels": STAGE_LABELS, "state_labels": STATE_LABELS, "kind_labels": KIND_LABELS, "role_labels": ROLE_LABELS,
            "position_labels": POSITION_LABELS, "source_labels": SOURCE_LABELS}

MAX_ID = 2_147_483_647


def _get(model, ident: int, *options):
    item = db.session.get(model, ident, options=options) if 0 < ident <= MAX_ID else None
    if item is None:
        abort(404)
    return item


def _process(process_id: int) -> CoCreation:
    """The process with its institution (every page names it): one statement."""
    return _get(CoCreation, process_id, joinedload(CoCreation.institution))


def _item(model, process: CoCreation, item_id: int):
    item = _get(model, item_id)
    if item.process_id != process.id or not can_see(current_user, item):
        abort(404)
    return item


def _require(allowed: bool) -> None:
    if not allowed:
        abort(403)


def _my_groups():
    if not current_user.is_authenticated:
        return []
    return list(db.session.scalars(
        select(Group).where(Group.hidden_at.is_(None))
        .where((Group.leader_id == current_user.id) | Group.id.in_(
            select(GroupMember.group_id).where(GroupMember.user_id == current_user.id, GroupMember.status == MemberStatus.APPROVED)))
        .order_by(Group.name)))


def _group_from(form, groups) -> Group | None:
    chosen = form.on_behalf.data or 0
    return next((g for g in groups if g.id == chosen), None)


def _refusal(form, error) -> str | None:
    """A refusal about one field is shown at that field (the error summary links to it); any other above the form."""
    name = getattr(error, "field", None)
    if name and name in form:
        form[name].errors = [*form[name].errors, str(error)]
        return None
    return str(error)


def _form_page(process, form, title, action, submit, status=200, intro=None, extra=None, **context):
    code = 400 if form.errors or context.get("refused") else status
    return render_template("cocreation/form.html", process=process, form=form, title=title, action=action, submit_label=submit,
                           intro=intro, extra=extra, **context), code


# --- public pages -------------------------------------------------------------------------------------------------


@bp.route("/")
def index():
    page = queries.process_list(page_number(), current_app.config["PER_PAGE"])
    return render_template("cocreation/index.html", page=page, municipalities=queries.municipalities_of(current_user))


@bp.route("/<int:process_id>")
def show(process_id):
    process = _process(process_id)
    access = permissions.access(current_user, process)
    version, clauses = services.current_text(process.id)
    moderator = can_moderate(current_user)
    ideas = queries.ideas_page(process.id, page_number(), current_app.config["PER_PAGE"], current_user, moderator)
    consultation = None
    if process.consultation_id:
        from participation.consultations.models import Consultation

        consultation = db.session.get(Consultation, process.consultation_id)
    return render_template(
        "cocreation/show.html", process=process, access=access, version=version, clauses=clauses, ideas=ideas,
        counts=queries.amendment_counts(process.id) if version else {}, supported=queries.supported(current_user, [i.id for i in ideas.items]),
        stage_events=queries.stage_events(process.id), next_step=services.next_step(process), consultation=consultation,
        stage_order_index=services.stage_index(process),
        credits=services.credits(process) if process.stage == Stage.ADOPTED else [],
        members=services.members(process.id), may_post=permissions.can_post_idea(current_user, process),
        role_labels=ROLE_LABELS, position_labels=POSITION_LABELS,
    )


@bp.route("/<int:process_id>/timeline")
def timeline(process_id):
    process = _process(process_id)
    page = queries.timeline_page(process.id, page_number(), current_app.config["PER_PAGE"])
    return render_template("cocreation/timeline.html", process=process, page=page)


@bp.route("/<int:process_id>/feed.atom")
def feed(process_id):
    from participation.cocreation.feeds import process_feed

    process = _process(process_id)
    body = process_feed(process, queries.latest_events(process.id), str(get_locale()))
    return Response(body, mimetype="application/atom+xml")


@bp.route("/<int:process_id>/ideas/<int:idea_id>")
def idea(process_id, idea_id):
    process = _process(process_id)
    item = _item(Idea, process, idea_id)
    return render_template("cocreation/idea.html", process=process, idea=item, access=permissions.access(current_user, process),
                           history=case_history(item.case_id) if item.case_id and not item.case.is_private else [],
                           supported=queries.supported(current_user, [item.id]), position_labels=POSITION_LABELS,
                           may_support=current_user.is_authenticated and permissions.can_support(current_user, item))


@bp.route("/<int:process_id>/clauses/<int:lineage>")
def clause(process_id, lineage):
    process = _process(process_id)
    current = services.clause_in_force(process.id, lineage) if 0 < lineage <= MAX_ID else None
    last = current or (services.last_clause(lineage) if 0 < lineage <= MAX_ID else None)
    if last is None or last.version.process_id != process.id:
        abort(404)
    page = queries.amendments_page(lineage, page_number(), current_app.config["PER_PAGE"], current_user, can_moderate(current_user))
    diffs = {a.id: word_diff(a.base_clause.text, a.text) for a in page.items if a.kind != "delete"}
    return render_template("cocreation/clause.html", process=process, clause=last, in_force=current is not None, page=page,
                           diffs=diffs, history=services.clause_history(lineage), kind_labels=KIND_LABELS,
                           endorsed=queries.endorsed(current_user, [a.id for a in page.items]),
                           may_amend=current is not None and permissions.can_amend(current_user, process))


@bp.route("/<int:process_id>/amendments/<int:amendment_id>")
def amendment(process_id, amendment_id):
    process = _process(process_id)
    item = _item(Amendment, process, amendment_id)
    return render_template(
        "cocreation/amendment.html", process=process, amendment=item, access=permissions.access(current_user, process),
        diff=word_diff(item.base_clause.text, item.text) if item.kind != "delete" else None,
        taken_diff=word_diff(item.base_clause.text, item.taken_text) if item.taken_text else None,
        history=case_history(item.case_id) if item.case_id and not item.case.is_private else [],
        endorsed=queries.endorsed(current_user, [item.id]), kind_labels=KIND_LABELS, position_labels=POSITION_LABELS,
        may_endorse=current_user.is_authenticated and permissions.can_endorse(current_user, item),
        may_withdraw=permissions.can_withdraw(current_user, item),
    )


# --- residents and groups -----------------------------------------------------------------------------------------


@bp.route("/<int:process_id>/ideas/new", methods=["GET", "POST"])
@login_required
@limiter.shared_limit(configured_limit("RATELIMIT_COMMENTS"), scope="cocreation", key_func=user_or_address, methods=["POST"])
def new_idea(process_id):
    process = _process(process_id)
    _require(permissions.can_post_idea(current_user, process))
    groups = _my_groups()
    form = IdeaForm()
    form.on_behalf.choices = on_behalf_choices(groups)
    refused = None
    if form.validate_on_submit():
        try:
            item = services.post_idea(process, current_user, form.title.data, form.text.data, _group_from(form, groups), form.show_name.data)
        except services.CoCreationRefused as error:
            refused = _refusal(form, error)
        else:
            flash(_("Your idea %(number)s is published. The working group will answer it.", number=item.number), "success")
            return redirect(url_for("cocreation.idea", process_id=process.id, idea_id=item.id))
    return _form_page(process, form, _("Send an idea"), url_for("cocreation.new_idea", process_id=process.id), _("Send the idea"),
                      refused=refused)


@bp.route("/<int:process_id>/ideas/<int:idea_id>/support", methods=["POST"])
@login_required
@limiter.limit(configured_limit("RATELIMIT_SUPPORTS"), key_func=user_or_address)
def support(process_id, idea_id):
    process = _process(process_id)
    item = _item(Idea, process, idea_id)
    _require(permissions.can_support(current_user, item))
    if services.support_idea(item, current_user):
        flash(_("You support this idea."), "success")
    else:
        flash(_("You already support this idea."), "success")
    return redirect(url_for("cocreation.idea", process_id=process.id, idea_id=item.id))


@bp.route("/<int:process_id>/clauses/<int:lineage>/amend", methods=["GET", "POST"])
@login_required
@limiter.shared_limit(configured_limit("RATELIMIT_COMMENTS"), scope="cocreation", key_func=user_or_address, methods=["POST"])
def amend(process_id, lineage):
    process = _process(process_id)
    _require(permissions.can_amend(current_user, process))
    current = services.clause_in_force(process.id, lineage) if 0 < lineage <= MAX_ID else None
    if current is None:
        abort(404)
    groups = _my_groups()
    form = AmendmentForm()
    form.on_behalf.choices = on_behalf_choices(groups)
    if request.method == "GET":
        form.text.data = current.text
    refused = None
    if form.validate_on_submit():
        try:
            item = services.propose_amendment(process, lineage, current_user, form.kind.data, form.text.data, form.reason.data,
                                              _group_from(form, groups), form.show_name.data)
        except services.CoCreationRefused as error:
            refused = _refusal(form, error)
        else:
            flash(_("Your amendment %(number)s is published. The working group will decide on it.", number=item.number), "success")
            return redirect(url_for("cocreation.amendment", process_id=process.id, amendment_id=item.id))
    return _form_page(process, form, _("Propose an amendment to %(clause)s", clause=current.label),
                      url_for("cocreation.amend", process_id=process.id, lineage=lineage), _("Propose the amendment"),
                      refused=refused, clause=current)


@bp.route("/<int:process_id>/amendments/<int:amendment_id>/endorse", methods=["POST"])
@login_required
@limiter.limit(configured_limit("RATELIMIT_SUPPORTS"), key_func=user_or_address)
def endorse(process_id, amendment_id):
    process = _process(process_id)
    item = _item(Amendment, process, amendment_id)
    _require(permissions.can_endorse(current_user, item))
    if services.endorse(item, current_user):
        flash(_("You endorse this amendment."), "success")
    else:
        flash(_("You already endorse this amendment."), "success")
    return redirect(url_for("cocreation.amendment", process_id=process.id, amendment_id=item.id))


@bp.route("/<int:process_id>/amendments/<int:amendment_id>/withdraw", methods=["POST"])
@login_required
def withdraw(process_id, amendment_id):
    process = _process(process_id)
    item = _item(Amendment, process, amendment_id)
    _require(permissions.can_withdraw(current_user, item))
    services.withdraw(item, current_user)
    flash(_("You withdrew the amendment."), "success")
    return redirect(url_for("cocreation.amendment", process_id=process.id, amendment_id=item.id))


# --- the working group --------------------------------------------------------------------------------------------


@bp.route("/new/<slug>", methods=["GET", "POST"])
@login_required
def create(slug):
    institution = institution_by_slug(slug)
    if institution is None:
        abort(404)
    _require(permissions.can_create(current_user, institution))
    form = ProcessForm()
    refused = None
    if form.validate_on_submit():
        try:
            process = services.create_process(institution, current_user, form.title.data, form.problem.data, form.ideas_until.data,
                                              form.drafting_until.data, form.adoption_planned_on.data)
        except services.CoCreationRefused as error:
            refused = _refusal(form, error)
        else:
            flash(_("The process has started: residents may send ideas now."), "success")
            return redirect(url_for("cocreation.show", process_id=process.id))
    return _form_page(None, form, _("Start co-creating a regulation"), url_for("cocreation.create", slug=slug), _("Start"),
                      refused=refused, institution=institution)


@bp.route("/<int:process_id>/working-group", methods=["GET", "POST"])
@login_required
def working_group(process_id):
    """The coordinators' page: invite residents and groups with a role (the process page lists the members)."""
    process = _process(process_id)
    access = permissions.access(current_user, process)
    _require(access.can_manage)
    form = MemberForm()
    refused = None
    if request.method == "POST":
        if form.validate_on_submit():
            user = group = None
            if form.email.data:
                user = db.session.scalar(select(User).where(User.email == form.email.data.strip().lower()))
                if user is None:
                    form.email.errors.append(_("No account has this e-mail address."))
            elif form.group.data:
                group = db.session.scalar(select(Group).where(Group.slug == form.group.data.strip()))
                if group is None:
                    form.group.errors.append(_("No group has this short name."))
            else:
                form.email.errors.append(_("Enter a person's e-mail address or a group's short name."))
            if not form.errors:
                try:
                    services.add_member(process, form.role.data, user=user, group=group)
                except services.CoCreationRefused as error:
                    refused = _refusal(form, error)
                else:
                    flash(_("The working group is updated."), "success")
                    return redirect(url_for("cocreation.working_group", process_id=process.id))
    return render_template("cocreation/working_group.html", process=process, access=access, form=form, refused=refused,
                           members=services.members(process.id), role_labels=ROLE_LABELS), 400 if form.errors or refused else 200


@bp.route("/<int:process_id>/working-group/<int:wg_member_id>/remove", methods=["POST"])
@login_required
def remove_member(process_id, wg_member_id):
    process = _process(process_id)
    _require(permissions.can_manage(current_user, process))
    member = _get(WorkingGroupMember, wg_member_id)
    if member.process_id != process.id:
        abort(404)
    services.remove_member(member)
    flash(_("The working group is updated."), "success")
    return redirect(url_for("cocreation.working_group", process_id=process.id))


@bp.route("/<int:process_id>/ideas/<int:idea_id>/answer", methods=["GET", "POST"])
@login_required
def answer_idea(process_id, idea_id):
    process = _process(process_id)
    _require(permissions.can_decide(current_user, process))
    item = _item(Idea, process, idea_id)
    form = IdeaAnswerForm()
    version = services.current_version(process.id)
    if version is None:
        del form.clause
    else:
        form.clause.choices = [(0, _("No clause"))] + [(c.lineage, c.label) for c in services.clauses_of(version.id)]
    refused = None
    if form.validate_on_submit():
        try:
            services.answer_idea(item, current_user, Position(form.position.data), form.text.data,
                                 form.clause.data if version is not None else None)
        except (services.CoCreationRefused, ValueError) as error:
            refused = _refusal(form, error)
        else:
            flash(_("The answer is published in the response log."), "success")
            return redirect(url_for("cocreation.idea", process_id=process.id, idea_id=item.id))
    return _form_page(process, form, _("Answer idea %(number)s", number=item.number),
                      url_for("cocreation.answer_idea", process_id=process.id, idea_id=item.id), _("Publish the answer"),
                      refused=refused, idea=item)


@bp.route("/<int:process_id>/amendments/<int:amendment_id>/decide", methods=["GET", "POST"])
@login_required
def decide(process_id, amendment_id):
    process = _process(process_id)
    _require(permissions.can_decide(current_user, process))
    item = _item(Amendment, process, amendment_id)
    form = DecisionForm()
    if request.method == "GET" and item.text:
        form.taken_text.data = item.text
    refused = None
    if form.validate_on_submit():
        try:
            services.decide_amendment(item, current_user, Position(form.position.data), form.text.data, form.taken_text.data)
        except (services.CoCreationRefused, ValueError) as error:
            db.session.rollback()
            refused = _refusal(form, error)
        else:
            flash(_("The decision is published in the response log."), "success")
            return redirect(url_for("cocreation.amendment", process_id=process.id, amendment_id=item.id))
    diff = word_diff(item.base_clause.text, item.text) if item.kind != "delete" else None
    return _form_page(process, form, _("Decide on amendment %(number)s", number=item.number),
                      url_for("cocreation.decide", process_id=process.id, amendment_id=item.id), _("Publish the decision"),
                      refused=refused, amendment=item, diff=diff, kind_labels=KIND_LABELS)


@bp.route("/<int:process_id>/offline", methods=["GET", "POST"])
@login_required
def offline(process_id):
    process = _process(process_id)
    _require(permissions.can_manage(current_user, process))
    form = OfflineForm()
    version, clauses = services.current_text(process.id)
    form.clause.choices = [(0, _("Choose…"))] + [(c.lineage, c.label) for c in clauses]
    refused = None
    if form.validate_on_submit():
        try:
            item = services.register_offline(
                process, current_user, form.what.data, form.source.data, form.received_on.data, form.name.data or "",
                form.name_public.data, title=form.title.data or "", text=form.text.data, lineage=form.clause.data,
                kind=form.kind.data or "replace", reason=form.reason.data or form.text.data)
        except (services.CoCreationRefused, ValueError) as error:
            refused = _refusal(form, error)
        else:
            flash(_("It is registered as %(number)s.", number=item.number), "success")
            return redirect(url_for("cocreation.show", process_id=process.id))
    return _form_page(process, form, _("Register an idea or amendment received offline"),
                      url_for("cocreation.offline", process_id=process.id), _("Register it"), refused=refused)


@bp.route("/<int:process_id>/draft", methods=["GET", "POST"])
@login_required
def draft(process_id):
    process = _process(process_id)
    _require(permissions.can_manage(current_user, process))
    form = DraftForm()
    refused = None
    if form.validate_on_submit():
        try:
            services.publish_draft(process, current_user, form.source.data, form.note.data)
        except services.CoCreationRefused as error:
            refused = _refusal(form, error)
        else:
            flash(_("The draft is published: residents may propose amendments to its clauses now."), "success")
            return redirect(url_for("cocreation.show", process_id=process.id))
    return _form_page(process, form, _("Publish the draft"), url_for("cocreation.draft", process_id=process.id),
                      _("Publish the draft and start drafting"), refused=refused)


@bp.route("/<int:process_id>/consultation", methods=["GET", "POST"])
@login_required
def consultation(process_id):
    process = _process(process_id)
    _require(permissions.can_manage(current_user, process))
    form = ConsultationForm()
    refused = None
    if form.validate_on_submit():
        try:
            opened = services.open_consultation(process, current_user, form.closes_on.data, form.summary.data)
        except services.CoCreationRefused as error:
            refused = _refusal(form, error)
        else:
            flash(_("The public consultation is open."), "success")
            return redirect(url_for("consultations.show", consultation_id=opened.id))
    return _form_page(process, form, _("Open the public consultation"), url_for("cocreation.consultation", process_id=process.id),
                      _("Open the consultation"), refused=refused)


@bp.route("/<int:process_id>/adopt", methods=["GET", "POST"])
@login_required
def adopt(process_id):
    process = _process(process_id)
    _require(permissions.can_manage(current_user, process))
    form = AdoptForm()
    refused = None
    if form.validate_on_submit():
        try:
            services.adopt(process, current_user, form.decision_number.data, form.decision_on.data)
        except services.CoCreationRefused as error:
            refused = _refusal(form, error)
        else:
            flash(_("The adopted regulation is published with its credits."), "success")
            return redirect(url_for("cocreation.show", process_id=process.id))
    intro = new_version_url = None
    if process.consultation_id:
        from participation.consultations.models import Consultation, WindowState

        consultation = db.session.get(Consultation, process.consultation_id)
        intro = _("The adopted text will be the consultation's latest version of the draft (version %(n)d). If the council "
                  "adopted a different text, publish it first as a new version of the consultation's draft.",
                  n=max(v.number for v in consultation.versions))
        if consultation.window_state() == WindowState.CLOSED and permissions.access(current_user, process).staff_manage:
            new_version_url = url_for("consultations.new_version", consultation_id=consultation.id)
    return _form_page(process, form, _("Publish the adopted regulation"), url_for("cocreation.adopt", process_id=process.id),
                      _("Publish"), refused=refused, intro=intro, new_version_url=new_version_url)


@bp.route("/<int:process_id>/stop", methods=["GET", "POST"])
@login_required
def stop(process_id):
    process = _process(process_id)
    _require(permissions.can_manage(current_user, process))
    form = StopForm()
    refused = None
    if form.validate_on_submit():
        try:
            services.stop(process, current_user, form.reason.data)
        except services.CoCreationRefused as error:
            refused = _refusal(form, error)
        else:
            flash(_("The process is stopped."), "success")
            return redirect(url_for("cocreation.show", process_id=process.id))
    return _form_page(process, form, _("Stop the process"), url_for("cocreation.stop", process_id=process.id),
                      _("Stop the process"), refused=refused)
