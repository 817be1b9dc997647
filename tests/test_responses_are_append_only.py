"""Responses cannot be changed or deleted: not by the ORM, not in bulk, not in the database, not by any route."""
import inspect
import re

import pytest
from flask import url_for
import sqlalchemy as sa
from sqlalchemy import delete, select, update

from participation.cases import services
from participation.cases.models import Position, Response, ResponseIsImmutable
from participation.extensions import db


@pytest.fixture
def answered(make_case, make_staff):
    case = make_case()
    responder = make_staff(case.institution)
    return services.answer_case(case, responder, Position.ACCEPTED, "Sākotnējā atbilde"), responder


def test_orm_cannot_edit_a_response(answered):
    response, _ = answered
    response.text = "Pārrakstīts"
    with pytest.raises(ResponseIsImmutable):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(Response, response.id).text == "Sākotnējā atbilde"


def test_orm_cannot_delete_a_response(answered):
    response, _ = answered
    db.session.delete(response)
    with pytest.raises(ResponseIsImmutable):
        db.session.flush()
    db.session.rollback()


def test_bulk_statements_are_refused(answered):
    with pytest.raises(ResponseIsImmutable):
        db.session.execute(update(Response).values(text="x"))
    with pytest.raises(ResponseIsImmutable):
        db.session.execute(delete(Response))


def test_the_database_itself_refuses(answered):
    response, _ = answered
    db.session.commit()
    for statement in ("UPDATE responses SET text = 'x' WHERE id = :id", "DELETE FROM responses WHERE id = :id"):
        with pytest.raises(sa.exc.DBAPIError):
            with db.session.begin_nested():
                db.session.connection().execute(sa.text(statement), {"id": response.id})
    assert db.session.get(Response, response.id).text == "Sākotnējā atbilde"


def test_no_service_function_changes_or_deletes_responses():
    source = inspect.getsource(services)
    assert not re.search(r"\.delete\(|update\(Response|\b(?:response|previous)\.\w+\s*=[^=]", source)


def test_no_route_changes_a_response(app, client, login, answered, make_group, make_user, make_proposal, make_consultation):
    """Every route, every method, as the staff member (and platform administrator) who wrote the answer,
    with real ids and slugs in every slot and a payload that would pass any of the forms."""
    response, responder = answered
    responder.is_admin = True
    group = make_group(leader=responder)
    institution = response.institution
    values = {"case_id": response.case_id, "response_id": response.id, "member_id": response.id,
              "membership_id": response.id, "user_id": responder.id, "code": "lv", "token": "x",
              "filename": "favicon.svg", "name": "privacy", "proposal_id": make_proposal(institution=response.institution).id}
    consultation = make_consultation(institution=response.institution)
    from participation.consultations.models import Attachment, Comment, Section

    values.update(consultation_id=consultation.id, number=1,
                  comment_id=Comment.query.filter_by(consultation_id=consultation.id).first().id,
                  attachment_id=Attachment.query.filter_by(consultation_id=consultation.id).first().id)
    values.update(section_id=db.session.scalars(select(Section.id)).first())
    values.update(kind="comment", item_id=values["comment_id"], action="hide", site_id=1, feedback_id=1, site_key="x",
                  tab="comments", dataset="responses", fmt="csv", rest="x")  # issues 18, 19: my activity, bulk files, API
    from tests.test_cocreation_world import build as build_cocreation  # issue 16

    values.update(build_cocreation(institution, responder, make_user(), make_user()))
    login(responder)
    before = [(r.id, r.text, r.position, r.kind) for r in db.session.scalars(select(Response).order_by(Response.id))]
    payload = {"text": "Pārrakstīts", "position": "noted", "reason": "x", "new_due_on": "2026-12-31",
               "target": str(institution.id), "title": "x", "body": "x", "source": "letter", "received_on": "2026-11-20"}
    visited = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "accounts.logout":
            continue
        args = {name: values.get(name) for name in rule.arguments}
        if "slug" in args:
            args["slug"] = group.slug if rule.endpoint.startswith("groups.") else institution.slug
        with app.test_request_context():
            url = url_for(rule.endpoint, **args)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            result = client.open(url, method=method, data=payload)
            assert result.status_code < 500, (method, url)
            visited += 1
    assert visited >= 30
    after = {r.id: (r.id, r.text, r.position, r.kind) for r in db.session.scalars(select(Response))}
    for row in before:
        assert after[row[0]] == row  # nothing changed or vanished; corrections are new rows
