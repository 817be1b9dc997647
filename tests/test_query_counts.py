"""A page runs the same number of SQL queries whatever the data size."""
from datetime import timedelta

from participation import clock
from participation.cases import services
from participation.cases.models import Case, CaseState, Channel, Position, Response, ResponseKind
from participation.extensions import db


def _bulk_cases(institution, raiser, responder, n, answered):
    """Insert many cases (and answers, some corrected) quickly, without the services' e-mail."""
    now = clock.utcnow()
    cases = [
        Case(institution=institution, channel=Channel.PROPOSAL, title=f"Lieta {i}", rule_code="submission_answer",
             received_at=now - timedelta(days=i % 40), due_on=clock.riga_today() + timedelta(days=(i % 30) - 10),
             state=CaseState.ANSWERED if answered else CaseState.OPEN, raised_by=raiser)
        for i in range(n)
    ]
    db.session.add_all(cases)
    db.session.flush()
    if answered:
        for i, case in enumerate(cases):
            first = Response(case=case, institution_id=institution.id, author=responder, kind=ResponseKind.ANSWER,
                             position=Position.NOTED, text=f"Atbilde {i}")
            db.session.add(first)
            if i % 3 == 0:
                db.session.flush()
                db.session.add(Response(case=case, institution_id=institution.id, author=responder, kind=ResponseKind.ANSWER,
                                        position=Position.ACCEPTED, text=f"Labojums {i}", supersedes=first))
    db.session.commit()


def _queries_for(client, count_queries, url):
    client.get(url)  # warm caches (e.g. the logged-in user's session)
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200
    return counter.count


def test_inbox_runs_the_same_queries_for_10_and_500_cases(client, login, count_queries, make_institution, make_staff, make_user):
    small, large = make_institution(), make_institution()
    staff = make_staff(small)
    make_staff(large, user=staff)
    raiser = make_user()
    _bulk_cases(small, raiser, staff, 10, answered=False)
    _bulk_cases(large, raiser, staff, 500, answered=False)
    login(staff)
    assert _queries_for(client, count_queries, f"/institutions/{small.slug}/inbox") == \
        _queries_for(client, count_queries, f"/institutions/{large.slug}/inbox")


def test_response_log_runs_the_same_queries_for_10_and_500_cases(client, count_queries, make_institution, make_staff, make_user):
    small, large = make_institution(), make_institution()
    staff = make_staff(small)
    raiser = make_user()
    _bulk_cases(small, raiser, staff, 10, answered=True)
    _bulk_cases(large, raiser, staff, 500, answered=True)
    small_count = _queries_for(client, count_queries, f"/institutions/{small.slug}/log")
    large_count = _queries_for(client, count_queries, f"/institutions/{large.slug}/log")
    assert small_count == large_count
    assert small_count <= 6


def test_institution_page_and_case_page_have_fixed_query_counts(client, count_queries, make_institution, make_staff, make_user, make_case):
    small, large = make_institution(), make_institution()
    staff = make_staff(small)
    raiser = make_user()
    _bulk_cases(small, raiser, staff, 10, answered=True)
    _bulk_cases(large, raiser, staff, 500, answered=True)
    assert _queries_for(client, count_queries, f"/institutions/{small.slug}") == \
        _queries_for(client, count_queries, f"/institutions/{large.slug}")
    case = make_case(small)
    services.extend_case(case, staff, case.due_on + timedelta(days=1), "Vajag atzinumu")
    with_one_response = _queries_for(client, count_queries, f"/cases/{case.id}")
    first = services.answer_case(case, staff, Position.NOT_ACCEPTED, "Nē")
    services.correct_response(first, staff, Position.ACCEPTED, "Jā")
    assert _queries_for(client, count_queries, f"/cases/{case.id}") == with_one_response
