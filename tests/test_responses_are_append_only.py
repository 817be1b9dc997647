"""Responses cannot be changed or deleted: not by the ORM, not in bulk, not in the database, not by any route."""
import inspect
import re

import pytest
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
    assert not re.search(r"\.delete\(|update\(|\.text\s*=|\.position\s*=", source)


def _fill(rule, value):
    return re.sub(r"<(?:[^:<>]+:)?[^<>]+>", str(value), rule.rule)


def test_no_route_changes_a_response(app, client, login, answered):
    """Every route, every method, as the staff member who wrote it, with the response's id in every slot."""
    response, responder = answered
    login(responder)
    before = [(r.id, r.text, r.position, r.kind) for r in db.session.scalars(select(Response).order_by(Response.id))]
    payload = {"text": "Pārrakstīts", "position": "noted", "reason": "x", "new_due_on": "2026-12-31", "target": "1"}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "accounts.logout"):
            continue
        url = _fill(rule, response.id)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            result = client.open(url, method=method, data=payload)
            assert result.status_code < 500, (method, url)
    after = {r.id: (r.id, r.text, r.position, r.kind) for r in db.session.scalars(select(Response))}
    for row in before:
        assert after[row[0]] == row  # nothing changed or vanished; corrections are new rows
