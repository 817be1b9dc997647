"""Consultations: the list and feeds, the draft page, commenting, and the institution's side
(prepare, publish, extend, positions and the summary table, the next version, attachments)."""
import csv
import io
import secrets
from datetime import datetime, timedelta
from types import SimpleNamespace

from flask import (
    Blueprint, Response, abort, flash, redirect, render_template, request, send_file, stream_with_context, url_for,
)
from participation.i18n import gettext as _
from participation.i18n import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from participation.moderation.choices import hide_reason_label
from participation.cases.models import Position
from participation.clock import riga_date, riga_today, utcnow
from participation.consultations import permissions, queries, services
from participation.consultations.diff import has_changes, word_diff
from participation.consultations.rows import answers_of
from participation.consultations.sections import anchor, section_keys
from participation.consultations.forms import (
    KIND_LABELS, POLICY_AREAS, STATE_LABELS, AttachmentForm, CommentForm, ConsultationFilterForm, ConsultationForm,
    ExtendWindowForm, PositionForm, PublishForm, ReplyForm, VersionForm,
)
from participation.consultations.models import Attachment, Comment, Consultation
from participation.extensions import db, limiter
from participation.groups.services import groups_user_can_act_for
from participation.institutions.services import editable_institutions
from participation.cache import filter_form_html
from participation.institutions.services import institution_by_slug, institution_choices
from participation.security import search_rate_limit
from participation.security import configured_limit, user_or_address
from participation.signals import inbox_opening
from participation.pages import Page
from participation.urls import absolute_url, page_number, public_host

bp = Blueprint("consultations", __name__)


@bp.app_context_processor
def _labels():
    return {"consultation_kind_labels": KIND_LABELS, "policy_area_labels": POLICY_AREAS, "window_labels": STATE_LABELS}


@inbox_opening.connect
def _close_due_consultations(institution, **_extra):
    services.process_all_closed(institution.id)


def _consultation_or_404(consultation_id: int) -> Consultation:
    consultation = queries.for_page(consultation_id)
    if consultation is None or not permissions.can_view_consultation(current_user, consultation):
        abort(404)
    services.process_closed(consultation)  # the closing step, if no job ran it yet
    return consultation


def _require_editor(consultation: Consultation) -> None:
    if not permissions.can_edit_consultations(current_user, consultation.institution):
        abort(403)


@bp.route("/consultations/")
@search_rate_limit
def index():
    institutions = institution_choices()
    filters = ConsultationFilterForm(request.args, institutions=institutions)
    valid = {n: (filters[n].data if filters[n].data in dict(filters[n].choices) else "") for n in ("institution", "kind", "policy_area", "state")}
    page = queries.public_list(page_number(), institution_id=int(valid["institution"]) if valid["institution"] else None,
                               kind=valid["kind"] or None, policy_area=valid["policy_area"] or None,
                               state=valid["state"] or None, search=(filters.q.data or "")[:100])
    args = {k: v for k, v in {**valid, "q": (filters.q.data or "")[:100]}.items() if v}
    now, today = utcnow(), riga_today()
    cards = {c.id: (c.window_state(now), (riga_date(c.closes_at) - today).days if c.closes_at else 0) for c in page.items}
    return render_template("consultations/index.html", page=page, args=args, cards=cards,
                           filters_html=filter_form_html("consultations/_filters.html", filters, valid, institutions),
                           edits=current_user.is_authenticated and bool(_editable_institutions()))


# --- preparing and publishing ---------------------------------------------------------------------------


def _editable_institutions():
    return editable_institutions(current_user)


@bp.route("/consultations/drafts")
@login_required
def drafts():
    """My drafts: the unpublished consultations of every institution the editor prepares them for, with what is done."""
    institutions = _editable_institutions()
    if not institutions:
        abort(403)
    found = queries.drafts_of([i.id for i in institutions])
    return render_template("consultations/drafts.html", institutions=institutions, drafts=found,
                           tasks={row.consultation.id: _tasks(row.consultation, row.sections, row.attachments) for row in found})


