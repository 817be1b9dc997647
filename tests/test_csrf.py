"""Every POST route refuses a request without a CSRF token; the routes come from the URL map."""
import re

import pytest

from participation.extensions import db


def post_routes(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods:
            yield rule


def test_there_are_post_routes_to_check(sqlite_app):
    assert len(list(post_routes(sqlite_app))) >= 15


def test_every_post_route_requires_a_csrf_token(app, client, login, make_case, make_staff):
    case = make_case()
    staff = make_staff(case.institution)
    login(staff)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        for rule in post_routes(app):
            url = re.sub(r"<(?:int:)?(\w+)>", lambda m: case.institution.slug if m.group(1) == "slug" else str(case.id), rule.rule)
            response = client.post(url, data={"text": "x", "position": "noted", "reason": "x"})
            assert response.status_code == 400, url
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_csrf_error_page_is_friendly(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/account/login", data={"email": "a@example.lv", "password": "x"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Something in the request was wrong" in page or "pieprasījumā" in page.lower() or "<h1>" in page
    assert "Traceback" not in page
