"""Consultations: preparing and publishing with the window rules, commenting inside the window only
(edges at the second, across summer time), the closing step, positions, the summary table, version 2."""
import csv
import io
from datetime import date, datetime

import pytest
from sqlalchemy import select

from participation.cases.models import Case, Channel, Position
from participation.consultations import services
from participation.consultations.models import Comment, WindowState
from participation.extensions import db
from participation.institutions.models import StaffRole
from participation.outbox.models import OutboxMessage
from tests.factories import DRAFT, FIELDS, section

VERSION_2 = DRAFT.replace("visām personām novadā", "visām fiziskajām un juridiskajām personām novadā")


def test_the_draft_is_split_into_sections(editor_and_institution):
    editor, institution = editor_and_institution
    consultation = services.save_draft(institution, editor, FIELDS, DRAFT)
    numbers = [s.number for s in consultation.versions[0].sections if s.number]
    assert numbers == ["1.", "2.", "2.1.", "3."]


def test_publishing_needs_a_plain_language_summary(editor_and_institution, fixed_now):
    editor, institution = editor_and_institution
    fixed_now(datetime(2026, 3, 10, 7, 0))
    consultation = services.save_draft(institution, editor, {**FIELDS, "summary": ""}, DRAFT)
    with pytest.raises(services.ConsultationRefused):
        services.publish(consultation, datetime(2026, 3, 10, 9, 0), None)
    assert consultation.published_at is None


@pytest.mark.parametrize("kind, shortest_ok", [("municipal_regulation", date(2026, 3, 24)), ("law_draft", date(2026, 4, 9))])
def test_minimum_window_per_type(editor_and_institution, fixed_now, kind, shortest_ok):
    editor, institution = editor_and_institution
    fixed_now(datetime(2026, 3, 10, 7, 0))
    too_short = services.save_draft(institution, editor, {**FIELDS, "kind": kind}, DRAFT)
    with pytest.raises(services.ConsultationRefused, match=f"{shortest_ok.year}. gada {shortest_ok.day}. "):  # no ISO date
        services.publish(too_short, datetime(2026, 3, 10, 9, 0), date.fromordinal(shortest_ok.toordinal() - 1))
    services.publish(too_short, datetime(2026, 3, 10, 9, 0), shortest_ok)
    assert too_short.window_state() == WindowState.OPEN


def test_default_window_is_30_days(editor_and_institution, fixed_now):
    editor, institution = editor_and_institution
    fixed_now(datetime(2026, 3, 10, 7, 0))
    consultation = services.save_draft(institution, editor, {**FIELDS, "kind": "other"}, DRAFT)
    services.publish(consultation, datetime(2026, 3, 10, 9, 0), None)
    assert consultation.closes_at == datetime(2026, 4, 9, 20, 59, 59, 999999)  # 9 April 23:59:59 in Riga summer time


def test_comment_one_second_before_and_after_the_close_across_summer_time(open_consultation, make_user, fixed_now):
    resident = make_user()
    assert open_consultation.closes_at == datetime(2026, 4, 9, 20, 59, 59, 999999)  # window crossed the 29 March switch
    fixed_now(datetime(2026, 4, 9, 20, 59, 58))
    services.add_comment(open_consultation, resident, "Pēdējā brīdī.", section(open_consultation, "2."))
    fixed_now(datetime(2026, 4, 9, 20, 59, 59, 400000))  # 23:59:59.4 on the last day still counts
    services.add_comment(open_consultation, resident, "Pašā pēdējā sekundē.")
    fixed_now(datetime(2026, 4, 9, 21, 0, 0))
    with pytest.raises(services.ConsultationRefused, match="2026"):
        services.add_comment(open_consultation, resident, "Par vēlu.")


