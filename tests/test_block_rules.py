"""Issue 14, item 6: moderators block residents only; only platform administrators block staff (anyone with an
institution membership), moderators or administrators; an administrator reviews a moderator's block of a resident
(lift it or keep it, both in the audit log)."""
import pytest
from sqlalchemy import select

from participation.extensions import db
from participation.moderation import services
from participation.moderation.models import ActionKind, HideReason, ModerationAction

BLOCK = {"days": "7", "reason": "abuse"}


@pytest.fixture
def people(make_user, make_staff, make_institution):
    institution = make_institution()
    return {
        "resident": make_user(name="Iedzīvotāja"),
        "staff": make_staff(institution, name="Iestādes darbiniece"),
        "moderator": make_user(name="Cita moderatore", is_moderator=True),
        "admin": make_user(name="Cits administrators", is_admin=True),
    }


# actor -> the targets it may block (and unblock)
ALLOWED = {
    "moderator": {"resident"},
    "admin": {"resident", "staff", "moderator", "admin"},
}


@pytest.mark.parametrize("actor", ["moderator", "admin"])
@pytest.mark.parametrize("target", ["resident", "staff", "moderator", "admin"])
def test_who_may_block_whom(client, login, make_user, people, actor, target):
    login(make_user(name="Darītājs", **{f"is_{actor}": True}))
    victim = people[target]
    allowed = target in ALLOWED[actor]
    response = client.post(f"/moderation/users/{victim.id}/block", data=BLOCK)
    assert response.status_code == (302 if allowed else 403)
    db.session.refresh(victim)
    assert victim.is_blocked() is allowed
    if not allowed:  # nor can a block made by someone else be undone by who may not make it
        services.block(victim, people["admin"], 7, HideReason.ABUSE)
    assert client.post(f"/moderation/users/{victim.id}/unblock", data={}).status_code == (302 if allowed else 403)
    db.session.refresh(victim)
    assert victim.is_blocked() is not allowed


def test_the_item_page_offers_no_block_form_for_staff_to_a_moderator(client, login, make_user, make_staff, make_institution,
                                                                       make_proposal):
    staff = make_staff(make_institution(), name="Darbinieks")
    proposal = make_proposal(author=staff)
    login(make_user(name="Moderators", is_moderator=True))
    page = client.get(f"/moderation/item/proposal/{proposal.id}").get_data(as_text=True)
    assert f"/moderation/users/{staff.id}/block" not in page


def _review_page(client):
    response = client.get("/admin/blocks")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_an_administrator_reviews_a_moderators_block_and_keeps_it(client, login, people, make_user):
    resident, moderator, admin = people["resident"], people["moderator"], people["admin"]
    services.block(resident, moderator, 30, HideReason.SPAM, "reklāma trīs reizes")
    login(admin)
    page = _review_page(client)
    assert resident.display_name in page and moderator.display_name in page and "reklāma trīs reizes" in page
    assert client.post(f"/admin/blocks/{resident.id}/keep").status_code == 302
    assert resident.display_name not in _review_page(client)
    db.session.refresh(resident)
    assert resident.is_blocked()
    kept = db.session.scalars(select(ModerationAction).where(ModerationAction.action == ActionKind.BLOCK_KEPT)).one()
    assert kept.moderator_id == admin.id and kept.target_user_id == resident.id and not kept.is_public
    audit = client.get("/moderation/audit").get_data(as_text=True)
    assert ("Bloķējums pārskatīts un atstāts spēkā" in audit) or ("Block reviewed and kept" in audit)
    services.block(resident, moderator, 30, HideReason.SPAM)  # a new block by a moderator comes back for review
    assert resident.display_name in _review_page(client)


def test_an_administrator_lifts_a_moderators_block(client, login, people):
    resident, moderator, admin = people["resident"], people["moderator"], people["admin"]
    services.block(resident, moderator, 0, HideReason.ABUSE)
    login(admin)
    assert client.post(f"/admin/blocks/{resident.id}/lift").status_code == 302
    db.session.refresh(resident)
    assert not resident.is_blocked()
    assert resident.display_name not in _review_page(client)
    last = db.session.scalars(select(ModerationAction).order_by(ModerationAction.id.desc())).first()
    assert (last.action, last.moderator_id, last.target_user_id) == (ActionKind.UNBLOCK, admin.id, resident.id)


def test_an_administrators_own_blocks_and_ended_blocks_are_not_listed(client, login, people, make_user):
    from datetime import timedelta

    from participation.clock import utcnow

    by_admin, ended = people["staff"], make_user(name="Beidzies bloķējums")
    services.block(by_admin, people["admin"], 7, HideReason.ABUSE)
    services.block(ended, people["moderator"], 1, HideReason.ABUSE)
    login(people["admin"])
    assert ended.display_name in _review_page(client) and by_admin.display_name not in _review_page(client)
    ended.blocked_until = utcnow() - timedelta(minutes=1)  # the day has passed
    db.session.commit()
    assert ended.display_name not in _review_page(client)


@pytest.mark.parametrize("role", ["resident", "moderator"])
def test_only_administrators_review_blocks(client, login, people, role):
    services.block(people["resident"], people["moderator"], 7, HideReason.ABUSE)
    login(people[role] if role == "moderator" else people["staff"])
    assert client.get("/admin/blocks").status_code == 403
    assert client.post(f"/admin/blocks/{people['resident'].id}/lift").status_code == 403
    assert client.post(f"/admin/blocks/{people['resident'].id}/keep").status_code == 403
    db.session.refresh(people["resident"])
    assert people["resident"].is_blocked()
