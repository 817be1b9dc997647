"""The inbox, the case page with its actions, offline registration and the public response log."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from participation.i18n import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from participation.cases import permissions, queries, services, subjects
from participation.cases.forms import (
    CHANNEL_LABELS,
    POSITION_LABELS,
    SOURCE_LABELS,
    STATE_LABELS,
    AnswerForm,
    ExtendForm,
    ForwardForm,
    ImplementedForm,
    InboxFilterForm,
    NotExaminedForm,
    OfflineCaseForm,
)
from participation.cases.models import Case, CaseState, Channel, OfflineSource, Position, Response
from participation.signals import inbox_opening
from participation.urls import page_number
from participation.extensions import db
from participation.institutions.models import Institution
from participation.cache import filter_form_html
from participation.institutions.permissions import can_answer_cases, staff_access
from participation.institutions.services import institution_by_slug

bp = Blueprint("cases", __name__)


@bp.app_context_processor
def _labels():
    return {
        "position_labels": POSITION_LABELS,
        "state_labels": STATE_LABELS,
        "channel_labels": CHANNEL_LABELS,
        "source_labels": SOURCE_LABELS,
    }


def _institution_or_404(slug: str) -> Institution:
    institution = institution_by_slug(slug)
    if institution is None:
        abort(404)
    return institution


def _case_or_404(case_id: int) -> Case:
    case = db.session.get(Case, case_id)
    if case is None or not permissions.can_view_case(current_user, case):
        abort(404)
    return case


@bp.route("/institutions/<slug>/inbox")
@login_required
def inbox(slug):
    institution = _institution_or_404(slug)
    access = staff_access(current_user, institution)  # the roles are read once for the page's two questions
    if not permissions.can_view_inbox(current_user, institution, access):
        abort(403)
    inbox_opening.send(institution)  # e.g. consultations that closed open their cases now, if no job did
    filters = InboxFilterForm(request.args)
    channel = Channel(filters.channel.data) if filters.channel.data in Channel.__members__.values() else None
    state = CaseState(filters.state.data) if filters.state.data in CaseState.__members__.values() else None
    choices_made = {"channel": channel.value if channel else "", "state": state.value if state else ""}
    page = queries.inbox(institution.id, page_number(), channel, state)
    actions = {case.id: tuple(permissions.inbox_actions(access.can_answer_cases, case)) for case in page.items}
    return render_template(
        "cases/inbox.html",
        institution=institution,
        page=page,
        filters=filters,
        filters_html=filter_form_html("cases/_inbox_filters.html", filters, choices_made),
        actions=actions,
    )


@bp.route("/institutions/<slug>/log")
def log(slug):
    institution = _institution_or_404(slug)
    page = queries.response_log(institution.id, page_number(), after=request.args.get("after"),
                                before=request.args.get("before"))
    return render_template("cases/log.html", institution=institution, page=page)


@bp.route("/cases/<int(max=2147483647):case_id>")
def show(case_id):
    case = _case_or_404(case_id)
    return render_template(
        "cases/show.html",
        case=case,
        subject=subjects.subject_of(case),
        history=queries.case_history(case.id),
        can_answer=permissions.can_answer(current_user, case),
        can_extend=permissions.can_extend(current_user, case),
        can_forward=permissions.can_forward(current_user, case),
        can_mark_not_examined=permissions.can_mark_not_examined(current_user, case),
        can_record_implementation=permissions.can_record_implementation(current_user, case),
        can_correct=lambda response: permissions.can_correct(current_user, response),
        reveal_submitter=permissions.can_view_inbox(current_user, case.institution),
    )


def _already_done(case: Case, action: str) -> str | None:
    """Why a member of staff finds the action done already: the case was answered, closed, forwarded, extended or
    marked carried out meanwhile (a second tab, a double click, a colleague). None when it is a real refusal."""
    responder = can_answer_cases(current_user, case.institution)
    if responder and case.state == CaseState.ANSWERED and (action != "implemented" or case.implemented_on):
        return _("This case was already marked as carried out.") if action == "implemented" else _("This case was already answered.")
    if responder and case.state == CaseState.NOT_EXAMINED:
        return _("This case was already closed as not examined.")
    if (not responder and case.forwarded_from is not None and case.is_awaiting
            and can_answer_cases(current_user, case.forwarded_from)):
        return _("This case was already forwarded to %(institution)s.", institution=case.institution.name)
    if responder and action == "extend" and case.extended_once and case.is_awaiting:
        return _("The deadline of this case was already extended.")
    return None


def _done_already_page(template: str, case: Case, form, message: str, **context):
    """The action came too late: say so, link to what was done, and keep what was typed on the page."""
    db.session.rollback()  # nothing of this request is saved
    latest = queries.latest_response_id(case.id)
    kept = [(f.label.text, f.data) for f in form if f.type == "TextAreaField" and (f.data or "").strip()]
    return render_template(template, case=case, form=form, subject=subjects.subject_of(case), already=message,
                           already_link=url_for("cases.show", case_id=case.id, _anchor=f"response-{latest}" if latest else None),
                           kept=kept, **context), 409 if request.method == "POST" else 200


def _action_page(case_id, action, allowed, form, template, act, success, **context):
    """Shared shape of the case actions: check permission, validate, call one service, report. The page shows the
    submission being answered above the form."""
    case = _case_or_404(case_id)
    if not allowed(current_user, case):
        message = _already_done(case, action)
        if message is None:
            abort(403)
        return _done_already_page(template, case, form, message, **context)
    error = None
    if form.validate_on_submit():
        try:
            act(case, form)
        except services.CaseAlreadyClosed:
            return _done_already_page(template, case, form, _already_done(case, action) or _("This case was already answered."),
                                      **context)
        except services.CaseActionRefused as refused:
            error = str(refused)
        else:
            flash(success, "success")
            return redirect(url_for("cases.show", case_id=case.id))
    status = 400 if (form.errors or error) else 200
    return render_template(template, case=case, form=form, action_error=error, subject=subjects.subject_of(case),
                           **context), status


@bp.route("/cases/<int(max=2147483647):case_id>/answer", methods=["GET", "POST"])
@login_required
def answer(case_id):
    return _action_page(
        case_id,
        "answer",
        permissions.can_answer,
        AnswerForm(),
        "cases/answer.html",
        lambda case, form: services.answer_case(case, current_user, Position(form.position.data), form.text.data),
        _("The answer is published in the response log."),
    )


@bp.route("/cases/<int(max=2147483647):case_id>/extend", methods=["GET", "POST"])
@login_required
def extend(case_id):
    form = ExtendForm()
    case = _case_or_404(case_id)
    return _action_page(
        case_id,
        "extend",
        permissions.can_extend,
        form,
        "cases/extend.html",
        lambda case, form: services.extend_case(case, current_user, form.new_due_on.data, form.reason.data),
        _("The deadline is extended and the submitter is told."),
        limit=services.extension_limit(case),
    )


@bp.route("/cases/<int(max=2147483647):case_id>/forward", methods=["GET", "POST"])
@login_required
def forward(case_id):
    form = ForwardForm()
    case = _case_or_404(case_id)
    form.target.choices = [
        (i.id, i.name)
        for i in db.session.scalars(select(Institution).where(Institution.id != case.institution_id).order_by(Institution.name))
    ]
    return _action_page(
        case_id,
        "forward",
        permissions.can_forward,
        form,
        "cases/forward.html",
        lambda case, form: services.forward_case(case, current_user, db.session.get(Institution, form.target.data), form.reason.data),
        _("The case is forwarded to the competent institution."),
        forward_by=services.forward_deadline(case),
    )


@bp.route("/cases/<int(max=2147483647):case_id>/not-examined", methods=["GET", "POST"])
@login_required
def not_examined(case_id):
    return _action_page(
        case_id,
        "not_examined",
        permissions.can_mark_not_examined,
        NotExaminedForm(),
        "cases/not_examined.html",
        lambda case, form: services.mark_not_examined(case, current_user, form.reason.data),
        _("The case is closed as not examined, with the legal reason in the log."),
    )


@bp.route("/cases/<int(max=2147483647):case_id>/implemented", methods=["GET", "POST"])
@login_required
def implemented(case_id):
    return _action_page(
        case_id,
        "implemented",
        permissions.can_record_implementation,
        ImplementedForm(),
        "cases/implemented.html",
        lambda case, form: services.record_implementation(case, current_user, form.text.data, form.implemented_on.data),
        _("The implementation is recorded in the response log."),
    )


@bp.route("/responses/<int(max=2147483647):response_id>/correct", methods=["GET", "POST"])
@login_required
def correct(response_id):
    previous = db.session.get(Response, response_id)
    if previous is None or not permissions.can_view_case(current_user, previous.case):
        abort(404)
    form = AnswerForm()
    corrected_already = previous.superseded_by is not None and can_answer_cases(current_user, previous.institution)
    if not permissions.can_correct(current_user, previous):
        if not corrected_already:
            abort(403)
        return _done_already_page("cases/correct.html", previous.case, form, _("This answer was already corrected."),
                                  previous=previous)
    if request.method == "GET":
        form.position.data = previous.position.value if previous.position else None
    error = None
    if form.validate_on_submit():
        try:
            services.correct_response(previous, current_user, Position(form.position.data), form.text.data)
        except services.CaseAlreadyClosed:
            return _done_already_page("cases/correct.html", previous.case, form, _("This answer was already corrected."),
                                      previous=previous)
        except services.CaseActionRefused as refused:
            error = str(refused)
        else:
            flash(_("The correction is published; the earlier answer stays in the log, marked as superseded."), "success")
            return redirect(url_for("cases.show", case_id=previous.case_id))
    status = 400 if (form.errors or error) else 200
    return render_template("cases/correct.html", previous=previous, case=previous.case, form=form, action_error=error,
                           subject=subjects.subject_of(previous.case)), status


@bp.route("/institutions/<slug>/offline", methods=["GET", "POST"])
@login_required
def register_offline(slug):
    institution = _institution_or_404(slug)
    if not permissions.can_register_offline(current_user, institution):
        abort(403)
    form = OfflineCaseForm()
    if form.validate_on_submit():
        case = services.register_offline(
            institution,
            form.title.data,
            form.body.data,
            OfflineSource(form.source.data),
            form.received_on.data,
            form.submitter.data or "",
            form.is_private.data,
        )
        flash(_("The contribution is registered as case %(number)s.", number=case.number), "success")
        return redirect(url_for("cases.show", case_id=case.id))
    return render_template("cases/offline.html", institution=institution, form=form), 400 if form.errors else 200