def _tasks(consultation, sections: int, attachments: int) -> list[dict]:
    """Preparing a consultation as GOV.UK's task list: each task, where it is done, and whether it is done."""
    published = consultation.published_at is not None
    text_done, summary_done = sections > 0, bool((consultation.summary or "").strip())
    ready = text_done and summary_done
    edit = url_for("consultations.edit", consultation_id=consultation.id)
    publish_url = url_for("consultations.publish", consultation_id=consultation.id)

    def status(done, can_start=True):
        if done:
            return "completed"
        return "not_started" if can_start else "cannot_start"

    return [
        {"key": "text", "title": _("Text and sections"), "href": edit + "#source", "status": status(text_done),
         "hint": ngettext("%(num)d section", "%(num)d sections", sections) if text_done else None},
        {"key": "summary", "title": _("Plain-language summary"), "href": edit + "#summary", "status": status(summary_done)},
        {"key": "attachments", "title": _("Attachments"), "href": url_for("consultations.show", consultation_id=consultation.id) + "#attachments",
         "status": "completed" if attachments else "optional",
         "hint": ngettext("%(num)d attachment", "%(num)d attachments", attachments) if attachments else _("Optional")},
        {"key": "window", "title": _("Comment window"), "href": publish_url + "#opens_on-day",
         "status": status(published, ready)},
        {"key": "publish", "title": _("Publish"), "href": publish_url, "status": status(published, ready)},
    ]


@bp.route("/consultations/<int(max=2147483647):consultation_id>/prepare")
@login_required
def prepare(consultation_id):
    """The task list of one consultation being prepared."""
    consultation = _consultation_or_404(consultation_id)
    _require_editor(consultation)
    sections = queries.version_sections(consultation.versions[0].id) if consultation.versions else []
    attachments = queries.attachments(consultation.id)
    tasks = _tasks(consultation, len(sections), len(attachments))
    return render_template("consultations/prepare.html", consultation=consultation, tasks=tasks,
                           done=sum(t["status"] == "completed" for t in tasks if t["key"] != "attachments"))


@bp.route("/consultations/new", methods=["GET", "POST"])
@login_required
def create():
    institutions = _editable_institutions()
    if not institutions:
        abort(403)
    form = ConsultationForm()
    form.institution.choices = [(i.id, i.name) for i in institutions]
    if form.validate_on_submit():
        institution = next(i for i in institutions if i.id == form.institution.data)
        consultation = services.save_draft(institution, current_user, form.data, form.source.data)
        flash(_("The draft is saved. Check how the text was split into sections."), "success")
        return redirect(url_for("consultations.edit", consultation_id=consultation.id))
    return render_template("consultations/form.html", form=form, consultation=None, sections=[]), 400 if form.errors else 200


@bp.route("/consultations/<int(max=2147483647):consultation_id>/edit", methods=["GET", "POST"])
@login_required
def edit(consultation_id):
    from participation.consultations.splitter import join_sections

    consultation = _consultation_or_404(consultation_id)
    _require_editor(consultation)
    if consultation.published_at is not None:
        abort(403)
    version = consultation.versions[0]
    form = ConsultationForm(obj=consultation)
    form.institution.choices = [(consultation.institution_id, consultation.institution.name)]
    if request.method == "GET":
        form.institution.data = consultation.institution_id
        form.source.data = join_sections(queries.version_sections(version.id))
    if form.validate_on_submit():
        services.save_draft(consultation.institution, current_user, form.data, form.source.data, consultation)
        flash(_("The draft is saved. Check how the text was split into sections."), "success")
        return redirect(url_for("consultations.edit", consultation_id=consultation.id))
    return render_template("consultations/form.html", form=form, consultation=consultation,
                           sections=queries.version_sections(version.id)), 400 if form.errors else 200


@bp.route("/consultations/<int(max=2147483647):consultation_id>/publish", methods=["GET", "POST"])
@login_required
def publish(consultation_id):
    consultation = _consultation_or_404(consultation_id)
    _require_editor(consultation)
    form = PublishForm()
    error = None
    if request.method == "GET":
        form.opens_on.data = riga_today()
    if form.validate_on_submit():
        try:
            services.publish(consultation, datetime.combine(form.opens_on.data, form.opens_time.data), form.closes_on.data)
        except services.ConsultationRefused as refused:
            error = {"text": str(refused), "href": _step_href(consultation, refused.step)}
        else:
            flash(_("The consultation is published."), "success")
            return redirect(url_for("consultations.show", consultation_id=consultation.id))
    return render_template("consultations/publish.html", consultation=consultation, form=form, action_error=error,
                           minimum=services.minimum_days(consultation.kind, riga_today())), 400 if (form.errors or error) else 200