def test_window_crossing_the_switch_back_to_winter_time(editor_and_institution, fixed_now, make_user):
    editor, institution = editor_and_institution
    fixed_now(datetime(2026, 10, 5, 6, 0))
    consultation = services.save_draft(institution, editor, FIELDS, DRAFT)
    services.publish(consultation, datetime(2026, 10, 5, 9, 0), date(2026, 11, 4))
    assert consultation.closes_at == datetime(2026, 11, 4, 21, 59, 59, 999999)  # winter time: UTC+2
    fixed_now(datetime(2026, 11, 4, 21, 59, 59))
    services.add_comment(consultation, make_user(), "Tieši laikā.")
    fixed_now(datetime(2026, 11, 4, 22, 0, 0))
    assert consultation.window_state() == WindowState.CLOSED


def test_a_refused_comment_keeps_the_typed_text_and_says_when_it_closed(client, login, open_consultation, make_user, fixed_now):
    login(make_user())
    fixed_now(datetime(2026, 4, 10, 8, 0))
    client.get("/language/en")
    response = client.post(f"/consultations/{open_consultation.id}/comments",
                           data={"section": 0, "text": "Mans rūpīgi uzrakstītais teksts", "on_behalf": 0})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Mans rūpīgi uzrakstītais teksts" in page and "9 April 2026 at 23:59" in page
    assert db.session.scalars(select(Comment)).first() is None


def test_scheduled_consultations_refuse_comments(editor_and_institution, fixed_now, make_user):
    editor, institution = editor_and_institution
    fixed_now(datetime(2026, 3, 1, 7, 0))
    consultation = services.save_draft(institution, editor, FIELDS, DRAFT)
    services.publish(consultation, datetime(2026, 3, 10, 9, 0), date(2026, 4, 9))
    assert consultation.window_state() == WindowState.SCHEDULED
    with pytest.raises(services.ConsultationRefused):
        services.add_comment(consultation, make_user(), "Par agru.")


def test_comment_receipt_and_replies(client, login, open_consultation, make_user, fixed_now):
    fixed_now(datetime(2026, 3, 20, 10, 0))
    resident = login(make_user())
    target = section(open_consultation, "2.")
    response = client.post(f"/consultations/{open_consultation.id}/comments",
                           data={"section": target.id, "text": "Precizēt, kas ir personas.", "on_behalf": 0, "show_name": "y"})
    assert response.status_code == 302
    comment = db.session.scalars(select(Comment)).one()
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == resident.email)).all()[-1]
    assert comment.number in mail.subject and "Precizēt, kas ir personas." in mail.body
    client.post(f"/consultations/{open_consultation.id}/comments/{comment.id}/replies", data={"text": "Piekrītu."})
    page = client.get(f"/consultations/{open_consultation.id}/comments?section={target.id}").get_data(as_text=True)
    assert "Precizēt, kas ir personas." in page and "Piekrītu." in page


def test_extension_only_forward_and_shown_publicly(client, login, open_consultation, editor_and_institution, fixed_now):
    editor, _ = editor_and_institution
    fixed_now(datetime(2026, 3, 20, 10, 0))
    with pytest.raises(services.ConsultationRefused):
        services.extend_window(open_consultation, editor, date(2026, 4, 1), "Saīsināt")
    login(editor)
    assert client.post(f"/consultations/{open_consultation.id}/extend", data={"new_closes_on": "2026-04-30", "reason": ""}).status_code == 400
    assert client.post(f"/consultations/{open_consultation.id}/extend",
                       data={"new_closes_on": "2026-04-30", "reason": "Daudz interesentu"}).status_code == 302
    assert open_consultation.closes_at == datetime(2026, 4, 30, 20, 59, 59, 999999)
    assert "Daudz interesentu" in client.get(f"/consultations/{open_consultation.id}").get_data(as_text=True)


def test_only_editors_publish_and_extend(client, login, open_consultation, make_staff, make_user):
    login(make_staff(open_consultation.institution, role=StaffRole.RESPONDER))
    assert client.post(f"/consultations/{open_consultation.id}/extend", data={"new_closes_on": "2026-04-30", "reason": "x"}).status_code == 403
    assert client.get("/consultations/new").status_code == 403


