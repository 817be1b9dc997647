"""Issue 14, item 5: nobody impersonates a youth council. Group names are unique ignoring case and diacritics; creating
a group carries the human check and is rate limited; groups are reported and hidden through the shared moderation;
a platform administrator confirms a group and its contributions carry the mark."""
import pytest
from sqlalchemy import func, select

from participation import create_app
from participation.extensions import db
from participation.groups import permissions, services
from participation.groups.models import Group, GroupKind, name_key
from participation.moderation.models import ActionKind, ModerationAction, Report

ORIGINAL = "Rēzeknes novada jauniešu dome"


def lv(text: str, **values) -> str:
    """The page's words in Latvian, as the catalogue has them (the lead merges the new ones)."""
    from flask import current_app
    from flask_babel import force_locale, gettext

    with current_app.test_request_context("/"), force_locale("lv"):
        return gettext(text, **values)


def _create(client, name, **extra):
    return client.post("/groups/new", data={"name": name, "kind": "youth_council", "description": "", **extra})


def _groups() -> int:
    return db.session.scalar(select(func.count(Group.id)))


@pytest.mark.parametrize("copy", ["rezeknes novada jauniesu dome", "REZEKNES NOVADA JAUNIEŠU DOME", "  Rēzeknes  novada jauniešu   dome ",
                                  "Re\u0304zeknes novada jaunies\u030cu dome"])  # combining marks typed separately
def test_a_name_that_reads_the_same_is_refused(client, login, make_user, copy):
    services.create_group(make_user(name="Īstā vadītāja"), ORIGINAL, GroupKind.YOUTH_COUNCIL)
    login(make_user(name="Uzdevējs"))
    before = _groups()
    response = _create(client, copy)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "govuk-error-summary" in page and lv("A group with this name already exists. If it is yours, ask its leader to add you as a member.") in page
    assert _groups() == before
    assert _create(client, "Rēzeknes novada senioru padome").status_code == 302  # another name is taken at once


def test_the_database_refuses_a_second_key_too(make_user):
    services.create_group(make_user(), ORIGINAL, GroupKind.YOUTH_COUNCIL)
    assert name_key("Rēzeknes Novada Jauniešu Dome") == name_key(ORIGINAL) == "rezeknes novada jauniesu dome"
    with pytest.raises(services.GroupNameTaken):
        services.create_group(make_user(name="Cits"), "rēzeknes novada JAUNIEŠU dome", GroupKind.NGO)


def test_creating_a_group_carries_the_human_check(client, login, make_user):
    login(make_user())
    response = _create(client, "Biedrība Zaļā Rēzekne", website="http://spam.example")  # the honeypot a program fills
    assert response.status_code == 400 and _groups() == 0


@pytest.fixture
def limited_app(rate_limited_app):
    return rate_limited_app(RATELIMIT_GROUPS="2 per minute")


def test_creating_groups_is_rate_limited(limited_app):
    from participation.accounts.models import User
    from participation.clock import utcnow

    with limited_app.app_context():
        user = User(email="veidotajs@example.lv", display_name="Veidotājs", email_verified_at=utcnow())
        user.set_password("correct horse battery")
        db.session.add(user)
        db.session.commit()
    client = limited_app.test_client()
    assert client.post("/account/login", data={"email": "veidotajs@example.lv", "password": "correct horse battery"}).status_code == 302
    codes = [_create(client, f"Grupa numur {n}").status_code for n in range(3)]
    assert codes == [302, 302, 429]
    assert client.get("/groups/new").status_code == 200  # only sending is limited
    with limited_app.app_context():
        assert db.session.scalar(select(func.count(Group.id))) == 2


def test_a_group_is_reported_and_hidden_through_the_shared_moderation(client, login, make_user, make_proposal,
                                                                        make_consultation):
    from participation.consultations import services as consultations

    leader = make_user(name="Viltus vadītājs")
    group = services.create_group(leader, "Viltus jauniešu dome", GroupKind.YOUTH_COUNCIL, "Mēs esam īstā dome.")
    proposal = make_proposal(author=leader, group=group, title="Skeitparks")
    consultation = make_consultation(with_comment=False)
    consultations.add_comment(consultation, leader, "Jaunieši atbalsta.", group=group)
    contributions = [f"/proposals/{proposal.id}", "/proposals/", f"/consultations/{consultation.id}/comments",
                     f"/cases/{proposal.case_id}"]
    for url in contributions:  # its contributions speak in its name (read once: cached rows must follow)
        assert "Viltus jauniešu dome" in client.get(url).get_data(as_text=True), url
    login(make_user(name="Ziņotāja"))
    assert client.get(f"/groups/{group.slug}").get_data(as_text=True).count(f"/moderation/report/group/{group.id}") == 1
    assert client.post(f"/moderation/report/group/{group.id}", data={"reason": "other", "text": "Uzdodas par citu"}).status_code == 302
    assert db.session.scalar(select(func.count(Report.id)).where(Report.item_kind == "group", Report.item_id == group.id)) == 1
    client.post("/account/logout")
    login(make_user(name="Moderatore", is_moderator=True))
    assert lv("Group no. %(number)d", number=group.id) in client.get("/moderation/").get_data(as_text=True)
    assert client.post(f"/moderation/item/group/{group.id}/hide", data={"reason": "other"}).status_code == 302
    db.session.refresh(group)
    assert group.is_hidden
    client.post("/account/logout")
    for url in (f"/groups/{group.slug}", "/groups/"):
        page = client.get(url).get_data(as_text=True)
        assert "Viltus jauniešu dome" not in page and "Mēs esam īstā dome" not in page and "Paslēpis moderators" in page
    for url in contributions:  # nor do its contributions carry the name any longer: its number instead
        page = client.get(url).get_data(as_text=True)
        assert "Viltus jauniešu dome" not in page and lv("Group no. %(number)d", number=group.id) in page, url
    assert not permissions.can_act_for_group(leader, group)  # a hidden group speaks for no one