def _step_href(consultation, step: str | None) -> str | None:
    """Where the editor fixes what stopped the publishing (the error summary links there)."""
    edit = url_for("consultations.edit", consultation_id=consultation.id)
    return {"summary": edit + "#summary", "source": edit + "#source", "window": "#closes_on-day"}.get(step or "")


@bp.route("/consultations/<int(max=2147483647):consultation_id>/extend", methods=["GET", "POST"])
@login_required
def extend(consultation_id):
    consultation = _consultation_or_404(consultation_id)
    _require_editor(consultation)
    form = ExtendWindowForm()
    error = None
    if form.validate_on_submit():
        try:
            services.extend_window(consultation, current_user, form.new_closes_on.data, form.reason.data)
        except services.ConsultationRefused as refused:
            error = str(refused)
        else:
            flash(_("The window is extended; the change is shown on the consultation page."), "success")
            return redirect(url_for("consultations.show", consultation_id=consultation.id))
    return render_template("consultations/extend.html", consultation=consultation, form=form, action_error=error), 400 if (form.errors or error) else 200


# --- the public page and comments ---------------------------------------------------------------------


def _comment_form(consultation: Consultation, sections, chosen=None, groups=None) -> CommentForm:
    """`groups`: the groups the person may write for, when the caller has read them already."""
    form = CommentForm()
    form.section.choices = [(0, _("The whole draft"))] + [(s.id, s.choice_label) for s in sections]
    groups = groups_user_can_act_for(current_user) if groups is None else groups
    form.on_behalf.choices = [(0, _("Myself"))] + [(g.id, g.name) for g in groups]
    if chosen is not None and not form.is_submitted():
        form.section.data = chosen.id
    return form


def _comment_location(comment_: Comment, viewer_id: int | None) -> str:
    """Where a comment is listed: its section's page (or the comments on the whole draft), on the right page."""
    top = comment_ if comment_.parent_id is None else db.session.get(Comment, comment_.parent_id)
    on = "section" if top.section_id else "whole"
    page = queries.listing_page_of(top, on, viewer_id)
    page = page if page > 1 else None
    if top.section_id:
        url = url_for("consultations.section", consultation_id=top.consultation_id, section_id=top.section_id, page=page)
    else:
        url = url_for("consultations.comments", consultation_id=top.consultation_id, whole=1, page=page)
    return url + f"#comment-{comment_.id}"


def _first_sections(consultation) -> list:
    """The sections of version 1: what comments are made on."""
    return queries.version_sections(consultation.versions[0].id) if consultation.versions else []


def _render_show(consultation, form, status=200, action_error=None, sections=None):
    version = consultation.versions[-1] if consultation.versions else None
    sections = _first_sections(consultation) if sections is None else sections
    can_edit = permissions.can_edit_consultations(current_user, consultation.institution)
    return render_template(
        "consultations/show.html", consultation=consultation, sections=sections, latest=version,
        counts=queries.comment_counts(consultation, sections, public=True), extensions=queries.extensions(consultation.id),
        attachments=queries.attachments(consultation.id), form=form, action_error=action_error,
        can_comment=permissions.can_comment(current_user), can_edit=can_edit,
        attachment_form=AttachmentForm() if can_edit else None,
    ), status


@bp.route("/consultations/<int(max=2147483647):consultation_id>")
def show(consultation_id):
    consultation = _consultation_or_404(consultation_id)
    sections = _first_sections(consultation)
    # Only someone signed in sees the comment form: a reader gets no form, no CSRF token and no session cookie.
    form = _comment_form(consultation, sections) if current_user.is_authenticated else None
    return _render_show(consultation, form, sections=sections)


