"""Platform administrators give and take the moderator and administrator roles."""


def test_only_platform_admins_reach_the_people_page(client, login, make_user):
    assert client.get("/admin/users").status_code == 302  # to log in
    login(make_user(is_moderator=True))
    assert client.get("/admin/users").status_code == 403


def test_admin_makes_someone_a_moderator(client, login, make_user):
    admin = make_user(is_admin=True, name="Administrators")
    person = make_user(name="Mārtiņš Moderators", email="martins@example.lv")
    login(admin)
    page = client.get("/admin/users?q=martins").get_data(as_text=True)
    assert "Mārtiņš Moderators" in page and "Administrators" not in page
    response = client.post(f"/admin/users/{person.id}/roles", data={f"u{person.id}-is_moderator": "y"})
    assert response.status_code == 302
    assert person.is_moderator and not person.is_admin


def test_admin_cannot_drop_their_own_admin_role(client, login, make_user):
    admin = login(make_user(is_admin=True))
    client.post(f"/admin/users/{admin.id}/roles", data={})
    assert admin.is_admin


def test_profile_lists_where_a_staff_member_works(client, login, make_institution, make_staff):
    institution = make_institution()
    login(make_staff(institution))
    page = client.get("/account/profile").get_data(as_text=True)
    assert institution.name in page and f"/institutions/{institution.slug}/inbox" in page
