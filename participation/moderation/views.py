"""Moderation routes: reporting and asking for review (residents), the queue, actions on an item and blocking
(moderators), the public moderation log and the internal audit log."""
from urllib.parse import urlsplit, urlunsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from participation.i18n import gettext as _
from flask_login import current_user, login_required

from participation.accounts.models import User
from participation.accounts.permissions import can_write
from participation.extensions import db, limiter
from participation.moderation import permissions, queries, services
from participation.moderation.forms import BlockForm, HideForm, NoteForm, ReportForm, ReviewForm
from participation.moderation.models import HideReason, ReportReason
from participation.security import configured_limit, log_permission_refused, user_or_address
from participation.urls import page_number, safe_next

bp = Blueprint("moderation", __name__, url_prefix="/moderation")

# What a blocked account may still post: its session, its password, and an appeal against a hidden contribution.
ALLOWED_WHEN_BLOCKED = {"accounts.login", "accounts.logout", "accounts.request_reset", "accounts.reset_password",
                        "moderation.review"}


@bp.before_app_request
def _blocked_accounts_read_only():
    """A blocked account can read but not write: every other POST is refused with a clear page."""
    if request.method != "POST" or not getattr(current_user, "is_authenticated", False) or can_write(current_user):
        return None
    if request.endpoint in ALLOWED_WHEN_BLOCKED:
        return None
    log_permission_refused()
    return render_template("moderation/blocked.html", user=current_user), 403


@bp.app_template_filter("local_url")
def local_url(url: str) -> str:
    """A channel's link to an item as a path on this site (the channels describe items with the absolute address
    used in e-mail): pages and redirects link relatively, whatever address the site is reached at. Anything that is
    not a local path after that (never expected) falls back to the home page."""
    parts = urlsplit(url or "")
    return safe_next(urlunsplit(("", "", parts.path, parts.query, parts.fragment))) or url_for("main.home")


def _item_or_404(kind: str, item_id: int):
    item = services.get_item(kind, item_id)
    if item is None:
        abort(404)
    return item


def _carry_out(action, success: str) -> None:
    """Run one moderation service call; flash its refusal, or the success message."""
    try:
        action()
    except services.ModerationRefused as refused:
        flash(str(refused), "error")
    else:
        flash(success, "success")


def _moderator_only():
    if not permissions.can_moderate(current_user):
        abort(403)


# --- residents -------------------------------------------------------------------------------------------


@bp.route("/report/<kind>/<int:item_id>", methods=["GET", "POST"])
@login_required
@limiter.limit(configured_limit("RATELIMIT_REPORTS"), methods=["POST"], key_func=user_or_address)
def report(kind, item_id):
    item = _item_or_404(kind, item_id)
    view = services.describe(item)
    back = local_url(view.url)
    refusal = _report_refusal(item)
    if refusal is not None:
        log_permission_refused()
        return render_template("moderation/report.html", view=view, back=back, form=None, refusal=refusal), 403
    form = ReportForm()
    if permissions.can_report(current_user, item) and form.validate_on_submit():
        services.report(item, current_user, ReportReason(form.reason.data), form.text.data or "")
        flash(_("Thank you. A moderator will look at it."), "success")
        return redirect(back)
    # A blocked account reads the page with the reason it cannot send it, before any form (templates/macros/account.html).
    return render_template("moderation/report.html", view=view, back=back, form=form, refusal=None), 400 if form.errors else 200


def _report_refusal(item) -> str | None:
    """Why this item cannot be reported by anyone signed in, in plain words (a blocked account is told by the page's
    writing gate instead), or None."""
    if permissions.is_author(current_user, item):
        return _("You cannot report your own contribution. If it should not be shown, ask the moderators through the contact page.")
    if item.is_hidden:
        return _("A moderator has already hidden this contribution, so it cannot be reported.")
    if item.is_pending:
        return _("This contribution is waiting for a moderator, so it cannot be reported.")
    return None


@bp.route("/review/<kind>/<int:item_id>", methods=["GET", "POST"])
@login_required
def review(kind, item_id):
    """The author of a hidden contribution reads it with the reason, and may ask for a review."""
    item = _item_or_404(kind, item_id)
    if not permissions.is_author(current_user, item):
        abort(403)
    view = services.describe(item)
    form = ReviewForm()
    error = None
    if permissions.can_request_review(current_user, item) and form.validate_on_submit():
        try:
            services.request_review(item, current_user, form.text.data)
        except services.ModerationRefused as refused:
            error = str(refused)
        else:
            flash(_("Your request is sent. A moderator will look at the contribution again."), "success")
            return redirect(url_for("moderation.review", kind=kind, item_id=item_id))
    status = 400 if (form.errors or error) else 200
    return render_template("moderation/review.html", view=view, item=item, form=form, error=error,
                           can_request=permissions.can_request_review(current_user, item)), status


