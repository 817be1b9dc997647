"""Groups: members ask to join, the leader approves; channels ask can_act_for_group."""
from participation.cases.models import Channel
from sqlalchemy import select

from participation.extensions import db
from participation.groups.models import Group, GroupMember, MemberStatus
from participation.groups.permissions import can_act_for_group, can_manage_members
from participation.groups.services import groups_user_can_act_for


def test_join_approve_and_act_for_the_group(client, login, make_group, make_user):
    group = make_group()
    member = make_user(name="Roberts Zariņš")
    assert not can_act_for_group(member, group)
    login(member)
    assert client.post(f"/groups/{group.slug}/join").status_code == 302
    pending = GroupMember.query.filter_by(group_id=group.id, user_id=member.id).one()
    assert pending.status == MemberStatus.PENDING
    assert not can_act_for_group(member, group)
    # A member cannot approve themselves.
    assert client.post(f"/groups/{group.slug}/members/{pending.id}/approve").status_code == 403
    client.post("/account/logout")
    login(group.leader)
    assert "Roberts Zariņš" in client.get(f"/groups/{group.slug}").get_data(as_text=True)
    assert client.post(f"/groups/{group.slug}/members/{pending.id}/approve").status_code == 302
    assert can_act_for_group(member, group)
    assert group in groups_user_can_act_for(member)


def test_leader_may_act_and_manage_strangers_may_not(make_group, make_user):
    group = make_group()
    stranger = make_user()
    assert can_act_for_group(group.leader, group) and can_manage_members(group.leader, group)
    assert not can_act_for_group(stranger, group) and not can_manage_members(stranger, group)


def test_creating_a_group_needs_a_verified_address(client, login, make_user):
    login(make_user(verified=False))
    assert client.post("/groups/new", data={"name": "NVO", "kind": "ngo"}).status_code == 403
    assert db.session.scalars(select(Group)).first() is None
    client.post("/account/logout")
    login(make_user())
    response = client.post("/groups/new", data={"name": "Latgales NVO", "kind": "ngo", "description": "Par Latgali"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/groups/latgales-nvo")


def test_group_page_lists_what_the_group_sent(client, make_group, make_case, make_user):
    group = make_group()
    make_case(title="Skeitparks Maltā", raised_by=group.leader, raised_by_group=group)
    make_case(title="Privāts lūgums", raised_by=group.leader, raised_by_group=group, is_private=True)
    page = client.get(f"/groups/{group.slug}").get_data(as_text=True)
    assert "Skeitparks Maltā" in page and "Privāts lūgums" not in page


def test_leader_cannot_leave(client, login, make_group):
    group = make_group()
    login(group.leader)
    leader_row = GroupMember.query.filter_by(group_id=group.id, user_id=group.leader_id).one()
    client.post(f"/groups/{group.slug}/members/{leader_row.id}/remove")
    assert GroupMember.query.filter_by(id=leader_row.id).count() == 1


def test_only_an_approved_member_can_open_a_case_for_the_group(make_group, make_user, make_institution):
    import pytest

    from participation.cases import services

    group = make_group()
    outsider = make_user()
    with pytest.raises(services.CaseActionRefused):
        services.open_case(make_institution(), Channel.PROPOSAL, "Svešā vārdā", raised_by=outsider, raised_by_group=group)
    case = services.open_case(make_institution(), Channel.PROPOSAL, "Savā vārdā", raised_by=group.leader, raised_by_group=group)
    assert case.raised_by_group_id == group.id