@bp.post("/consultations/<int(max=2147483647):consultation_id>/comments")
@login_required
@limiter.shared_limit(configured_limit("RATELIMIT_COMMENTS"), scope="comments", key_func=user_or_address)
def comment(consultation_id):
    consultation = _consultation_or_404(consultation_id)
    sections = queries.version_sections(consultation.versions[0].id)
    groups = groups_user_can_act_for(current_user)
    form = _comment_form(consultation, sections, groups=groups)
    # Sent from a section's page: shown there again after an error, with everything typed.
    origin = next((s for s in sections if s.id == request.args.get("from_section", type=int)), None)

    def again(status, error=None):
        if origin is not None:
            return _render_comments(consultation, origin.id, status=status, comment_form=form, action_error=error)
        return _render_show(consultation, form, status, error)

    if not permissions.can_comment(current_user):
        return again(403, _("Confirm your e-mail address before you comment."))
    viewer_id = current_user.id  # read now: the commit below expires the account, and reading it again costs a query
    if (already := services.sent_comment(current_user, form.submission.data)) is not None:  # sent twice (a double click)
        flash(_("Your comment was already received as %(number)s.", number=already.number), "success")
        return redirect(_comment_location(already, viewer_id))
    if form.validate_on_submit():
        section = next((s for s in sections if s.id == form.section.data), None)
        group = next((g for g in groups if g.id == form.on_behalf.data), None)
        try:
            created = services.add_comment(consultation, current_user, form.text.data, section, group, form.represents.data or "",
                                           form.show_name.data, submission_key=form.submission.data, key_unused=True)
        except services.ConsultationRefused as refused:
            return again(400, str(refused))  # the typed text stays in the form
        flash(_("Thank you. Your comment has the number %(number)s; a copy is in your e-mail.", number=created.number), "success")
        return redirect(_comment_location(created, viewer_id))
    return again(400)


@bp.route("/consultations/<int(max=2147483647):consultation_id>/comments/<int(max=2147483647):comment_id>")
def comment_link(consultation_id, comment_id):
    """A comment's permanent link (e-mails, cases, moderation): to the page where it is listed now, at the comment."""
    consultation = _consultation_or_404(consultation_id)
    comment_ = db.session.get(Comment, comment_id)
    if comment_ is None or comment_.consultation_id != consultation.id:
        abort(404)
    return redirect(_comment_location(comment_, current_user.id if current_user.is_authenticated else None))


def _render_comments(consultation, section_id=None, whole=False, status=200, reply_for=None, reply_text="", reply_error=None,
                     comment_form=None, action_error=None, reply_form=None):
    latest = consultation.versions[-1]
    # Version 1's sections are read only when the page shows them: one section's comments, the comments on the whole
    # draft (counted as the rest), or the links to what changed in a later version.
    needs_sections = bool(section_id) or whole or latest.number > 1
    first_sections = queries.version_sections(consultation.versions[0].id) if needs_sections else []
    section = next((s for s in first_sections if s.id == section_id), None)
    counts = queries.comment_counts(consultation, first_sections)
    total = (counts.get(section_id, 0) if section_id else counts[None]) if (section_id or whole) else consultation.comment_count
    public_counts = queries.comment_counts(consultation, first_sections, public=True)
    shown = (public_counts.get(section_id, 0) if section_id else public_counts[None]) if (section_id or whole) \
        else queries.public_total(consultation)
    if section is not None and comment_form is None and current_user.is_authenticated:
        comment_form = _comment_form(consultation, first_sections, section)
    page = queries.comments_page(consultation.id, page_number(), section_id=section_id, whole_draft=whole, total=total,
                                 viewer_id=current_user.id if current_user.is_authenticated else None,
                                 after=request.args.get("after"), before=request.args.get("before"))
    section_anchors = {s.id: anchor(key) for s, key in zip(first_sections, section_keys(first_sections))}
    answers = answers_of(page.items)
    can_comment = permissions.can_comment(current_user)
    if can_comment and reply_form is None:
        reply_form = ReplyForm()
    return render_template("consultations/comments.html", consultation=consultation, page=page, section=section,
                           answers=answers, whole=whole, shown=shown,
                           reply_form=reply_form if can_comment else None, can_comment=can_comment,
                           latest=latest, reply_for=reply_for, reply_text=reply_text,
                           reply_error=reply_error, section_anchors=section_anchors, form=comment_form,
                           action_error=action_error, reply_key=secrets.token_urlsafe(16) if reply_form else ""), status


