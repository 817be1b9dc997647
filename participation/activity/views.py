"""My activity: the overview in tabs (plain sections without JavaScript) and each tab's full list."""
from flask import Blueprint, abort, render_template
from participation.i18n import lazy_gettext as _l
from flask_login import current_user, login_required

from participation.activity import permissions, queries
from participation.urls import page_number

bp = Blueprint("activity", __name__, url_prefix="/account/activity")


@bp.context_processor
def _labels():
    from participation.cocreation.forms import STATE_LABELS

    return {"amendment_state_labels": STATE_LABELS}

TAB_LABELS = {
    "comments": _l("Comments and replies"),
    "proposals": _l("Proposals"),
    "supports": _l("Supports"),
    "cocreation": _l("Co-creation"),
    "reports": _l("Reports"),
    "groups": _l("Groups"),
}


@bp.route("/")
@login_required
def overview():
    if not permissions.can_view_activity(current_user):
        abort(403)
    return render_template("activity/overview.html", counts=queries.counts(current_user.id),
                           tabs=queries.overview(current_user.id), tab_labels=TAB_LABELS)


@bp.route("/<any(comments, proposals, supports, cocreation, reports, groups):tab>")
@login_required
def tab(tab):
    if not permissions.can_view_activity(current_user):
        abort(403)
    counts = queries.counts(current_user.id)
    page = queries.tab_page(tab, current_user.id, page_number(), counts[tab])
    return render_template("activity/tab.html", tab=tab, page=page, counts=counts, tab_labels=TAB_LABELS)
