"""Supports stay exact under concurrent requests: 50 parallel supports from one account leave one row.
Runs on PostgreSQL (in CI always), in a database of its own so that real commits meet each other."""
import threading

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from participation import create_app
from participation.accounts.models import User
from participation.extensions import db
from participation.proposals import services
from participation.proposals.models import Support
from tests.conftest import REQUIRE_POSTGRES, _fresh_postgres_database, postgres_available
from tests.factories import PASSWORD


@pytest.fixture
def committed_app():
    if not postgres_available():
        if REQUIRE_POSTGRES:
            pytest.fail("PostgreSQL is required here but does not answer")
        pytest.skip("PostgreSQL is not running (required in CI)")
    url, drop = _fresh_postgres_database()
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 20, "max_overflow": 40})
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    drop()


def _setup(app):
    from participation.institutions.models import Institution, InstitutionKind

    with app.app_context():
        institution = Institution(slug="paralele", name="Paralēlā pašvaldība", kind=InstitutionKind.MUNICIPALITY)
        author = User(email="autors@example.lv", display_name="Autors", email_verified_at=db.func.now())
        supporter = User(email="atbalstitajs@example.lv", display_name="Atbalstītājs", email_verified_at=db.func.now())
        for user in (author, supporter):
            user.set_password(PASSWORD)
        db.session.add_all([institution, author, supporter])
        db.session.commit()
        proposal = services.save_draft(author, institution, None, {"title": "Vienreiz", "problem": "p", "solution": "s"})
        services.submit(proposal, author)
        ids = proposal.id, supporter.id
        db.session.remove()
        return ids


def test_fifty_parallel_supports_from_one_account_leave_one_row(committed_app):
    proposal_id, supporter_id = _setup(committed_app)
    login = committed_app.test_client()
    assert login.post("/account/login", data={"email": "atbalstitajs@example.lv", "password": PASSWORD}).status_code == 302
    cookie = login.get_cookie("session").value
    statuses, barrier = [], threading.Barrier(50)

    def one_request():
        client = committed_app.test_client()
        client.set_cookie("session", cookie)
        barrier.wait()
        statuses.append(client.post(f"/proposals/{proposal_id}/support").status_code)  # each request its own session

    threads = [threading.Thread(target=one_request) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * 50  # every request got an answer, none a 500
    with committed_app.app_context():
        rows = db.session.scalar(select(func.count(Support.id)).where(Support.proposal_id == proposal_id, Support.user_id == supporter_id))
        assert rows == 1
        assert services.support_count(proposal_id) == 1
        db.session.remove()