@bp.route("/consultations/<int(max=2147483647):consultation_id>/comments")
def comments(consultation_id):
    consultation = _consultation_or_404(consultation_id)
    section_id = request.args.get("section", type=int)
    if section_id is not None and not 0 < section_id < 2**31:
        section_id = None
    return _render_comments(consultation, section_id, request.args.get("whole") == "1")


@bp.route("/consultations/<int(max=2147483647):consultation_id>/sections/<int(max=2147483647):section_id>")
def section(consultation_id, section_id):
    """One section of the draft: its text, the comment form with the section chosen, and the comments on it."""
    consultation = _consultation_or_404(consultation_id)
    if section_id not in {s.id for s in _first_sections(consultation)}:
        abort(404)
    return _render_comments(consultation, section_id)


@bp.post("/consultations/<int(max=2147483647):consultation_id>/comments/<int(max=2147483647):comment_id>/replies")
@login_required
@limiter.shared_limit(configured_limit("RATELIMIT_COMMENTS"), scope="comments", key_func=user_or_address)
def reply(consultation_id, comment_id):
    consultation = _consultation_or_404(consultation_id)
    parent = db.session.get(Comment, comment_id)
    if parent is None or parent.consultation_id != consultation.id or parent.parent_id is not None:
        abort(404)  # replies are to top-level comments only
    if not permissions.can_comment(current_user):
        abort(403)
    form = ReplyForm()
    text = form.text.data or ""
    if parent.is_hidden or parent.is_pending:  # only a public comment takes replies
        return _render_comments(consultation, parent.section_id, parent.section_id is None, 400, reply_form=form,
                                action_error=_("This comment is not public, so it cannot be replied to."))
    if (already := services.sent_comment(current_user, form.submission.data)) is not None:  # sent twice (a double click)
        flash(_("Your reply was already received as %(number)s.", number=already.number), "success")
        return redirect(_comment_location(already, current_user.id))
    if not form.validate_on_submit():
        return _render_comments(consultation, parent.section_id, parent.section_id is None, 400, parent.id, text,
                                " ".join([*map(str, form.text.errors), *map(str, form.form_errors)]) or _("Write your reply."),
                                reply_form=form)
    viewer_id = current_user.id  # read now: the commit below expires the account, and reading it again costs a query
    try:
        created = services.add_comment(consultation, current_user, text, parent=parent, submission_key=form.submission.data,
                                       key_unused=True)
    except services.ConsultationRefused as refused:  # e.g. the window closed while typing: the text stays
        return _render_comments(consultation, parent.section_id, parent.section_id is None, 400, parent.id, text, str(refused),
                                reply_form=form)
    flash(_("Your reply is published as %(number)s.", number=created.number), "success")
    return redirect(_comment_location(created, viewer_id))


# --- after the close -------------------------------------------------------------------------------------


def _summary_context(consultation, page: int = 1, whole: bool = False):
    """A page of the summary table (or all of it for printing), the answers on it, and how many comments
    still wait for a position. No row is read for someone the table is not shown to (before the close, or while
    comments still wait): the page then shows only why."""
    if not permissions.can_view_summary_table(current_user, consultation):
        return Page([], 1, queries.SUMMARY_PER_PAGE, 0), {}, consultation.positions_waiting
    rows = queries.summary_page(consultation.id, page, whole, total=consultation.comment_count)
    return rows, answers_of(rows.items), consultation.positions_waiting


def _render_summary(consultation, rows, answers, unanswered, may_record, forms, whole, status=200, saved=(), failed=(),
                    action_error=None):
    return render_template("consultations/summary.html", consultation=consultation, rows=rows, answers=answers,
                           unanswered=unanswered, may_record=may_record, forms=forms, whole=whole,
                           saved=saved, failed=failed, action_error=action_error), status


def _position_form(comment_id: int, formdata=True) -> PositionForm:
    """A row of the summary table's one form (the page's CSRF token is checked once, for the whole form)."""
    if formdata:
        return PositionForm(prefix=f"c{comment_id}", meta={"csrf": False})
    return PositionForm(prefix=f"c{comment_id}", formdata=None, meta={"csrf": False})