def test_closing_step_positions_summary_table_and_version_2(client, login, open_consultation, make_user, make_staff, editor_and_institution, fixed_now):
    editor, institution = editor_and_institution
    fixed_now(datetime(2026, 3, 20, 10, 0))
    named, private = make_user(name="Anna Bērziņa"), make_user(name="Slēpts Vārds")
    on_two = services.add_comment(open_consultation, named, "Precizēt personas.", section(open_consultation, "2."))
    services.add_comment(open_consultation, private, "Vispārīgi labi.", show_name=False)
    services.add_comment(open_consultation, named, "Atbilde.", parent=on_two)  # a reply is not a case
    fixed_now(datetime(2026, 4, 10, 8, 0))
    # Nobody visited the page: the institution's inbox runs the closing step.
    responder = make_staff(institution, role=StaffRole.RESPONDER)
    login(responder)
    client.get(f"/institutions/{institution.slug}/inbox")
    consultation_cases = db.session.scalars(select(Case).where(Case.channel == Channel.CONSULTATION)).all()
    assert len(consultation_cases) == 2 and {c.due_on for c in consultation_cases} == {date(2026, 5, 11)}  # 30 days, 9 May a Saturday
    client.post("/account/logout")
    public = client.get(f"/consultations/{open_consultation.id}/summary").get_data(as_text=True)
    assert "Precizēt personas." not in public and "summary-table" not in public  # not published until complete
    login(responder)
    for comment in db.session.scalars(select(Comment).where(Comment.parent_id.is_(None))):
        response = client.post(f"/consultations/{open_consultation.id}/comments/{comment.id}/position",
                               data={f"c{comment.id}-position": "partly_accepted", f"c{comment.id}-reason": f"Iemesls {comment.number}"})
        assert response.status_code == 302
    client.post("/account/logout")
    table = client.get(f"/consultations/{open_consultation.id}/summary").get_data(as_text=True)
    assert "Precizēt personas." in table and "Anna Bērziņa" in table and "Slēpts Vārds" not in table
    rows = list(csv.reader(io.StringIO(client.get(f"/consultations/{open_consultation.id}/summary.csv").get_data(as_text=True).lstrip("\ufeff"))))
    by_number = {row[0]: row for row in rows[1:]}
    assert len(rows) == 3 and by_number[on_two.number][1].startswith("2.")  # grouped by section
    assert by_number[on_two.number][3] == "Precizēt personas." and by_number[on_two.number][5] == f"Iemesls {on_two.number}"
    assert rows[1][1] != by_number[on_two.number][1]  # comments on the whole draft come first
    assert any(m.recipient == named.email and "Iemesls" in m.body for m in db.session.scalars(select(OutboxMessage)))
    login(editor)
    assert client.post(f"/consultations/{open_consultation.id}/versions/new", data={"source": VERSION_2, "note": "Precizēts 2. punkts"}).status_code == 302
    changes = client.get(f"/consultations/{open_consultation.id}/changes/2").get_data(as_text=True)
    assert "<ins>fiziskajām un juridiskajām </ins>" in changes or "<ins>fiziskajām" in changes
    assert on_two.number in changes
    assert any(m.recipient == private.email and "/changes/2" in m.body for m in db.session.scalars(select(OutboxMessage)))
    assert client.get(f"/consultations/{open_consultation.id}/versions/1").status_code == 200


def test_atom_feed_and_calendar(client, open_consultation):
    atom = client.get("/consultations/feed.atom")
    assert atom.status_code == 200 and open_consultation.title.encode() in atom.data
    ics = client.get("/consultations/closing-dates.ics")
    assert ics.status_code == 200 and b"BEGIN:VEVENT" in ics.data and b"Europe/Riga" in ics.data
    assert client.get(f"/institutions/{open_consultation.institution.slug}/consultations.atom").status_code == 200


