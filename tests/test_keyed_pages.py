"""Keyed pages (issue 17): the proposal list's, the response log's and the comments pages' pager links a page's neighbours by where they start, so a deep page is
one short index range, never an OFFSET over the rows before it; the first and last pages and a typed page number still
work, and a broken place in the address is no error."""
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from participation.extensions import db
from participation.pages import decode_key, encode_key
from participation.proposals import queries
from participation.proposals.models import Proposal

PER_PAGE = 3
# The three orders as residents are promised them (written out here, not taken from the code under test).
ORDERS = {
    "newest": lambda: (Proposal.submitted_at.desc(), Proposal.id.desc()),
    "supported": lambda: (Proposal.support_count.desc(), Proposal.submitted_at.desc(), Proposal.id.desc()),
    "deadline": lambda: (Proposal.case_awaiting.desc(), Proposal.case_due_on, Proposal.id),
}


@pytest.fixture
def listed(make_proposal, make_institution, monkeypatch):
    """Eight listed proposals of one institution with ties in every key, three to a page."""
    monkeypatch.setattr(queries, "PER_PAGE", PER_PAGE)
    institution = make_institution()
    made = [make_proposal(institution=institution, title=f"Priekšlikums {n}") for n in range(8)]
    base = made[0].submitted_at
    for n, proposal in enumerate(made):
        proposal.support_count = n % 3
        proposal.submitted_at = base if n % 2 else base - timedelta(hours=n)
        proposal.case_awaiting = n % 4 != 0
        proposal.case_due_on = date(2027, 1, 4) + timedelta(days=n % 3)
    db.session.commit()
    return institution


def _expected(institution, sort):
    return list(db.session.scalars(select(Proposal.id).where(Proposal.institution_id == institution.id)
                                   .order_by(*ORDERS[sort]())))


def _read(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    ids = [int(i) for i in re.findall(r'class="app-card__title"><a class="govuk-link" href="/proposals/(\d+)"', html)]
    links = {}
    for which in ("next", "prev"):
        found = re.search(rf'govuk-pagination__{which}">\s*<a class="govuk-link govuk-pagination__link" href="([^"]+)"', html)
        links[which] = found.group(1).replace("&amp;", "&") if found else None
    current = re.search(r'govuk-pagination__item--current">\s*<a[^>]*>\s*(\d+)', html)
    return ids, links, int(current.group(1)) if current else None


@pytest.mark.parametrize("sort", ["newest", "supported", "deadline"])
def test_following_the_pager_visits_every_proposal_once_in_order_and_back(client, listed, sort):
    expected = _expected(listed, sort)
    url, pages, numbers = f"/proposals/?institution={listed.id}&sort={sort}", [], []
    while url:
        ids, links, current = _read(client, url)
        pages.append(ids)
        numbers.append(current)
        url = links["next"]
    assert [i for page in pages for i in page] == expected
    assert numbers == [1, 2, 3] and [len(p) for p in pages] == [3, 3, 2]
    # Back from the last page by the previous links: the same pages.
    url, back = _read(client, f"/proposals/?institution={listed.id}&sort={sort}&page=3")[1]["prev"], []
    while url:
        ids, links, _ = _read(client, url)
        back.append(ids)
        url = links["prev"]
    assert back == pages[-2::-1]


@pytest.mark.parametrize("sort", ["newest", "supported", "deadline"])
def test_a_page_number_alone_reads_the_same_page(client, listed, sort):
    """Page numbers without a place (the first and the last page's links, a typed address) are read from the
    nearer end of the list and hold what the pager's links lead to."""
    expected = _expected(listed, sort)
    for number in (1, 2, 3):
        ids, _, current = _read(client, f"/proposals/?institution={listed.id}&sort={sort}&page={number}")
        assert ids == expected[(number - 1) * PER_PAGE:number * PER_PAGE] and current == number


def test_a_deep_page_is_read_without_an_offset(app, client, listed, count_queries):
    ids, links, _ = _read(client, f"/proposals/?institution={listed.id}&sort=supported")
    seen = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        if "ORDER BY proposals.support_count" in statement:
            seen.append((statement, parameters))

    _read(client, links["next"])  # warm (the signed-out navigation, the filters, the total)
    sa.event.listen(db.engine, "before_cursor_execute", listen)
    try:
        with count_queries() as counter:
            _read(client, links["next"])
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listen)
    (statement, parameters), = seen
    assert ") < (" in statement  # starts after the row the page before ended with
    if "OFFSET" in statement:  # SQLite's dialect always writes one: it must skip nothing
        assert app.config["DB_BACKEND"] == "sqlite" and list(parameters)[-1] == 0
    url = f"/proposals/?institution={listed.id}&sort=supported"
    with count_queries() as first:
        _read(client, url)
    assert counter.count == first.count  # a deep page costs the queries of the first


