"""A page runs the same number of SQL queries whatever the data size."""
import itertools
from datetime import timedelta

from participation import clock
from participation.cases import services
from participation.cases.models import Case, CaseState, Channel, Position, Response, ResponseKind
from participation.accounts.models import User
from participation.extensions import db
from participation.institutions.models import Institution, InstitutionKind


_serial = itertools.count()


def _people(prefix, n):
    """Many distinct users, cheaply (no password hashing), so a lazy load per row would show."""
    people = [User(email=f"person{next(_serial)}@example.lv", display_name=f"{prefix} {i}", password_hash="x") for i in range(n)]
    db.session.add_all(people)
    return people


def _bulk_cases(institution, raiser, responder, n, answered, group=None):
    """Insert many cases (and answers, some corrected) quickly, without the services' e-mail.
    Every case has its own submitter and every answer its own author."""
    now = clock.utcnow()
    raisers = _people("Iesniedzējs", n)
    authors = _people("Atbildētājs", n)
    others = [Institution(slug=f"cita-{next(_serial)}", name=f"Cita {i}", kind=InstitutionKind.AGENCY) for i in range(n)]
    db.session.add_all(others)
    cases = [
        Case(institution=institution, channel=Channel.PROPOSAL, title=f"Lieta {i}", rule_code="submission_answer",
             received_at=now - timedelta(days=i % 40), due_on=clock.riga_today() + timedelta(days=(i % 30) - 10),
             state=CaseState.ANSWERED if answered else CaseState.FORWARDED, raised_by=raisers[i],
             raised_by_group=group, forwarded_from=others[i])
        for i in range(n)
    ]
    db.session.add_all(cases)
    db.session.flush()
    if answered:
        for i, case in enumerate(cases):
            first = Response(case=case, institution_id=institution.id, author=authors[i], kind=ResponseKind.ANSWER,
                             position=Position.NOTED, text=f"Atbilde {i}")
            db.session.add(first)
            if i % 3 == 0:
                db.session.flush()
                db.session.add(Response(case=case, institution_id=institution.id, author=authors[-1 - i], kind=ResponseKind.ANSWER,
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
    small_count = _queries_for(client, count_queries, f"/institutions/{small.slug}/inbox")
    assert small_count == _queries_for(client, count_queries, f"/institutions/{large.slug}/inbox")
    assert small_count <= 8


def test_response_log_runs_the_same_queries_for_10_and_500_cases(client, count_queries, make_institution, make_staff, make_user):
    small, large = make_institution(), make_institution()
    staff = make_staff(small)
    raiser = make_user()
    _bulk_cases(small, raiser, staff, 10, answered=True)
    _bulk_cases(large, raiser, staff, 500, answered=True)
    small_count = _queries_for(client, count_queries, f"/institutions/{small.slug}/log")
    large_count = _queries_for(client, count_queries, f"/institutions/{large.slug}/log")
    assert small_count == large_count
    assert small_count <= 8  # the total is three index counts, which production runs once per cache period


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


def test_group_page_runs_the_same_queries_for_10_and_500_cases_and_members(client, count_queries, make_institution, make_staff, make_group, make_user):
    from participation.groups.models import GroupMember, MemberStatus

    institution = make_institution()
    staff = make_staff(institution)
    small, large = make_group(), make_group()
    _bulk_cases(institution, None, staff, 10, answered=True, group=small)
    _bulk_cases(institution, None, staff, 500, answered=True, group=large)
    for group, n in ((small, 3), (large, 60)):
        db.session.add_all(GroupMember(group=group, user=person, status=MemberStatus.APPROVED) for person in _people("Biedrs", n))
    db.session.commit()
    small_count = _queries_for(client, count_queries, f"/groups/{small.slug}")
    assert small_count == _queries_for(client, count_queries, f"/groups/{large.slug}")
    assert small_count <= 6


def test_staff_page_runs_the_same_queries_for_2_and_40_staff(client, login, count_queries, make_institution, make_staff):
    from participation.institutions.models import Membership, StaffRole

    small, large = make_institution(), make_institution()
    admin = make_staff(small, role=StaffRole.ADMIN)
    make_staff(large, role=StaffRole.ADMIN, user=admin)
    db.session.add_all(Membership(user=u, institution=small, role=StaffRole.RESPONDER) for u in _people("Darbinieks", 2))
    db.session.add_all(Membership(user=u, institution=large, role=StaffRole.RESPONDER) for u in _people("Darbinieks", 40))
    db.session.commit()
    login(admin)
    assert _queries_for(client, count_queries, f"/institutions/{small.slug}/staff") == \
        _queries_for(client, count_queries, f"/institutions/{large.slug}/staff")


def _bulk_proposals(institution, n, supports_each=0):
    """Many submitted proposals, each with its own author, group, case and supporters."""
    from participation.groups.models import Group, GroupKind
    from participation.proposals.models import Moderation, Proposal, ProposalStatus, Support

    now = clock.utcnow()
    authors = _people("Autors", n)
    db.session.flush()
    groups = [Group(slug=f"g-{(k := next(_serial))}", name=f"Grupa {k}", kind=GroupKind.YOUTH_COUNCIL, leader=authors[i]) for i in range(n)]
    cases = [Case(institution=institution, channel=Channel.PROPOSAL, title=f"Priekšlikums {i}", rule_code="submission_answer",
                  received_at=now, due_on=clock.riga_today(), state=CaseState.OPEN, raised_by=authors[i]) for i in range(n)]
    db.session.add_all(groups + cases)
    proposals = [Proposal(institution=institution, author=authors[i], group=groups[i], title=f"Priekšlikums {i}",
                          problem="p", solution="s", status=ProposalStatus.SUBMITTED, moderation=Moderation.APPROVED,
                          submitted_at=now, case=cases[i], topics=" youth ") for i in range(n)]
    db.session.add_all(proposals)
    db.session.flush()
    if supports_each:
        supporters = _people("Atbalstītājs", supports_each)
        db.session.flush()
        db.session.add_all(Support(proposal_id=p.id, user_id=u.id) for p in proposals for u in supporters)
    db.session.commit()
    return proposals


def test_proposal_list_runs_the_same_queries_for_10_and_1000_proposals(client, count_queries, make_institution):
    small, large = make_institution(), make_institution()
    _bulk_proposals(small, 10, supports_each=2)
    _bulk_proposals(large, 1000, supports_each=2)
    for sort in ("newest", "supported", "deadline"):
        small_count = _queries_for(client, count_queries, f"/proposals/?institution={small.id}&sort={sort}")
        assert small_count == _queries_for(client, count_queries, f"/proposals/?institution={large.id}&sort={sort}")
        assert small_count <= 6


def test_proposal_page_runs_the_same_queries_for_10_and_1000_supports(client, login, count_queries, make_institution, make_user):
    institution = make_institution()
    few = _bulk_proposals(institution, 1, supports_each=10)[0]
    many = _bulk_proposals(institution, 1, supports_each=1000)[0]
    login(make_user())
    assert _queries_for(client, count_queries, f"/proposals/{few.id}") == \
        _queries_for(client, count_queries, f"/proposals/{many.id}")


def _bulk_comments(consultation, n):
    from participation.consultations.models import Comment

    authors = _people("Komentētājs", n)
    db.session.flush()
    sections = consultation.versions[0].sections
    comments = [Comment(consultation_id=consultation.id, author=authors[i], text=f"Komentārs {i}",
                        section=sections[i % len(sections)] if i % 3 else None, show_name=bool(i % 2)) for i in range(n)]
    db.session.add_all(comments)
    db.session.flush()
    db.session.add_all(Comment(consultation_id=consultation.id, author=authors[-1 - i], text="Atbilde", parent=comments[i],
                               section=comments[i].section) for i in range(0, n, 4))
    db.session.commit()


def test_consultation_pages_run_the_same_queries_for_10_and_1000_comments(client, count_queries, make_consultation, make_institution):
    small, large = make_consultation(with_comment=False), make_consultation(with_comment=False)
    _bulk_comments(small, 10)
    _bulk_comments(large, 1000)
    for path in ("", "/comments", "/comments?whole=1", "/summary", "/sections/{first}"):
        small_url = f"/consultations/{small.id}{path}".format(first=small.versions[0].sections[0].id, last=_last_comment(small))
        large_url = f"/consultations/{large.id}{path}".format(first=large.versions[0].sections[0].id, last=_last_comment(large))
        small_count = _queries_for(client, count_queries, small_url)
        assert small_count == _queries_for(client, count_queries, large_url), path
    # A comment's permalink finds its page with one count, whatever the number of comments before it.
    redirects = []
    for consultation in (small, large):
        url = f"/consultations/{consultation.id}/comments/{_last_comment(consultation)}"
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 302
        redirects.append(counter.count)
    assert redirects[0] == redirects[1]


def _last_comment(consultation) -> int:
    from sqlalchemy import func, select

    from participation.consultations.models import Comment

    return db.session.scalar(select(func.max(Comment.id)).where(Comment.consultation_id == consultation.id))