@bp.route("/consultations/<int(max=2147483647):consultation_id>/summary")
def summary(consultation_id):
    consultation = _consultation_or_404(consultation_id)
    whole = request.args.get("all") == "1"
    rows, answers, unanswered = _summary_context(consultation, page_number(), whole)
    may_record = permissions.can_record_positions(current_user, consultation)
    forms = {c.id: _position_form(c.id, formdata=False) for c in rows.items} if may_record and not whole else {}
    return _render_summary(consultation, rows, answers, unanswered, may_record, forms, whole)


@bp.post("/consultations/<int(max=2147483647):consultation_id>/positions")
@login_required
def positions(consultation_id):
    """The summary table's one form: every row of the page in which a position was chosen or a reason typed is saved;
    rows with a mistake are shown again with the message at the row and what was typed, the saved ones confirmed."""
    consultation = _consultation_or_404(consultation_id)
    if not permissions.can_record_positions(current_user, consultation):
        abort(403)
    return _save_positions(consultation)


@bp.post("/consultations/<int(max=2147483647):consultation_id>/comments/<int(max=2147483647):comment_id>/position")
@login_required
def position(consultation_id, comment_id):
    """The same as `positions`, addressed to one comment (older links and scripts)."""
    consultation = _consultation_or_404(consultation_id)
    if not permissions.can_record_positions(current_user, consultation):
        abort(403)
    comment_ = db.session.get(Comment, comment_id)
    if comment_ is None or comment_.consultation_id != consultation.id or comment_.parent_id is not None:
        abort(404)
    return _save_positions(consultation)


def _save_positions(consultation):
    page = page_number()
    rows, _answers, _unanswered = _summary_context(consultation, page)
    forms = {c.id: _position_form(c.id) for c in rows.items}
    saved, failed = [], []
    for c in rows.items:
        form = forms[c.id]
        if not form.is_filled():
            continue
        if not form.validate():
            failed.append(c.id)
            continue
        try:
            services.record_position(db.session.get(Comment, c.id), current_user, Position(form.position.data), form.reason.data)
        except services.ConsultationRefused as refused:
            form.form_errors.append(str(refused))
            failed.append(c.id)
        else:
            saved.append(c)
    if saved and not failed:
        numbers = ", ".join(c.number for c in saved)
        flash(ngettext("The position on %(numbers)s is recorded.", "The positions on %(numbers)s are recorded.", len(saved),
                       numbers=numbers), "success")
        return redirect(url_for("consultations.summary", consultation_id=consultation.id, page=page if page > 1 else None)
                        + f"#comment-{saved[-1].id}")
    rows, answers, unanswered = _summary_context(consultation, page)  # read again: the saved rows show their answers
    kept = {c.id: (forms[c.id] if c.id in failed else _position_form(c.id, formdata=False)) for c in rows.items}
    error = None if (saved or failed) else _("Choose a position and give the reason in at least one row.")
    return _render_summary(consultation, rows, answers, unanswered, True, kept, False, 400,
                           saved=[c.number for c in saved], failed=failed, action_error=error)