@pytest.mark.parametrize("place", ["zzz", "1_2", "x_2026-01-01T00:00:00_5", "1_not-a-time_5", "1_2026-01-01T00:00:00_5" * 20, "",
                                   "1_2026-01-01T00:00:00_2147483648", "99999999999999999999_2026-01-01T00:00:00_5",
                                   "-2147483649_2026-01-01T00:00:00_5"])
def test_a_broken_place_in_the_address_reads_the_page_by_its_number(client, listed, place):
    expected = _expected(listed, "supported")
    for name in ("after", "before"):
        ids, _, current = _read(client, f"/proposals/?institution={listed.id}&sort=supported&page=2&{name}={place}")
        assert ids == expected[3:6] and current == 2


def test_when_the_list_shrank_the_previous_link_lands_on_a_full_first_page(client, listed):
    expected = _expected(listed, "newest")
    _, links, _ = _read(client, f"/proposals/?institution={listed.id}&sort=newest&page=3")
    # Three of the five proposals before the third page leave the list (merged away) before the link is followed:
    # two are left before it, fewer than a page.
    for proposal_id in expected[:3]:
        db.session.get(Proposal, proposal_id).merged_into_id = expected[-1]
    db.session.commit()
    ids, following, current = _read(client, links["prev"])
    assert current == 1 and following["prev"] is None
    assert ids == expected[3:6]


def test_keys_round_trip_and_refuse_what_they_did_not_write():
    keys = [Proposal.support_count, Proposal.submitted_at, Proposal.id]
    from datetime import datetime

    values = (4, datetime(2026, 11, 30, 12, 5, 1, 250), 77)
    assert decode_key(encode_key(values), keys) == values
    deadline = [~Proposal.case_awaiting, Proposal.case_due_on, Proposal.id]
    assert decode_key(encode_key((False, date(2027, 1, 4), 9)), deadline) == (False, date(2027, 1, 4), 9)
    for text in (None, "", "4_x_77", "4_2026-11-30T12:05:01_77_1", "2_2027-01-04", "yes_2027-01-04_9"):
        assert decode_key(text, deadline if text and "2027" in text else keys) is None


@pytest.fixture
def answered(make_case, make_institution, make_staff, fixed_now, monkeypatch):
    """Seven answered public cases of one institution, four answered in the same second, three log entries a page."""
    from datetime import datetime

    from participation.cases import queries as case_queries
    from participation.cases.models import Position
    from participation.cases.services import answer_case

    monkeypatch.setattr(case_queries, "PER_PAGE", PER_PAGE)
    institution = make_institution()
    responder = make_staff(institution)
    for n in range(7):
        fixed_now(datetime(2026, 11, 20, 10, 0, min(n, 3)))
        answer_case(make_case(institution, title=f"Lieta {n}"), responder, Position.ACCEPTED, f"Atbilde {n}")
    db.session.commit()
    return institution


def _log_ids(html):
    return [int(i) for i in re.findall(r'<li class="app-entry[^"]*" id="response-(\d+)"', html)]


