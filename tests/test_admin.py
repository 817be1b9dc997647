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


# --- data requests received outside the platform (issue 18) ----------------------------------------------------


def test_an_admin_answers_a_data_request_by_letter_and_the_audit_log_keeps_the_reference(client, login, make_user):
    import io
    import json
    import zipfile

    from sqlalchemy import select

    from participation.admin.models import PersonalDataAccess
    from participation.extensions import db

    admin = login(make_user(is_admin=True, name="Administrators"))
    person = make_user(name="Vēstules Rakstītāja", email="vestule@example.lv")
    users_page = client.get("/admin/users?q=vestule").get_data(as_text=True)
    assert f'href="/admin/users/{person.id}"' in users_page
    assert "vestule@example.lv" in client.get(f"/admin/users/{person.id}").get_data(as_text=True)
    missing = client.post(f"/admin/users/{person.id}/data", data={})
    assert missing.status_code == 400 and 'id="export-reference-error"' in missing.get_data(as_text=True)
    response = client.post(f"/admin/users/{person.id}/data", data={"export-reference": "Vēstule Nr. 12, 2026-11-30"})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert json.loads(zipfile.ZipFile(io.BytesIO(response.data)).read("account.json"))["email"] == "vestule@example.lv"
    unconfirmed = client.post(f"/admin/users/{person.id}/delete", data={"delete-reference": "Vēstule Nr. 13"})
    assert unconfirmed.status_code == 400 and 'value="Vēstule Nr. 13"' in unconfirmed.get_data(as_text=True)
    assert not person.is_deleted
    deleted = client.post(f"/admin/users/{person.id}/delete", data={"delete-reference": "Vēstule Nr. 13", "delete-confirm": "y"})
    assert deleted.status_code == 302 and person.is_deleted
    assert client.get(f"/admin/users/{person.id}").status_code == 404
    entries = db.session.scalars(select(PersonalDataAccess).where(PersonalDataAccess.action.like("person.%"))
                                 .order_by(PersonalDataAccess.id)).all()
    assert [(e.action, e.query) for e in entries] == [
        ("person.view", ""), ("person.export", "Vēstule Nr. 12, 2026-11-30"), ("person.delete", "Vēstule Nr. 13")]
    assert all(e.admin_id == admin.id and e.subject_ids == str(person.id) for e in entries)


def test_an_admin_deletes_their_own_account_only_from_the_profile(client, login, make_user):
    admin = login(make_user(is_admin=True))
    response = client.post(f"/admin/users/{admin.id}/delete", data={"delete-reference": "x", "delete-confirm": "y"})
    assert response.status_code == 400 and not admin.is_deleted
