"""The one sanitiser: plain text with paragraphs and links; nothing else gets through."""
from participation.text import clean_plain, render_user_text


def test_paragraphs_line_breaks_and_links():
    html = str(render_user_text("Pirmā rinda\notrā rinda\n\nJauns punkts: https://example.lv/a?b=1"))
    assert html.startswith("<p>Pirmā rinda<br>otrā rinda</p><p>")
    assert '<a href="https://example.lv/a?b=1" rel="nofollow ugc noopener">' in html


def test_markup_and_scripts_are_escaped():
    html = str(render_user_text('<script>alert(1)</script><a href="javascript:x">x</a><img src=x onerror=y>'))
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html


def test_empty_text_renders_nothing():
    assert str(render_user_text(None)) == "" and str(render_user_text("")) == ""


def test_clean_plain_strips_control_characters_and_limits_length():
    assert clean_plain("  a\r\nb\x00c\x07  ") == "a\nbc"
    assert clean_plain("x" * 50, max_length=10) == "x" * 10


def test_non_breaking_spaces_become_spaces_not_nothing():
    assert clean_plain("1.\u00a0punkts un\u2009vēl") == "1. punkts un vēl"


# --- sanitised once, when written (issue 17) ------------------------------------------------------------------------

import pytest  # noqa: E402
from sqlalchemy import select, text as sql  # noqa: E402

from participation import text as text_module  # noqa: E402
from participation.extensions import db  # noqa: E402


def _comment(consultation):
    from participation.consultations.models import Comment

    return db.session.scalars(select(Comment).where(Comment.consultation_id == consultation.id)).first()


def test_a_comment_keeps_its_html_from_when_it_was_written_and_pages_show_that(client, make_consultation):
    consultation = make_consultation()  # its comment: "Vairāk soliņu."
    comment = _comment(consultation)
    assert comment.text_html == "<p>Vairāk soliņu.</p>" and comment.html_policy == text_module.POLICY
    # What the page shows is the stored HTML, not the text sanitised again: change only the stored HTML.
    db.session.execute(sql("UPDATE comments SET text_html = '<p>Saglabātais HTML</p>' WHERE id = :id"), {"id": comment.id})
    db.session.commit()
    page = client.get(f"/consultations/{consultation.id}/comments").get_data(as_text=True)
    assert "Saglabātais HTML" in page and "Vairāk soliņu." not in page


def test_an_edited_text_is_rendered_again_in_the_same_flush(make_proposal):
    proposal = make_proposal()
    assert proposal.solution_html == "<p>Uzstādīt trīs soliņus.</p>" and proposal.html_policy == text_module.POLICY
    proposal.solution = "Skat. https://example.lv <b>tūlīt</b>"
    db.session.commit()
    assert proposal.solution_html == str(text_module.render_user_text(proposal.solution))
    assert '<a href="https://example.lv" rel="nofollow ugc noopener">' in proposal.solution_html
    assert "<b>" not in proposal.solution_html and proposal.problem_html == "<p>Nav kur atpūsties.</p>"


def test_rows_of_an_older_policy_are_sanitised_when_shown_until_the_command_renders_them(
        app, client, make_consultation, monkeypatch):
    consultation = make_consultation()
    comment = _comment(consultation)
    db.session.execute(sql("UPDATE comments SET text_html = '<p>Vecā politika</p>' WHERE id = :id"), {"id": comment.id})
    db.session.commit()
    monkeypatch.setattr(text_module, "POLICY", text_module.POLICY + 1)  # the sanitiser's policy changed
    page = client.get(f"/consultations/{consultation.id}/comments").get_data(as_text=True)
    assert "Vecā politika" not in page and "Vairāk soliņu." in page  # sanitised from the source, not the old HTML
    done = text_module.rerender_all(db.session, batch=1)
    assert done["comments"] >= 1 and set(done) >= {"comments", "responses", "proposals", "feedback"}
    db.session.expire_all()
    comment = _comment(consultation)
    assert comment.html_policy == text_module.POLICY and comment.text_html == "<p>Vairāk soliņu.</p>"
    assert text_module.rerender_all(db.session)["comments"] == 0  # nothing left to render


def test_the_rerender_command_renders_rows_written_by_sql_alone(app, make_consultation):
    consultation = make_consultation()
    comment = _comment(consultation)
    db.session.execute(sql("UPDATE comments SET text_html = NULL, html_policy = NULL WHERE id = :id"), {"id": comment.id})
    db.session.commit()
    comment_id = comment.id
    result = app.test_cli_runner().invoke(args=["rerender-html"])
    assert result.exit_code == 0 and "rows rendered" in result.output, result.output
    from participation.consultations.models import Comment

    assert db.session.get(Comment, comment_id).text_html == "<p>Vairāk soliņu.</p>"


def test_a_response_keeps_its_html_and_the_log_shows_it(client, make_case, make_staff):
    from participation.cases import services as cases
    from participation.cases.models import Position

    case = make_case()
    staff = make_staff(case.institution)
    response = cases.answer_case(case, staff, Position.ACCEPTED, "Atbilde ar saiti: https://iestade.lv/lemums")
    assert response.html_policy == text_module.POLICY and '<a href="https://iestade.lv/lemums"' in response.text_html
    db.session.execute(sql("UPDATE responses SET text_html = '<p>No glabātuves</p>' WHERE id = :id"), {"id": response.id})
    db.session.commit()
    assert "No glabātuves" in client.get(f"/institutions/{case.institution.slug}/log").get_data(as_text=True)


@pytest.mark.parametrize("source", ["", "Viens.\n\nDivi\ntrīs", "<script>x</script> & \"pēdiņas\" 'vienas'"])
def test_stored_html_of_a_plain_row_equals_the_sanitiser(source):
    class Row:
        text = source
        text_html = None
        html_policy = None

    assert str(text_module.stored_html(Row())) == text_module.sanitise(source) == str(text_module.render_user_text(source))


def test_a_response_stays_append_only_apart_from_its_stored_html(make_case, make_staff):
    from sqlalchemy.exc import DBAPIError

    from participation.cases import services as cases
    from participation.cases.models import Position

    case = make_case()
    response = cases.answer_case(case, make_staff(case.institution), Position.NOTED, "Pieņemts zināšanai.")
    db.session.execute(sql("UPDATE responses SET text_html = '<p>x</p>', html_policy = 1 WHERE id = :id"), {"id": response.id})
    db.session.commit()
    with pytest.raises(DBAPIError):
        db.session.execute(sql("UPDATE responses SET text = 'Cits teksts' WHERE id = :id"), {"id": response.id})
    db.session.rollback()


def test_the_command_renders_responses_again_when_the_policy_changes(make_case, make_staff, monkeypatch):
    from participation.cases import services as cases
    from participation.cases.models import Position, Response

    case = make_case()
    response = cases.answer_case(case, make_staff(case.institution), Position.NOTED, "Skat. https://iestade.lv/x")
    response_id = response.id
    monkeypatch.setattr(text_module, "POLICY", text_module.POLICY + 1)
    assert text_module.rerender_all(db.session)["responses"] >= 1  # the append-only trigger lets the HTML change
    db.session.expire_all()
    stored = db.session.get(Response, response_id)
    assert stored.html_policy == text_module.POLICY and '<a href="https://iestade.lv/x"' in stored.text_html
