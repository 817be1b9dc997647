"""Platform administration: who is a moderator or a platform administrator."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from participation.i18n import gettext as _
from participation.i18n import lazy_gettext as _l
from flask_login import current_user, login_required

from participation.accounts import services
from participation.accounts.models import User
from participation.accounts.permissions import is_platform_admin
from participation.admin import services as audit
from participation.admin.forms import DataRequestForm, DeletePersonForm, PlatformRolesForm
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
    "person.view": _l("Opened a person's data requests"),
    "person.export": _l("Downloaded a person's data at their request"),
    "person.delete": _l("Deleted an account at the person's request"),
}


# --- a person's requests about their data, received outside the platform (issue 18) -------------------------


def _person_or_404(user_id: int) -> User:
    person = db.session.get(User, user_id)
    if person is None or person.is_deleted:
        abort(404)
    return person


def _person_page(person: User, export_form=None, delete_form=None, status: int = 200):
    return render_template("admin/person.html", person=person, export_form=export_form or DataRequestForm(prefix="export"),
                           delete_form=delete_form or DeletePersonForm(prefix="delete")), status


@bp.route("/users/<int(max=2147483647):user_id>")
def person(user_id):
    """Where an administrator answers a request that came by letter: a copy of the data, or the deletion."""
    target = _person_or_404(user_id)
    audit.record_access(current_user, "person.view", [target.id])
    return _person_page(target)


@bp.post("/users/<int(max=2147483647):user_id>/data")
def export_person(user_id):
    from flask import Response

    from participation.accounts.export import build_zip

    target = _person_or_404(user_id)
    form = DataRequestForm(prefix="export")
    if not form.validate_on_submit():
        return _person_page(target, export_form=form, status=400)
    audit.record_access(current_user, "person.export", [target.id], form.reference.data)
    response = Response(build_zip(target), mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="lidzdaliba-dati-{target.id}.zip"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/users/<int(max=2147483647):user_id>/delete")
def delete_person(user_id):
    target = _person_or_404(user_id)
    form = DeletePersonForm(prefix="delete")
    if target.id == current_user.id:
        form.form_errors.append(_("Delete your own account from your profile."))
        return _person_page(target, delete_form=form, status=400)
    if not form.validate_on_submit():
        return _person_page(target, delete_form=form, status=400)
    audit.record_access(current_user, "person.delete", [target.id], form.reference.data)
    services.delete_account(target)
    flash(_("The account is deleted."), "success")
    return redirect(url_for("admin.users"))
