"""Follow and unfollow buttons, the notification settings, and the one-click unsubscribe link of every e-mail.

The unsubscribe URL carries its own signature (one follow, one digest or one kind of e-mail of one person) and needs
no session: a mail client POSTs to it (RFC 8058 `List-Unsubscribe-Post: List-Unsubscribe=One-Click`), so it is exempt
from the session's CSRF token. It stops only what it names; GET shows a page with a button and changes nothing."""
import click
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from participation.i18n import gettext as _
from flask_login import current_user, login_required

from participation.extensions import csrf
from participation.follows import permissions, services, subjects
from participation.follows.forms import PreferencesForm
from participation.follows.models import Event, Frequency
from participation.urls import page_number, safe_next

bp = Blueprint("follows", __name__)


def _subject_from_form():
    kind = request.form.get("subject", "")
    subject_id = request.form.get("subject_id", "")
    if kind not in subjects.SUBJECTS or not subject_id.isdigit():
        abort(400)
    item = subjects.load(kind, int(subject_id))
    if item is None:
        abort(404)
    return kind, item


def _back(kind, item):
    return redirect(safe_next(request.form.get("next")) or subjects.url_of(kind, item))


@bp.route("/follows/follow", methods=["POST"])
@login_required
def follow():
    kind, item = _subject_from_form()
    if not subjects.is_public(kind, item):
        abort(404)
    if not permissions.can_follow(current_user, kind, item):
        abort(403)
    services.follow(current_user, kind, item.id)
    flash(_("You follow \"%(title)s\". Choose how you hear about it in your notification settings.",
            title=subjects.title_of(kind, item)), "success")
    return _back(kind, item)


@bp.route("/follows/unfollow", methods=["POST"])
@login_required
def unfollow():
    kind, item = _subject_from_form()
    if services.unfollow_subject(current_user, kind, item.id):
        title = subjects.title_of(kind, item) if subjects.is_public(kind, item) else None
        flash(_("You no longer follow \"%(title)s\".", title=title) if title else _("You no longer follow it."), "success")
    return _back(kind, item)


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def settings():
    if not permissions.can_manage_follows(current_user):
        abort(403)
    chosen = services.preferences_of(current_user.id)
    form = PreferencesForm(data={event.value: chosen[event].value for event in Event})
    if not permissions.sees_cases_due(current_user):
        del form.cases_due
    if form.validate_on_submit():
        services.set_preferences(current_user, {event: Frequency(form[event.value].data) for event in form.events()})
        flash(_("Your notification settings are saved."), "success")
        return redirect(url_for("follows.settings"))
    page, rows = services.follows_page(current_user, page_number())
    return render_template("follows/settings.html", form=form, page=page, rows=rows,
                           reason_labels=services.REASON_LABELS), 400 if form.errors else 200


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token):
    unsubscription = services.read_unsubscribe_token(token)
    described = services.describe_unsubscription(unsubscription) if unsubscription else None
    if described is None:
        return render_template("follows/unsubscribe.html", invalid=True), 404
    if request.method == "POST":
        services.apply_unsubscription(unsubscription)
        described = services.describe_unsubscription(unsubscription)
        return render_template("follows/unsubscribe.html", done=True, unsubscription=unsubscription, described=described,
                               event_labels=services.EVENT_LABELS, frequency_labels=services.FREQUENCY_LABELS)
    return render_template("follows/unsubscribe.html", unsubscription=unsubscription, described=described,
                           event_labels=services.EVENT_LABELS, frequency_labels=services.FREQUENCY_LABELS)


def follow_state(kind: str, subject_id: int):
    """For the Follow button: None for a visitor, else whether the person follows it (one query)."""
    if not getattr(current_user, "is_authenticated", False):
        return None
    return services.is_following(current_user, kind, subject_id)


@bp.cli.command("sweep")
def sweep_command():
    """Tell followers about consultations closing soon and consultations whose every comment is answered."""
    from participation.follows import digests

    click.echo(f"closing soon: {digests.sweep_closing_soon()}, answered: {digests.sweep_answered_consultations()}")


@bp.cli.command("digests")
@click.argument("kind", type=click.Choice(["daily", "weekly", "deadlines"]))
def digests_command(kind):
    """Send the daily or weekly digests, or staff's digest of cases nearing their deadline."""
    from participation.follows import digests

    sent = digests.send_deadline_digests() if kind == "deadlines" else digests.send_digests(Frequency(kind))
    click.echo(f"{sent} e-mails queued")
