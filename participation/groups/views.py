from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from participation.i18n import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from participation.cases import queries as case_queries
from participation.urls import page_number
from participation.extensions import db, limiter
from participation.groups import permissions, services
from participation.groups.forms import KIND_LABELS, GroupForm
from participation.groups.models import Group, GroupKind, GroupMember
from participation.security import user_or_address

bp = Blueprint("groups", __name__, url_prefix="/groups")
bp.add_app_template_global(services.shown_name, "group_name")


def _group_or_404(slug: str) -> Group:
    group = db.session.scalars(select(Group).where(Group.slug == slug)).first()
    if group is None:
        abort(404)
    return group


@bp.route("/")
def index():
    page = db.paginate(select(Group).order_by(Group.name), page=page_number(), per_page=20, error_out=False)
    return render_template("groups/index.html", page=page, kind_labels=KIND_LABELS)


def _groups_limit() -> str:
    """Creating groups is rate limited (issue 14, item 5); RATELIMIT_GROUPS changes it."""
    from flask import current_app

    return current_app.config.get("RATELIMIT_GROUPS", "3 per hour;10 per day")


@bp.route("/new", methods=["GET", "POST"])
@login_required
@limiter.limit(_groups_limit, key_func=user_or_address, methods=["POST"])
def create():
    form = GroupForm()
    if not permissions.can_create_group(current_user):
        # Before typing, not after: the page says why (templates/macros/account.html's writing gate) and shows no form.
        return render_template("groups/form.html", form=form), 403 if request.method == "POST" else 200
    if form.validate_on_submit():
        try:
            group = services.create_group(current_user, form.name.data, GroupKind(form.kind.data), form.description.data or "")
        except services.GroupNameTaken as taken:
            form.name.errors = [str(taken)]
        else:
            flash(_("The group is created. You are its leader."), "success")
            return redirect(url_for("groups.show", slug=group.slug))
    return render_template("groups/form.html", form=form), 400 if form.errors else 200


@bp.route("/<slug>")
def show(slug):
    group = _group_or_404(slug)
    members = services.members(group)
    cases = case_queries.cases_raised_by_group(group.id, page_number())
    return render_template(
        "groups/show.html",
        group=group,
        members=members,
        cases=cases,
        answers=case_queries.latest_answers([case.id for case in cases.items]),
        kind_labels=KIND_LABELS,
        my_membership=services.membership_of(group, current_user),
        can_manage=permissions.can_manage_members(current_user, group),
        can_verify=permissions.can_verify_group(current_user, group),
    )


@bp.post("/<slug>/join")
@login_required
def join(slug):
    group = _group_or_404(slug)
    if not permissions.can_join_group(current_user, group):
        abort(403)
    try:
        services.request_membership(group, current_user)
    except services.AlreadyMember:
        flash(_("You have already asked to join this group."), "info")
    else:
        flash(_("Your request is sent. The leader of the group will approve it."), "success")
    return redirect(url_for("groups.show", slug=slug))


def _member_or_404(group: Group, member_id: int) -> GroupMember:
    member = db.session.get(GroupMember, member_id)
    if member is None or member.group_id != group.id:
        abort(404)
    return member


@bp.post("/<slug>/members/<int(max=2147483647):member_id>/approve")
@login_required
def approve(slug, member_id):
    group = _group_or_404(slug)
    if not permissions.can_manage_members(current_user, group):
        abort(403)
    member = _member_or_404(group, member_id)
    services.approve_member(member)
    flash(_("%(name)s is now a member.", name=member.user.display_name), "success")
    return redirect(url_for("groups.show", slug=slug))


@bp.post("/<slug>/members/<int(max=2147483647):member_id>/remove")
@login_required
def remove(slug, member_id):
    group = _group_or_404(slug)
    member = _member_or_404(group, member_id)
    if member.user_id != current_user.id and not permissions.can_manage_members(current_user, group):
        abort(403)
    try:
        services.remove_member(member)
    except services.LeaderCannotLeave:
        flash(_("The leader cannot leave the group."), "error")
    else:
        flash(_("The membership has ended."), "success")
    return redirect(url_for("groups.show", slug=slug))