@bp.route("/consultations/<int(max=2147483647):consultation_id>/summary.csv")
def summary_csv(consultation_id):
    """Streamed: rows are fetched and written a batch at a time, so memory stays flat for any length."""
    consultation = _consultation_or_404(consultation_id)
    if not permissions.can_view_summary_table(current_user, consultation):
        abort(404)
    from participation.cases.forms import POSITION_LABELS

    header = [_("Number"), _("Section"), _("Submitter"), _("Comment"), _("Position"), _("Reason")]
    whole_draft = _("The whole draft")
    positions = {position: str(label) for position, label in POSITION_LABELS.items()}

    def generate():
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        yield "\ufeff" + out.getvalue()
        for batch in queries.summary_batches(consultation.id):
            answers = answers_of(batch)
            out.seek(0)
            out.truncate()
            for c in batch:
                answer = answers.get(c.case_id) if c.case_id else None
                position = positions[c.case.position] if c.case and c.case.position else ""
                if c.is_hidden and (position or answer):  # the answer may quote what was hidden (issue 14, item 7)
                    position = answer_text = _public_text(c)
                else:
                    answer_text = answer.text if answer else ""
                writer.writerow([_csv_safe(v) for v in [c.number, c.section.label if c.section else whole_draft, _submitter(c), _public_text(c),
                                 position, answer_text]])
            yield out.getvalue()

    return Response(stream_with_context(generate()), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=izzina-{consultation.id}.csv"})


def _public_text(comment_: Comment) -> str:
    """The CSV is public: a hidden comment is the moderator's notice, never its text."""
    if comment_.is_hidden:
        return _("Hidden by a moderator: %(reason)s", reason=hide_reason_label(comment_.hidden_reason))
    return comment_.text


def _csv_safe(value: str) -> str:
    """A spreadsheet must not run a cell as a formula (CSV injection)."""
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _same_name(a: str, b: str) -> bool:
    """Two names are the same whatever their case and spacing ("Jauniešu dome" and "jauniešu  Dome")."""
    return "".join(a.split()).casefold() == "".join(b.split()).casefold()


def _submitter(comment_: Comment) -> str:
    if not comment_.show_name:
        return _("Private person")
    from participation.groups.services import shown_name

    name = shown_name(comment_.group) if comment_.group else comment_.author.display_name
    if comment_.represents and not _same_name(comment_.represents, name):
        return f"{name} ({comment_.represents})"
    return name


def _comment_on_label(section_) -> str:
    """The action under a section: "Comment on point 3" (its number), or on its label where it has no number."""
    from participation.consultations.models import point_number

    if section_.number:
        return _("Comment on point %(number)s", number=point_number(section_.number))
    return _("Comment on %(label)s", label=section_.label)


bp.add_app_template_global(_submitter, "comment_submitter")
bp.add_app_template_global(_comment_on_label, "comment_on_label")


@bp.route("/consultations/<int(max=2147483647):consultation_id>/versions/new", methods=["GET", "POST"])
@login_required
def new_version(consultation_id):
    consultation = _consultation_or_404(consultation_id)
    _require_editor(consultation)
    form = VersionForm()
    error = None
    if form.validate_on_submit():
        try:
            version = services.publish_version(consultation, current_user, form.source.data, form.note.data or "")
        except services.ConsultationRefused as refused:
            error = str(refused)
        else:
            flash(_("Version %(n)d is published and the commenters are told.", n=version.number), "success")
            return redirect(url_for("consultations.changes", consultation_id=consultation.id, number=version.number))
    return render_template("consultations/version_form.html", consultation=consultation, form=form, action_error=error), 400 if (form.errors or error) else 200


@bp.route("/consultations/<int(max=2147483647):consultation_id>/versions/<int(max=1000):number>")
def version(consultation_id, number):
    consultation = _consultation_or_404(consultation_id)
    chosen = next((v for v in consultation.versions if v.number == number), None)
    if chosen is None:
        abort(404)
    return render_template("consultations/version.html", consultation=consultation, version=chosen,
                           sections=queries.version_sections(chosen.id))


@bp.route("/consultations/<int(max=2147483647):consultation_id>/changes/<int(max=1000):number>")
def changes(consultation_id, number):
    """Each section's changes from the previous version, and what became of each comment."""
    consultation = _consultation_or_404(consultation_id)
    versions = {v.number: v for v in consultation.versions}
    if number not in versions or number - 1 not in versions:
        abort(404)
    since = request.args.get("since", type=int)
    since = since if since in versions and since < number else number - 1
    old = queries.version_sections(versions[since].id)
    new = queries.version_sections(versions[number].id)
    old_keys, new_keys = section_keys(old), section_keys(new)
    new_by_key = dict(zip(new_keys, new))
    rows = []
    for section, key in zip(old, old_keys):
        after = new_by_key.get(key)
        text_after = after.text if after else ""
        rows.append({"key": key, "anchor": anchor(key), "label": section.label, "old_id": section.id,
                     "changed": has_changes(section.text, text_after), "removed": after is None,
                     "diff": word_diff(section.text, text_after)})
    added = [s for s, key in zip(new, new_keys) if key not in set(old_keys)]
    comments_by_section = {}
    for c in queries.summary_rows(consultation.id):
        comments_by_section.setdefault(c.section_id, []).append(c)
    # Comments were made on version 1; show each next to its section's key.
    first = queries.version_sections(versions[1].id)
    first_keys = dict(zip((s.id for s in first), section_keys(first)))
    comments_by_key = {}
    for section_id, items in comments_by_section.items():
        comments_by_key.setdefault(first_keys.get(section_id), []).extend(items)
    return render_template("consultations/changes.html", consultation=consultation, version=versions[number], rows=rows,
                           added=added, comments_by_key=comments_by_key, since=since)


# --- attachments and feeds -----------------------------------------------------------------------------


@bp.post("/consultations/<int(max=2147483647):consultation_id>/attachments")
@login_required
def upload(consultation_id):
    from participation.consultations.attachments import AttachmentRefused

    consultation = _consultation_or_404(consultation_id)
    _require_editor(consultation)
    form = AttachmentForm()
    if form.validate_on_submit():
        try:
            services.add_attachment(consultation, form.file.data.stream, form.file.data.filename or "")
        except AttachmentRefused as refused:
            flash(str(refused), "error")
        else:
            flash(_("The attachment is added."), "success")
    else:
        flash(_("Choose a file."), "error")
    return redirect(url_for("consultations.show", consultation_id=consultation.id) + "#attachments")


@bp.route("/consultations/attachments/<int(max=2147483647):attachment_id>")
def download(attachment_id):
    from participation.consultations.attachments import AttachmentRefused, open_attachment
    from participation.storage import file_storage

    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None:
        abort(404)
    _consultation_or_404(attachment.consultation_id)
    try:
        stream = open_attachment(file_storage(), attachment.stored_name)  # the server's folder or the object store
    except AttachmentRefused:
        abort(404)
    # Streamed from the storage. Download only, never shown in the browser: attachment, no type sniffing, and a
    # sandbox with nothing allowed should a browser render it anyway (issue 14, item 12).
    response = send_file(stream, mimetype=attachment.mime, as_attachment=True, download_name=attachment.original_name,
                         max_age=0)
    response.content_length = attachment.size
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _feed_entries(institution_id=None, upcoming=False):
    query = select(Consultation).where(Consultation.published_at.is_not(None))
    if upcoming:  # the calendar: closings from a month ago on, soonest first
        query = query.where(Consultation.closes_at >= utcnow() - timedelta(days=31)).order_by(Consultation.closes_at).limit(200)
    else:
        query = query.order_by(Consultation.published_at.desc()).limit(50)
    if institution_id:
        query = query.where(Consultation.institution_id == institution_id)
    entries = []
    for c in db.session.scalars(query.options(joinedload(Consultation.institution))):
        entries.append(SimpleNamespace(
            id=c.id, title=c.title, summary=c.summary, institution_name=c.institution.name,
            url=absolute_url("consultations.show", consultation_id=c.id),
            published_at=c.published_at, closes_at=c.closes_at,
        ))
    return entries


@bp.route("/consultations/feed.atom")
def feed():
    from participation.consultations.feeds import atom_feed

    # Every address in a feed comes from PUBLIC_BASE_URL, never from the Host header (issue 14, item 9).
    self_url = absolute_url("consultations.feed")
    body = atom_feed(_feed_entries(), self_url, _("New consultations"), self_url, absolute_url("consultations.index"), "lv")
    return Response(body, mimetype="application/atom+xml")


@bp.route("/institutions/<slug>/consultations.atom")
def institution_feed(slug):
    from participation.consultations.feeds import atom_feed

    institution = institution_by_slug(slug)
    if institution is None:
        abort(404)
    self_url = absolute_url("consultations.institution_feed", slug=institution.slug)
    body = atom_feed(_feed_entries(institution.id), self_url, _("Consultations: %(name)s", name=institution.name),
                     self_url, absolute_url("institutions.show", slug=institution.slug), "lv")
    return Response(body, mimetype="application/atom+xml")


@bp.route("/consultations/closing-dates.ics")
def calendar():
    from participation.consultations.feeds import closing_dates_calendar

    body = closing_dates_calendar(_feed_entries(upcoming=True), _("Consultation closing dates"), public_host())
    return Response(body, mimetype="text/calendar", headers={"Content-Disposition": "inline; filename=apspriesanas.ics"})
