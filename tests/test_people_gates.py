"""Before typing, not after: the group forms and the report form are shown only to someone who may send them; a
blocked account reads until when and why, an unverified one how to confirm its address, before any form."""
import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from participation.extensions import db
from participation.groups.models import Group, GroupMember
from participation.moderation import services as moderation
from participation.moderation.models import HideReason


@pytest.fixture
def moderator(make_user):
    return make_user("Moderatore", is_moderator=True)


def _text(app, message, **values):
    with app.test_request_context("/"), force_locale("lv"):
        return gettext(message, **values)


def _main(page: str) -> str:
    return page[page.index("<main"):page.index("</main>")]


def test_an_unverified_account_sees_how_to_confirm_and_no_group_form(app, client, login, make_user):
    login(make_user(verified=False))
    response = client.get("/groups/new")
    page = _main(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "govuk-warning-text" in page
    assert 'action="/account/verify/resend"' in page  # "send a new confirmation link", right there
    assert 'name="name"' not in page and 'name="description"' not in page
    assert client.post("/groups/new", data={"name": "NVO", "kind": "ngo"}).status_code == 403
    assert db.session.scalar(select(func.count(Group.id))) == 0


def test_a_blocked_account_sees_why_and_no_group_form(app, client, login, make_user, moderator):
    resident = make_user("Bloķētais")
    moderation.block(resident, moderator, 7, HideReason.ABUSE)
    login(resident)
    page = _main(client.get("/groups/new").get_data(as_text=True))
    assert "govuk-warning-text" in page and 'name="name"' not in page
    assert "plkst." in page  # until when, with the time
    assert 'href="/about/terms"' in page


def test_a_verified_account_gets_the_group_form(client, login, make_user):
    login(make_user())
    page = _main(client.get("/groups/new").get_data(as_text=True))
    assert 'name="name"' in page and "govuk-warning-text" not in page


def test_joining_a_group_is_behind_the_gate(app, client, login, make_user, make_group, moderator):
    group = make_group()
    # anonymous: a log-in link that comes back here, no button
    page = _main(client.get(f"/groups/{group.slug}").get_data(as_text=True))
    assert f"/account/login?next=/groups/{group.slug}" in page and f'action="/groups/{group.slug}/join"' not in page
    # blocked: told why, no button
    resident = make_user("Bloķētā")
    moderation.block(resident, moderator, 0, HideReason.SPAM)
    login(resident)
    page = _main(client.get(f"/groups/{group.slug}").get_data(as_text=True))
    assert "govuk-warning-text" in page and f'action="/groups/{group.slug}/join"' not in page
    client.post("/account/logout")
    # an unverified account may ask to join (the leader decides)
    newcomer = make_user("Jaunā", verified=False)
    login(newcomer)
    page = _main(client.get(f"/groups/{group.slug}").get_data(as_text=True))
    assert f'action="/groups/{group.slug}/join"' in page
    assert client.post(f"/groups/{group.slug}/join").status_code == 302
    assert db.session.scalar(select(func.count(GroupMember.id)).where(GroupMember.user_id == newcomer.id)) == 1


def test_the_group_page_members_table_reflows(client, login, make_group, make_user):
    group = make_group()
    page = _main(client.get(f"/groups/{group.slug}").get_data(as_text=True))
    assert 'class="govuk-table app-table-stack"' in page
    members = page[page.index('id="members-title"'):]
    assert group.leader.display_name in members and 'data-label="' in members


def test_a_new_confirmation_link_brings_the_person_back_to_the_page(client, login, make_user):
    login(make_user(verified=False))
    response = client.post("/account/verify/resend", headers={"Referer": "http://localhost/groups/new"})
    assert response.status_code == 302 and response.headers["Location"] == "/groups/new"
    elsewhere = client.post("/account/verify/resend", headers={"Referer": "https://evil.example/groups/new"})
    assert elsewhere.headers["Location"] == "/account/profile"
    without = client.post("/account/verify/resend")
    assert without.headers["Location"] == "/account/profile"


def test_the_profile_of_a_blocked_account_says_until_when(app, client, login, make_user, moderator):
    from participation.accounts.models import User
    from participation.dates import format_moment

    resident = make_user("Bloķētā")
    moderation.block(resident, moderator, 30, HideReason.ABUSE)
    login(resident)
    page = _main(client.get("/account/profile").get_data(as_text=True))
    with app.test_request_context("/"), force_locale("lv"):
        until = format_moment(db.session.get(User, resident.id).blocked_until, "dative")  # after "līdz"
    assert "govuk-warning-text" in page and until in page