def test_an_administrator_confirms_a_group_and_its_contributions_carry_the_mark(client, login, make_user, make_proposal,
                                                                                 make_consultation):
    from participation.consultations import services as consultations

    leader = make_user(name="Vadītāja")
    group = services.create_group(leader, ORIGINAL, GroupKind.YOUTH_COUNCIL)
    proposal = make_proposal(author=leader, group=group)
    consultation = make_consultation(with_comment=False)
    comment = consultations.add_comment(consultation, leader, "Jaunieši atbalsta.", group=group)
    consultations.add_comment(consultation, leader, "Un atbilde arī.", parent=comment, group=group)
    mark = lv("Confirmed group")
    where = [f"/groups/{group.slug}", "/groups/", f"/proposals/{proposal.id}", "/proposals/", f"/consultations/{consultation.id}/comments"]
    for url in where:  # read once unconfirmed: a cached list row must not keep the old state
        assert mark not in client.get(url).get_data(as_text=True), url
    login(make_user(name="Moderators", is_moderator=True))
    assert client.post(f"/admin/groups/{group.slug}/verify").status_code == 403  # moderators do not confirm
    client.post("/account/logout")
    admin = login(make_user(name="Administratore", is_admin=True))
    assert lv("Confirm this group") in client.get(f"/groups/{group.slug}").get_data(as_text=True)
    assert client.post(f"/admin/groups/{group.slug}/verify").status_code == 302
    db.session.refresh(group)
    assert group.is_verified and group.verified_by_id == admin.id
    entry = db.session.scalars(select(ModerationAction).where(ModerationAction.action == ActionKind.VERIFY)).one()
    assert (entry.item_kind, entry.item_id, entry.moderator_id) == ("group", group.id, admin.id)
    client.post("/account/logout")
    for url in where:
        assert mark in client.get(url).get_data(as_text=True), url
    assert client.get(f"/consultations/{consultation.id}/comments").get_data(as_text=True).count(mark) == 2  # and the reply


def test_the_migration_backfills_the_keys_and_keeps_groups_that_already_shared_a_name(tmp_path):
    """Migration 0013 on a database from before it: every group gets its key; two groups that already read the same
    keep their names, the later one a key of its own, and the unique index holds from then on."""
    import sqlalchemy as sa
    from flask_migrate import upgrade as migrate

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'before.sqlite'}")
    with app.app_context():
        migrate(revision="0012")
        with db.engine.begin() as connection:
            connection.execute(sa.text("INSERT INTO users (id, email, display_name, password_hash, is_moderator, is_admin, locale, session_version,"
                                       " created_at) VALUES (1, 'a@example.lv', 'A', 'x', 0, 0, 'lv', 0, '2026-01-01')"))
            for group_id, name in ((1, ORIGINAL), (2, "REZEKNES novada jauniesu dome"), (3, "Biedrība")):
                connection.execute(sa.text("INSERT INTO groups (id, slug, name, kind, description, leader_id, created_at) VALUES "
                                           "(:id, :slug, :name, 'youth_council', '', 1, '2026-01-01')"),
                                   {"id": group_id, "slug": f"g{group_id}", "name": name})
        migrate()
        with db.engine.connect() as connection:
            keys = dict(connection.execute(sa.text("SELECT id, name_key FROM groups ORDER BY id")).all())
            names = [row[0] for row in connection.execute(sa.text("SELECT name FROM groups ORDER BY id"))]
        assert keys == {1: "rezeknes novada jauniesu dome", 2: "rezeknes novada jauniesu dome #2", 3: "biedriba"}
        assert names == [ORIGINAL, "REZEKNES novada jauniesu dome", "Biedrība"]
        with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as connection:
            connection.execute(sa.text("UPDATE groups SET name_key = 'biedriba' WHERE id = 1"))
        db.engine.dispose()