def test_list_shows_open_first_with_filters(client, open_consultation, fixed_now):
    fixed_now(datetime(2026, 3, 20, 10, 0))
    page = client.get("/consultations/?state=open").get_data(as_text=True)
    assert open_consultation.title in page
    assert open_consultation.title not in client.get("/consultations/?state=closed").get_data(as_text=True)
    assert client.get("/consultations/?kind=bogus&page=abc").status_code == 200


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_attachments_are_checked_by_content_and_stored_outside_the_web_root(app, client, login, open_consultation, editor_and_institution, tmp_path, fixed_now):
    editor, _ = editor_and_institution
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    login(editor)
    response = client.post(f"/consultations/{open_consultation.id}/attachments",
                           data={"file": (io.BytesIO(PDF), "noteikumi.docx")}, content_type="multipart/form-data")
    assert response.status_code == 302
    stored = list((tmp_path / "uploads").iterdir())
    assert len(stored) == 1 and stored[0].read_bytes() == PDF and "noteikumi" not in stored[0].name
    refused = client.post(f"/consultations/{open_consultation.id}/attachments",
                          data={"file": (io.BytesIO(b"MZ not a pdf"), "lemums.pdf")}, content_type="multipart/form-data")
    assert refused.status_code == 302 and len(list((tmp_path / "uploads").iterdir())) == 1
    from participation.consultations.models import Attachment

    attachment = db.session.scalars(select(Attachment)).one()
    client.post("/account/logout")
    download = client.get(f"/consultations/attachments/{attachment.id}")
    assert download.status_code == 200 and download.data == PDF and download.mimetype == "application/pdf"


def test_only_the_institutions_responders_record_positions_after_the_close(client, login, open_consultation, make_user, make_staff, make_institution, editor_and_institution, fixed_now):
    editor, institution = editor_and_institution
    fixed_now(datetime(2026, 3, 20, 10, 0))
    comment = services.add_comment(open_consultation, make_user(), "Komentārs")
    login(make_staff(institution, role=StaffRole.RESPONDER))
    assert client.post(f"/consultations/{open_consultation.id}/comments/{comment.id}/position",
                       data={f"c{comment.id}-position": "noted", f"c{comment.id}-reason": "x"}).status_code == 403  # still open
    fixed_now(datetime(2026, 4, 10, 8, 0))
    client.post("/account/logout")
    for outsider in (editor, make_staff(make_institution(), role=StaffRole.RESPONDER), make_user()):
        login(outsider)
        assert client.post(f"/consultations/{open_consultation.id}/comments/{comment.id}/position",
                           data={f"c{comment.id}-position": "noted", f"c{comment.id}-reason": "x"}).status_code == 403
        client.post("/account/logout")


def test_nobody_edits_a_comment(app, open_consultation, make_user):
    from participation.consultations.permissions import can_edit_comment

    author = make_user()
    comment = services.add_comment(open_consultation, author, "Mans komentārs")
    assert not can_edit_comment(author, comment)
    comment_routes = [r for r in app.url_map.iter_rules() if "comment_id" in r.arguments]
    assert {r.endpoint for r in comment_routes} == {"consultations.reply", "consultations.position", "consultations.comment_link"}
    assert {m for r in comment_routes if r.endpoint == "consultations.comment_link" for m in r.methods} <= {"GET", "HEAD", "OPTIONS"}


def test_a_hidden_name_stays_hidden_on_the_public_case_page(client, login, open_consultation, make_user, make_staff, fixed_now):
    fixed_now(datetime(2026, 3, 20, 10, 0))
    shy = make_user(name="Kautrīgā Kristīne")
    services.add_comment(open_consultation, shy, "Bez vārda, lūdzu.", show_name=False)
    fixed_now(datetime(2026, 4, 10, 8, 0))
    services.process_closed(open_consultation)
    case = db.session.scalars(select(Case).where(Case.channel == Channel.CONSULTATION)).one()
    assert case.submitter_hidden and case.raised_by_id == shy.id  # still told of the position by e-mail
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Kautrīgā Kristīne" not in page
    login(make_staff(open_consultation.institution))
    assert "Kautrīgā Kristīne" in client.get(f"/cases/{case.id}").get_data(as_text=True)


def test_a_draft_pasted_from_a_word_processor_with_non_breaking_spaces(editor_and_institution):
    editor, institution = editor_and_institution
    consultation = services.save_draft(institution, editor, FIELDS, "1.\u00a0Pirmais.\r\n2.\u00a0Otrais.\x00")
    assert [s.number for s in consultation.versions[0].sections] == ["1.", "2."]