def test_the_response_log_pages_by_place_through_its_whole_length_and_back(client, answered):
    from participation.cases.models import Response

    expected = list(db.session.scalars(select(Response.id).where(Response.institution_id == answered.id)
                                       .order_by(Response.created_at.desc(), Response.id.desc())))
    assert len(expected) == 7
    url, pages = f"/institutions/{answered.slug}/log", []
    while url:
        response = client.get(url)
        html = response.get_data(as_text=True)
        pages.append(_log_ids(html))
        found = re.search(r'govuk-pagination__next">\s*<a class="govuk-link govuk-pagination__link" href="([^"]+)"', html)
        url = found.group(1).replace("&amp;", "&") if found else None
        if url and "page=2" in url:
            assert "after=" in url  # the second page is linked by place
    assert pages == [expected[0:3], expected[3:6], expected[6:7]]
    html = client.get(f"/institutions/{answered.slug}/log?page=3").get_data(as_text=True)
    assert _log_ids(html) == expected[6:7]
    back = re.search(r'govuk-pagination__prev">\s*<a class="govuk-link govuk-pagination__link" href="([^"]+)"', html).group(1)
    assert "before=" in back
    assert _log_ids(client.get(back.replace("&amp;", "&")).get_data(as_text=True)) == expected[3:6]


@pytest.fixture
def commented(make_consultation, make_user, monkeypatch):
    """Eight top-level comments (two highlighted, two off-topic) with a reply, three a page."""
    from participation.consultations import queries as consultation_queries
    from participation.consultations import services as consultation_services
    from participation.consultations.models import Comment

    monkeypatch.setattr(consultation_queries, "PER_PAGE", PER_PAGE)
    consultation = make_consultation(with_comment=False)
    author = make_user(name="Laura Ozola")
    made = [consultation_services.add_comment(consultation, author, f"Komentārs {n}.") for n in range(8)]
    consultation_services.add_comment(consultation, make_user(name="Jānis Liepa"), "Atbilde.", parent=made[0])
    for n, comment in enumerate(made):
        comment.highlighted = n in (2, 5)
        comment.off_topic = n in (0, 6)
    db.session.commit()
    expected = list(db.session.scalars(
        select(Comment.id).where(Comment.consultation_id == consultation.id, Comment.parent_id.is_(None))
        .order_by(Comment.highlighted.desc(), Comment.off_topic, Comment.id)))
    return consultation, expected


def _comment_ids(html):
    return [int(i) for i in re.findall(r'<li class="app-entry[^"]*" id="comment-(\d+)">', html)]


def test_the_comments_pages_follow_the_listing_order_by_place_and_back(client, commented):
    consultation, expected = commented
    assert len(expected) == 8
    url, pages = f"/consultations/{consultation.id}/comments", []
    while url:
        html = client.get(url).get_data(as_text=True)
        pages.append([i for i in _comment_ids(html) if i in expected])
        found = re.search(r'govuk-pagination__next">\s*<a class="govuk-link govuk-pagination__link" href="([^"]+)"', html)
        url = found.group(1).replace("&amp;", "&") if found else None
        if url and "page=2" in url:
            assert "after=" in url
    assert pages == [expected[0:3], expected[3:6], expected[6:8]]
    html = client.get(f"/consultations/{consultation.id}/comments?page=3").get_data(as_text=True)
    back = re.search(r'govuk-pagination__prev">\s*<a class="govuk-link govuk-pagination__link" href="([^"]+)"', html).group(1)
    assert "before=" in back
    assert [i for i in _comment_ids(client.get(back.replace("&amp;", "&")).get_data(as_text=True)) if i in expected] == expected[3:6]


def test_a_viewer_finds_their_own_waiting_comment_by_following_the_pager_and_by_its_address(client, login, commented):
    """The counters hold approved comments; the listing also shows the author their own comment waiting for a
    moderator, on the last page too, and the address the comment form sends them to holds it."""
    from participation.consultations import services as consultation_services
    from participation.consultations.models import Comment
    from participation.moderation.models import Moderation

    consultation, expected = commented
    author = db.session.get(Comment, expected[0]).author
    mine = consultation_services.add_comment(consultation, author, "Mans gaidošais komentārs.")
    mine.moderation = Moderation.PENDING  # as premoderation leaves it: not in the counter of approved comments
    consultation.comment_count -= 1
    db.session.commit()
    login(author)
    url, seen = f"/consultations/{consultation.id}/comments", []
    while url:
        html = client.get(url).get_data(as_text=True)
        seen += _comment_ids(html)
        found = re.search(r'govuk-pagination__next">\s*<a class="govuk-link govuk-pagination__link" href="([^"]+)"', html)
        url = found.group(1).replace("&amp;", "&") if found else None
    assert seen.count(mine.id) == 1 and set(expected) <= set(seen)
    last = client.get(f"/consultations/{consultation.id}/comments?page=3").get_data(as_text=True)
    assert mine.id in _comment_ids(last)


