"""The process page and a clause page run the same number of SQL queries for 10 and for 1,000 amendments (issue 16),
for a reader and for a signed-in resident; the amendments are written by participation/cocreation/bench.py, the
benchmark's own seeding."""
import itertools

from participation.accounts.models import User
from participation.cocreation.bench import seed_process
from participation.extensions import db

_serial = itertools.count()


def _people(n):
    """Many distinct authors (no password hashing), so a lazy load per row would show."""
    people = [User(email=f"cc{next(_serial)}@example.lv", display_name=f"Iedzīvotājs {i}", password_hash="x") for i in range(n)]
    db.session.add_all(people)
    db.session.commit()
    return [p.id for p in people]


def _counts(client, count_queries, urls):
    counts = []
    for url in urls:
        client.get(url)  # warm the caches (the signed-in user, the cached fragments)
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200, url
        counts.append(counter.count)
    return counts


def _pages(app, make_institution, amendments, ideas):
    institution = make_institution()
    authors = _people(min(amendments, 200))
    process_id, lineage = seed_process(db.session.connection(), institution.id, authors, amendments=amendments, ideas=ideas)
    db.session.commit()
    return [f"/cocreation/{process_id}", f"/cocreation/{process_id}/clauses/{lineage}",
            f"/cocreation/{process_id}/clauses/{lineage}?page=3"]


def test_process_and_clause_pages_run_fixed_queries_for_10_and_1000_amendments(app, client, login, count_queries,
                                                                            make_institution, make_user):
    small = _pages(app, make_institution, 10, 10)
    large = _pages(app, make_institution, 1000, 300)
    small_counts = _counts(client, count_queries, small[:2])
    large_counts = _counts(client, count_queries, large[:2])
    assert small_counts == large_counts, (small_counts, large_counts)
    login(make_user(name="Lasītāja"))
    signed_in_small = _counts(client, count_queries, small[:2])
    signed_in_large = _counts(client, count_queries, large)
    assert signed_in_small == signed_in_large[:2], (signed_in_small, signed_in_large)
    assert signed_in_large[2] == signed_in_large[1]  # a later page of amendments too
    page = client.get(large[1]).get_data(as_text=True)
    assert page.count('class="app-entry" id="amendment-') == app.config["PER_PAGE"]
