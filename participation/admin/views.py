"""Platform administration: who is a moderator or a platform administrator."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from participation.accounts import services
from participation.accounts.models import User
from participation.accounts.permissions import is_platform_admin
from participation.admin import services as audit
from participation.admin.forms import PlatformRolesForm
from participation.urls import page_number
from participation.extensions import db
from participation.moderation import queries as moderation_queries
from participation.moderation import services as moderation_services
from participation.moderation.forms import NoteForm
from participation.moderation.services import ModerationRefused

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _only_platform_admins():
    if not is_platform_admin(current_user):
        abort(403)


@bp.route("/users")
def users():
    query = request.args.get("q", "")[:100]
    page = db.paginate(services.search_users(query), page=page_number(), per_page=20, error_out=False)
    audit.record_access(current_user, "users.list", [u.id for u in page.items], query)
    return render_template("admin/users.html", page=page, query=query, forms={u.id: PlatformRolesForm(obj=u, prefix=f"u{u.id}") for u in page.items})


@bp.post("/users/<int(max=2147483647):user_id>/roles")
def set_roles(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    form = PlatformRolesForm(prefix=f"u{user.id}")
    audit.record_access(current_user, "users.set_roles", [user.id])
    if form.validate_on_submit():
        if user.id == current_user.id and not form.is_admin.data:
            flash(_("You cannot take away your own administrator role."), "error")
        else:
            services.set_platform_roles(user, form.is_moderator.data, form.is_admin.data)
            flash(_("The roles of %(name)s are saved.", name=user.display_name), "success")
    return redirect(url_for("admin.users", q=request.args.get("q") or None))


# --- review of moderators' blocks (issue 14, item 6) ----------------------------------------------------------


@bp.route("/blocks")
def blocks():
    """Residents blocked by a moderator, for an administrator to lift the block or keep it."""
    page = moderation_queries.blocks_to_review(page_number())
    audit.record_access(current_user, "blocks.list", [entry.target_user_id for entry in page.items])
    return render_template("admin/blocks.html", page=page)


def _reviewed(user_id: int, action, done: str):
    target = db.session.get(User, user_id)
    if target is None:
        abort(404)
    audit.record_access(current_user, "blocks.review", [target.id])
    form = NoteForm()
    if not form.validate_on_submit():
        flash(_("The note is too long."), "error")
    else:
        try:
            action(target, current_user, form.note.data or "")
        except ModerationRefused as refused:
            flash(str(refused), "error")
        else:
            flash(done, "success")
    return redirect(url_for("admin.blocks"))


@bp.post("/blocks/<int(max=2147483647):user_id>/lift")
def lift_block(user_id):
    return _reviewed(user_id, moderation_services.unblock, _("The block is lifted."))


@bp.post("/blocks/<int(max=2147483647):user_id>/keep")
def keep_block(user_id):
    return _reviewed(user_id, moderation_services.keep_block, _("The block is kept."))


# --- confirming groups (issue 14, item 5) ---------------------------------------------------------------------


@bp.post("/groups/<slug>/verify")
def verify_group(slug):
    """A platform administrator confirms a group: its page and its contributions carry the mark (audit log: verify)."""
    from sqlalchemy import select

    from participation.groups.models import Group
    from participation.groups.services import verify_group as confirm

    group = db.session.scalars(select(Group).where(Group.slug == slug)).first()
    if group is None:
        abort(404)
    confirm(group, current_user)
    flash(_("The group is confirmed."), "success")
    return redirect(url_for("groups.show", slug=group.slug))


# --- the audit log of access to personal data (issue 18) ----------------------------------------------------


@bp.route("/audit")
def audit_log():
    """Every admin page that showed personal data, and every change made there: who, when, whose."""
    page = db.paginate(audit.audit_log(), page=page_number(), per_page=50, error_out=False)
    audit.record_access(current_user, "audit.view")  # reading the log is itself an access to admins' data
    return render_template("admin/audit.html", page=page, audit_actions=AUDIT_ACTIONS)


AUDIT_ACTIONS = {
    "users.list": _l("Looked at people (names, e-mail addresses)"),
    "users.set_roles": _l("Changed platform roles"),
    "blocks.list": _l("Looked at blocks to review"),
    "blocks.review": _l("Reviewed a block"),
    "audit.view": _l("Read this audit log"),
}