@pytest.mark.parametrize("total_off_by", [-2, -1, 1, 2])
def test_following_the_places_reaches_every_row_once_whatever_the_total_says(app, session, listed, total_off_by):
    """A filtered list's total may be a few seconds old (participation/cache.py): the pager's links follow places,
    so the walk neither loses nor repeats a row."""
    from participation.pages import load_models, page_by_keys
    from participation.pagination import pager_params

    keys, descending = queries.ORDERS["supported"]
    ids = select(Proposal.id).where(Proposal.institution_id == listed.id)
    expected = list(db.session.scalars(ids.order_by(*ORDERS["supported"]())))
    total = len(expected) + total_off_by
    page = page_by_keys(ids, keys, 1, PER_PAGE, load_models(Proposal), total, descending=descending)
    walked = [p.id for p in page.items]
    number = 1
    while page.next_after:
        with app.test_request_context():  # the pager links the next page by its place, the last one too
            assert "after=" in pager_params(page, "proposals.index", {})["next"]["href"]
        number += 1
        page = page_by_keys(ids, keys, number, PER_PAGE, load_models(Proposal), total, descending=descending,
                            after=page.next_after)
        walked += [p.id for p in page.items]
    assert walked == expected


def test_proposals_without_a_due_date_are_listed_last_and_reached_by_the_pager(client, listed):
    """None awaiting; four with a due date, four without: the second page starts after a dated one and goes on to
    those without (a row comparison with a NULL would leave them out)."""
    everyone = _expected(listed, "deadline")
    for n, proposal_id in enumerate(everyone):
        proposal = db.session.get(Proposal, proposal_id)
        proposal.case_awaiting = False
        if n >= 4:
            proposal.case_due_on = None
    db.session.commit()
    dated = list(db.session.scalars(select(Proposal.id).where(Proposal.institution_id == listed.id,
                                                                Proposal.case_due_on.is_not(None))
                                    .order_by(Proposal.case_due_on, Proposal.id)))
    url, walked = f"/proposals/?institution={listed.id}&sort=deadline", []
    while url:
        ids, links, _ = _read(client, url)
        walked += ids
        url = links["next"]
    assert walked == dated + sorted(everyone[4:])  # no date: last, by id


@pytest.mark.parametrize("sort", ["newest", "supported", "deadline", "comments"])
def test_a_keyed_page_is_read_in_index_order_without_sorting(app, session, client, listed, commented, sort):
    """Each order's keys match an index (the expressions as SQLAlchemy writes them for the database in use), so a
    page is read from it in order: no sort of the list's rows."""
    if sort == "comments":
        consultation, _ = commented
        url = f"/consultations/{consultation.id}/comments"
        marker = "FROM comments"
    else:
        url, marker = f"/proposals/?sort={sort}", "FROM proposals"
    _, links, _ = _read(client, url)
    seen = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().startswith("SELECT") and marker in statement and ") > (" in statement or ") < (" in statement:
            seen.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", listen)
    try:
        _read(client, links["next"])
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listen)
    (statement, parameters), = seen
    connection = db.session.connection()
    if app.config["DB_BACKEND"] == "postgresql":
        connection.exec_driver_sql("SET LOCAL enable_sort = off")
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        connection.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
        plan = "\n".join(row[0] for row in connection.exec_driver_sql("EXPLAIN " + statement, parameters))
        assert "Sort" not in plan and "Index" in plan, plan
    else:
        # SQLite's planner may prefer another index on a tiny table: name the list's index (an error if it cannot
        # serve the query, as when its expressions are not the query's) and read the plan.
        index = {"newest": "ix_proposals_listed_newest", "supported": "ix_proposals_listed_supported",
                 "deadline": "ix_proposals_listed_due", "comments": "ix_comments_listed"}[sort]
        forced = re.sub(r"FROM (proposals|comments)\b", rf"FROM \1 INDEXED BY {index}", statement, count=1)
        plan = "\n".join(str(row[-1]) for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + forced, parameters))
        assert "TEMP B-TREE" not in plan and index in plan, plan