@bp.route("/log")
def public_log():
    return render_template("moderation/log.html", page=queries.public_log(page_number()))


# --- moderators ------------------------------------------------------------------------------------------


@bp.route("/")
@login_required
def queue():
    _moderator_only()
    return render_template(
        "moderation/queue.html",
        reported=queries.reported(page_number()),
        pending=queries.pending(page_number("pending_page")),
    )


@bp.route("/audit")
@login_required
def audit_log():
    if not permissions.can_view_audit_log(current_user):
        abort(403)
    return render_template("moderation/audit.html", page=queries.audit_log(page_number()))


@bp.route("/item/<kind>/<int:item_id>")
@login_required
def item(kind, item_id):
    _moderator_only()
    target = _item_or_404(kind, item_id)
    return _item_page(target)


def _item_page(target, hide_form=None, block_form=None, status=200):
    view = services.describe(target)
    author = view.author
    return render_template(
        "moderation/item.html", view=view, item=target, reports=services.open_reports(target),
        history=queries.history(target), hide_form=hide_form or HideForm(), note_form=NoteForm(),
        block_form=block_form or BlockForm(), author=author, can_block=permissions.can_block(current_user, author),
    ), status


ACTIONS = {
    "restore": services.restore,
    "approve": services.approve,
    "dismiss": services.dismiss,
    "highlight": lambda item, moderator, note: services.set_highlight(item, moderator, True, note),
    "unhighlight": lambda item, moderator, note: services.set_highlight(item, moderator, False, note),
    "off-topic": lambda item, moderator, note: services.set_off_topic(item, moderator, True, note),
    "on-topic": lambda item, moderator, note: services.set_off_topic(item, moderator, False, note),
}


@bp.post("/item/<kind>/<int:item_id>/hide")
@login_required
def hide(kind, item_id):
    _moderator_only()
    target = _item_or_404(kind, item_id)
    form = HideForm()
    if not form.validate_on_submit():
        return _item_page(target, hide_form=form, status=400)
    _carry_out(lambda: services.hide(target, current_user, HideReason(form.reason.data), form.note.data or ""),
               _("Hidden. The author is told by e-mail."))
    return redirect(url_for("moderation.item", kind=kind, item_id=item_id))


@bp.post("/item/<kind>/<int:item_id>/<action>")
@login_required
def act(kind, item_id, action):
    _moderator_only()
    target = _item_or_404(kind, item_id)
    if action not in ACTIONS:
        abort(404)
    form = NoteForm()
    if not form.validate_on_submit():
        flash(_("The note is too long."), "error")
        return redirect(url_for("moderation.item", kind=kind, item_id=item_id))
    _carry_out(lambda: ACTIONS[action](target, current_user, form.note.data or ""), _("Done."))
    return redirect(url_for("moderation.item", kind=kind, item_id=item_id))


@bp.post("/users/<int(max=2147483647):user_id>/block")
@login_required
def block(user_id):
    target = db.session.get(User, user_id) or abort(404)
    if not permissions.can_block(current_user, target):
        abort(403)
    form = BlockForm()
    back = request.form.get("back_kind"), request.form.get("back_id", type=int)
    if not form.validate_on_submit():
        came_from = services.get_item(*back) if all(back) else None
        if came_from is not None:  # shown again with the errors and what was typed
            return _item_page(came_from, block_form=form, status=400)
        flash(_("Choose how long the block lasts."), "error")
        return _back(back)
    _carry_out(lambda: services.block(target, current_user, int(form.days.data), HideReason(form.reason.data),
                                      form.note.data or ""), _("The account is blocked."))
    return _back(back)


@bp.post("/users/<int(max=2147483647):user_id>/unblock")
@login_required
def unblock(user_id):
    target = db.session.get(User, user_id) or abort(404)
    if not permissions.can_block(current_user, target):
        abort(403)
    form = NoteForm()
    if form.validate_on_submit():
        _carry_out(lambda: services.unblock(target, current_user, form.note.data or ""), _("The account is unblocked."))
    return _back((request.form.get("back_kind"), request.form.get("back_id", type=int)))


def _back(back):
    kind, item_id = back
    if kind and item_id and services.get_item(kind, item_id) is not None:
        return redirect(url_for("moderation.item", kind=kind, item_id=item_id))
    return redirect(url_for("moderation.queue"))