def test_a_reply_refused_after_the_close_keeps_the_typed_text(client, login, open_consultation, make_user, fixed_now):
    fixed_now(datetime(2026, 3, 20, 10, 0))
    first = services.add_comment(open_consultation, make_user(), "Sākums.")
    login(make_user())
    fixed_now(datetime(2026, 4, 10, 8, 0))
    response = client.post(f"/consultations/{open_consultation.id}/comments/{first.id}/replies", data={"text": "Mana garā atbilde"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Mana garā atbilde</textarea>" in page and 'role="alert"' in page


def test_the_changes_page_matches_sections_across_versions(client, login, open_consultation, editor_and_institution, make_user, fixed_now):
    editor, _ = editor_and_institution
    fixed_now(datetime(2026, 3, 20, 10, 0))
    services.add_comment(open_consultation, make_user(), "Par 2. punktu.", section(open_consultation, "2."))
    fixed_now(datetime(2026, 4, 10, 8, 0))
    with pytest.raises(services.ConsultationRefused):
        services.publish_version(open_consultation, editor, DRAFT, "Tas pats vēlreiz")  # e.g. a double click
    services.publish_version(open_consultation, editor, DRAFT.replace("Noteikumi nosaka", "Noteikumi  nosaka"), "Tikai atstarpe")
    services.publish_version(open_consultation, editor, VERSION_2, "Precizēts 2. punkts")
    same = client.get(f"/consultations/{open_consultation.id}/changes/2").get_data(as_text=True)
    assert "<ins>" not in same and "<del>" not in same  # the unnumbered title and the chapters match too
    since_first = client.get(f"/consultations/{open_consultation.id}/changes/3?since=1").get_data(as_text=True)
    assert "<ins>" in since_first and "Par 2. punktu." not in since_first and "K-" in since_first


def test_csv_cells_cannot_run_as_formulas(client, open_consultation, make_user, make_staff, fixed_now):
    fixed_now(datetime(2026, 3, 20, 10, 0))
    comment = services.add_comment(open_consultation, make_user(), "=cmd|' /C calc'!A0")
    fixed_now(datetime(2026, 4, 10, 8, 0))
    services.process_closed(open_consultation)
    services.record_position(comment, make_staff(open_consultation.institution), Position.NOTED, "@SUM(1)")
    rows = list(csv.reader(io.StringIO(client.get(f"/consultations/{open_consultation.id}/summary.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1][3] == "'=cmd|' /C calc'!A0" and rows[1][5] == "'@SUM(1)"


def test_bad_addresses_and_far_dates_get_answers_not_500s(client, login, open_consultation, editor_and_institution, fixed_now):
    editor, institution = editor_and_institution
    assert client.get(f"/consultations/{open_consultation.id}/comments?section=99999999999999999999").status_code == 200
    fixed_now(datetime(2026, 3, 20, 10, 0))
    login(editor)
    assert client.post(f"/consultations/{open_consultation.id}/extend", data={"new_closes_on": "9999-12-31", "reason": "x"}).status_code == 400
    draft = services.save_draft(institution, editor, FIELDS, DRAFT)
    assert client.post(f"/consultations/{draft.id}/publish", data={"opens_on": "9999-12-31", "opens_time": "09:00"}).status_code == 400


def test_a_not_examined_comment_completes_the_summary(client, login, open_consultation, make_user, make_staff, fixed_now):
    from participation.cases import services as case_services

    fixed_now(datetime(2026, 3, 20, 10, 0))
    comment = services.add_comment(open_consultation, make_user(), "Aizskarošs teksts")
    fixed_now(datetime(2026, 4, 10, 8, 0))
    services.process_closed(open_consultation)
    responder = make_staff(open_consultation.institution)
    case_services.mark_not_examined(comment.case, responder, "Aizskarošs saturs")
    with pytest.raises(services.ConsultationRefused):
        services.record_position(comment, responder, Position.NOTED, "x")
    login(responder)
    refused = client.post(f"/consultations/{open_consultation.id}/positions",
                          data={f"c{comment.id}-position": "noted", f"c{comment.id}-reason": "x"})
    assert refused.status_code == 400  # told at the row, with what was typed
    assert "This comment was closed as not examined" in refused.get_data(as_text=True) or \
        "atstāts bez izskatīšanas" in refused.get_data(as_text=True)
    client.post("/account/logout")
    assert "Aizskarošs teksts" in client.get(f"/consultations/{open_consultation.id}/summary").get_data(as_text=True)


def test_the_summary_table_is_paginated_and_has_a_whole_table_for_printing(client, login, open_consultation, make_staff, editor_and_institution, fixed_now):
    """50 rows a page in the table's order; `?all=1` is the printable whole; a position saved on page 2 returns there."""
    from participation.accounts.models import User

    editor, institution = editor_and_institution
    fixed_now(datetime(2026, 3, 20, 10, 0))
    people = [User(email=f"kopsavilkums{i}@example.lv", display_name=f"Komentētājs {i}", password_hash="x",
                   email_verified_at=datetime(2026, 1, 1)) for i in range(55)]
    db.session.add_all(people)
    db.session.commit()
    for i, person in enumerate(people):
        services.add_comment(open_consultation, person, f"Komentārs numur {i:02d}.")
    fixed_now(datetime(2026, 4, 10, 8, 0))
    services.process_closed(open_consultation)
    responder = make_staff(institution, role=StaffRole.RESPONDER)
    login(responder)
    first = client.get(f"/consultations/{open_consultation.id}/summary").get_data(as_text=True)
    second = client.get(f"/consultations/{open_consultation.id}/summary?page=2").get_data(as_text=True)
    whole = client.get(f"/consultations/{open_consultation.id}/summary?all=1").get_data(as_text=True)
    assert "Komentārs numur 00." in first and "Komentārs numur 54." not in first
    assert "Komentārs numur 54." in second and "Komentārs numur 00." not in second
    assert all(f"Komentārs numur {i:02d}." in whole for i in range(55))
    last = db.session.scalars(select(Comment).where(Comment.text == "Komentārs numur 54.")).one()
    saved = client.post(f"/consultations/{open_consultation.id}/comments/{last.id}/position?page=2",
                        data={f"c{last.id}-position": "noted", f"c{last.id}-reason": "Ņemts vērā."})
    assert saved.status_code == 302 and "page=2" in saved.location and saved.location.endswith(f"#comment-{last.id}")


def test_the_summary_reads_no_comment_while_it_is_not_shown(client, login, open_consultation, make_user, make_staff,
                                                              fixed_now, count_queries):
    """Before the close, and while comments still wait for a position, a reader is told why and no comment is read
    (not even for `?all=1`, the whole table); the export answers 404 then. The responders still see the table."""
    fixed_now(datetime(2026, 3, 20, 10, 0))
    services.add_comment(open_consultation, make_user(), "Agrīns komentārs.")
    summary = f"/consultations/{open_consultation.id}/summary"
    for moment, notice in ((datetime(2026, 3, 21, 10, 0), "pēc apspriešanas beigām"),
                           (datetime(2026, 4, 10, 8, 0), "1 komentārs vēl gaida")):
        fixed_now(moment)
        client.get(summary)  # the closing step, when due, runs on a first visit
        with count_queries() as counter:
            page = client.get(f"{summary}?all=1").get_data(as_text=True)
        assert notice in page and "Agrīns komentārs." not in page
        assert not any("from comments" in statement.lower() for statement in counter.statements)
        assert client.get(f"{summary}.csv").status_code == 404
    login(make_staff(open_consultation.institution))
    assert "Agrīns komentārs." in client.get(summary).get_data(as_text=True)
    assert client.get(f"{summary}.csv").status_code == 200


def test_a_heading_longer_than_its_column_keeps_every_word(editor_and_institution):
    editor, institution = editor_and_institution
    long_heading = "# " + " ".join(["Garš virsraksts par sabiedrisko kārtību"] * 12)
    consultation = services.save_draft(institution, editor, FIELDS, f"{long_heading}\n1. Punkts.")
    heading = consultation.versions[0].sections[0]
    assert len(heading.heading) <= 255 and not heading.heading.endswith(" ")
    assert f"{heading.heading} {heading.text}" == long_heading[2:]  # the rest begins the section's text
