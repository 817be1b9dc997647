"""One search over everything (issue 19): words in any form, case and diacritics ignored, prefixes, typos; every kind
found; the filters; the snippet marks the match and escapes the text; the index follows every write and equals a
rebuild; a fixed number of queries. Visibility per kind is in tests/test_search_visibility.py."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from participation.cases import services as cases
from participation.cases.models import Position
from participation.clock import utcnow
from participation.consultations import services as consultations
from participation.extensions import db
from participation.feedback import services as feedback_services
from participation.institutions.models import StaffRole
from participation.moderation import services as moderation
from participation.search import indexing
from participation.search.models import SearchDocument


def search(client, q, **filters):
    response = client.get("/search", query_string={"q": q, **filters})
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def found(client, q, href, **filters) -> bool:
    return f'href="{href}"' in search(client, q, **filters)


@pytest.fixture
def felling(make_proposal, make_institution):
    institution = make_institution(name="Dabas aizsardzības pārvalde")
    return make_proposal(institution=institution, title="Aizliegt koku ciršanu parkā",
                         problem="Parkā nocirsti simtgadīgi ozoli.", solution="Apturēt ciršanu līdz izpētei.")


def test_any_form_of_a_word_finds_it_whatever_the_case_and_diacritics(client, felling):
    href = f"/proposals/{felling.id}"
    for query in ("ciršanu", "ciršana", "CIRŠANA", "cirsana", "Ozols", "ozoliem", "simtgad", "koki parks"):
        assert found(client, query, href), query
    assert not found(client, "bērzi", href)  # and another word does not


@pytest.mark.parametrize("query", ["%", "_", "*", '"', "NEAR(", "OR", "AND NOT", "^", "ciršana'--", "ciršana OR x"])
def test_operators_and_punctuation_are_no_syntax_and_never_fail(client, felling, query):
    """Operators of FTS5 and tsquery are plain words or nothing: no error, and no match-everything."""
    page = search(client, query)
    expected = "ciršana" in query and "OR x" not in query  # "x" is a word too: every word must match
    assert (f'href="/proposals/{felling.id}"' in page) == expected


def test_the_lists_search_boxes_use_the_same_search(client, felling, make_consultation):
    assert f'href="/proposals/{felling.id}"' in client.get("/proposals/", query_string={"q": "CIRŠANA"}).get_data(as_text=True)
    assert f'href="/proposals/{felling.id}"' not in client.get("/proposals/", query_string={"q": "%"}).get_data(as_text=True)
    consultation = make_consultation()
    page = client.get("/consultations/", query_string={"q": "SOLIŅU"}).get_data(as_text=True)
    assert f'href="/consultations/{consultation.id}"' in page
    page = client.get("/consultations/", query_string={"q": "%"}).get_data(as_text=True)
    assert f'href="/consultations/{consultation.id}"' not in page


def test_a_typo_is_forgiven_and_said_so(client, felling):
    page = search(client, "ciršamu ozoliem")
    assert f'href="/proposals/{felling.id}"' in page  # found by its words
    page = search(client, "simtgdīgi")  # a letter left out
    assert f'href="/proposals/{felling.id}"' in page
    assert "similar words" in page or "līdzīgi vārdi" in page


def test_every_kind_is_found_and_links_to_its_page(client, login, make_consultation, make_proposal, make_group, make_user,
                                                    make_staff, make_institution):
    institution = make_institution(name="Ventspils valstspilsētas pašvaldība")
    consultation = make_consultation(institution=institution)
    section = consultation.versions[0].sections[0]
    comment = consultations.add_comment(consultation, make_user(), "Vajag zvirbuļu būrīšus.")
    group = make_group(name="Kuldīgas jauniešu dome")
    group.description = "Mēs rūpējamies par skeitparku."
    proposal = make_proposal(institution=institution, title="Velosipēdu novietnes stacijā")
    responder = make_staff(institution, role=StaffRole.RESPONDER)
    response = cases.answer_case(proposal.case, responder, Position.ACCEPTED, "Novietnes uzstādīsim pavasarī.")
    institution.description = "Pašvaldība pie jūras."
    db.session.commit()
    expected = {
        "Saistošie noteikumi par soliņiem": f"/consultations/{consultation.id}",
        section.text.split()[-1]: f"/consultations/{consultation.id}/sections/{section.id}",
        "zvirbuļu": f"/consultations/{consultation.id}/comments/{comment.id}",
        "skeitparks": f"/groups/{group.slug}",
        "velosipēdi": f"/proposals/{proposal.id}",
        "uzstādīsim": f"/cases/{proposal.case.id}#response-{response.id}",
        "jūra": f"/institutions/{institution.slug}",
    }
    for query, href in expected.items():
        assert found(client, query, href), (query, href)


def test_published_website_feedback_is_found_and_its_emails_stay_masked(client, make_institution, make_staff, make_user,
                                                                        make_feedback):
    institution = make_institution()
    item = make_feedback(institution, "Grafiks neatveras, rakstiet anna@example.lv", ask_email=True)
    href = f"/feedback/{item.id}"
    assert not found(client, "grafiks", href)  # private feedback is not even indexed
    feedback_services.request_publication(item, make_staff(institution, role=StaffRole.RESPONDER))
    assert not found(client, "grafiks", href)  # waiting for a moderator
    moderation.approve(item, make_user(name="Moderatore", is_moderator=True))
    page = search(client, "grafiks")
    assert f'href="{href}"' in page and "anna@example.lv" not in page
    moderation.hide(item, make_user(name="Cits moderators", is_moderator=True), moderation.HideReason.PERSONAL_DATA)
    db.session.commit()
    assert not found(client, "grafiks", href)


def test_the_snippet_marks_the_match_and_escapes_the_text(client, make_proposal):
    proposal = make_proposal(title="Drošība", problem="<script>alert(1)</script> Bīstami gājēju pārejā pie skolas " + "vārds " * 80)
    page = search(client, "gājēji")
    assert f'href="/proposals/{proposal.id}"' in page
    assert "<mark>gājēju</mark>" in page
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


def test_filters_by_kind_institution_state_and_date(client, make_proposal, make_institution, make_user, make_staff, fixed_now):
    from datetime import datetime

    fixed_now(datetime(2026, 3, 10, 10, 0))
    here, there = make_institution(name="Cēsu novada pašvaldība"), make_institution(name="Valmieras novada pašvaldība")
    old = make_proposal(institution=here, title="Laukums ar strūklaku")
    fixed_now(datetime(2026, 5, 10, 10, 0))
    new = make_proposal(institution=there, title="Strūklaka tirgū")
    cases.answer_case(new.case, make_staff(there, role=StaffRole.RESPONDER), Position.NOTED, "Strūklaku pārbaudīsim.")
    db.session.commit()
    a, b = f"/proposals/{old.id}", f"/proposals/{new.id}"
    assert found(client, "strūklaka", a) and found(client, "strūklaka", b)
    assert found(client, "strūklaka", a, institution=here.id) and not found(client, "strūklaka", b, institution=here.id)
    assert found(client, "strūklaka", b, state="answered") and not found(client, "strūklaka", a, state="answered")
    assert found(client, "strūklaka", a, state="open") and not found(client, "strūklaka", b, state="open")
    assert not found(client, "strūklaka", b, kind="proposal", state="open")
    page = search(client, "strūklaka", kind="response")
    assert f'href="/cases/{new.case.id}#response-' in page and f'href="{b}"' not in page
    assert found(client, "strūklaka", b, date_from="2026-05-01") and not found(client, "strūklaka", a, date_from="2026-05-01")
    assert found(client, "strūklaka", a, date_to="2026-03-10") and not found(client, "strūklaka", b, date_to="2026-03-10")


def test_a_date_that_cannot_be_read_is_refused_with_a_message_at_the_field(client):
    response = client.get("/search", query_string={"q": "soliņi", "date_from": ["31", "2", "2026"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "govuk-error-summary" in page and 'href="#date_from-day"' in page
    assert 'value="31"' in page  # what was typed stays
    response = client.get("/search", query_string={"q": "soliņi", "date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert response.status_code == 400


def test_the_index_follows_writes_and_equals_a_rebuild(client, session, make_consultation, make_proposal, make_user, make_staff,
                                                       fixed_now):
    from participation.consultations.models import Comment

    consultation = make_consultation()
    make_proposal(title="Jauns tilts")
    proposal = make_proposal(title="Vecs tilts")
    proposal.title = "Salabots tilts"
    comment = db.session.scalars(select(Comment).where(Comment.consultation_id == consultation.id)).first()
    moderation.hide(comment, make_user(name="M", is_moderator=True), moderation.HideReason.SPAM)
    fixed_now(utcnow() + timedelta(days=40))  # after the close: a new version
    consultations.publish_version(consultation, make_staff(consultation.institution, role=StaffRole.EDITOR),
                                  "1. Jauni soliņi.\n2. Parki.\n3. Strūklakas.", "Trešais punkts.")
    db.session.commit()

    def documents():
        return sorted(tuple(getattr(d, c) for c in SearchDocument.COLUMNS)
                      for d in db.session.scalars(select(SearchDocument)))

    kept = documents()
    assert any(d[0] == "proposal" and d[12] == "Salabots tilts" for d in kept)
    assert not any(d[12] == "Vecs tilts" for d in kept)
    sections = [d for d in kept if d[0] == "section" and d[2] == consultation.id]
    assert len(sections) == 3  # the latest version's sections only
    indexing.rebuild(db.session.connection())
    assert documents() == kept
    assert any(d[0] == "comment" and d[1] == comment.id and d[5] == "hidden" for d in kept)
    assert found(client, "strūklakas", f"/consultations/{consultation.id}/sections/{sections[2][1]}")


def _many(make_proposal, institution, author, n):
    for i in range(n):
        make_proposal(institution=institution, author=author, title=f"Gājēju tilts {i}")


def test_the_search_page_runs_the_same_queries_for_few_and_many_results(client, login, count_queries, make_proposal,
                                                                         make_institution, make_user):
    institution, author = make_institution(), make_user()
    _many(make_proposal, institution, author, 3)

    def queries(q):
        client.get("/search", query_string={"q": q})
        with count_queries() as counter:
            assert client.get("/search", query_string={"q": q}).status_code == 200
        return counter.count

    few = queries("gājēju tilts")
    typo_few = queries("gājjēju")
    _many(make_proposal, institution, author, 30)
    assert queries("gājēju tilts") == few
    assert queries("gājjēju") == typo_few
    login(make_user(name="Lasītāja"))
    assert queries("gājēju tilts") == queries("gājēju tilts")


def test_the_institutions_list_searches_through_the_index(client, make_institution):
    institution = make_institution(name="Rēzeknes valstspilsētas pašvaldība")
    other = make_institution(name="Valsts ieņēmumu dienests")
    page = client.get("/institutions/", query_string={"q": "REZEKNE"}).get_data(as_text=True)
    assert f'href="/institutions/{institution.slug}"' in page and f'href="/institutions/{other.slug}"' not in page
    page = client.get("/institutions/", query_string={"q": "%"}).get_data(as_text=True)
    assert f'href="/institutions/{institution.slug}"' not in page
    page = client.get("/institutions/").get_data(as_text=True)
    assert f'href="/institutions/{institution.slug}"' in page and f'href="/institutions/{other.slug}"' in page


def test_a_deleted_row_leaves_the_index(session, make_proposal):
    draft = make_proposal(title="Dzēšams melnraksts", submit=False)
    key = ("proposal", draft.id)

    def indexed():
        return db.session.scalar(select(SearchDocument.id).where(SearchDocument.kind == key[0], SearchDocument.item_id == key[1]))

    assert indexed() is not None
    db.session.delete(draft)
    db.session.commit()
    assert indexed() is None


def test_a_new_row_is_indexed_without_deleting_first_where_ids_are_never_given_twice(session, count_queries, make_proposal):
    """PostgreSQL never gives an id twice, so a row new in a flush has no document to delete: one INSERT … SELECT.
    SQLite may give a deleted last row's id again, so there the old document is deleted first. A changed row's
    document is always deleted and written again."""
    def documents(title):
        return db.session.scalars(select(SearchDocument.item_id).where(SearchDocument.kind == "proposal",
                                                                      SearchDocument.title == title)).all()

    with count_queries() as new:
        proposal = make_proposal(title="Jauns soliņš parkā", submit=False)
    deletes = [s for s in new.statements if s.lstrip().upper().startswith("DELETE FROM SEARCH_DOCUMENTS")]
    if db.engine.dialect.name == "postgresql":
        assert deletes == []
    else:
        assert deletes
    assert documents("Jauns soliņš parkā") == [proposal.id]

    proposal.title = "Divi soliņi parkā"
    with count_queries() as changed:
        db.session.flush()
    assert [s for s in changed.statements if s.lstrip().upper().startswith("DELETE FROM SEARCH_DOCUMENTS")]
    assert documents("Jauns soliņš parkā") == [] and documents("Divi soliņi parkā") == [proposal.id]


def test_a_new_version_and_its_new_sections_flushed_together_are_indexed_once(session, open_consultation, monkeypatch):
    """Two sources of one kind write the same new rows' documents in one flush (a new version names its sections'
    documents, the new sections their own): each deletes first, so no document is written twice (the unique index
    would refuse the flush). The version's source is made to run first, the order that would write them twice."""
    from participation.consultations.models import DraftVersion, Section

    pending = indexing._pending_work

    def version_first(*args, **kwargs):
        work, gone, new = pending(*args, **kwargs)
        ordered = dict(sorted(work.items(), key=lambda item: indexing._own(
            indexing.registry.kind(item[0][0]).sources[item[0][1]])))
        return ordered, gone, new

    monkeypatch.setattr(indexing, "_pending_work", version_first)
    version = DraftVersion(consultation_id=open_consultation.id, number=len(open_consultation.versions) + 1)
    version.sections = [Section(position=1, number="1.", heading="", text="Jauns punkts par tiltu."),
                        Section(position=2, number="2.", heading="", text="Vēl viens punkts par ostu.")]
    db.session.add(version)
    db.session.flush()
    for section in version.sections:
        stored = db.session.scalars(select(SearchDocument.body).where(SearchDocument.kind == "section",
                                                                      SearchDocument.item_id == section.id)).all()
        assert stored == [section.text]


def test_each_page_statement_is_built_once_and_every_reader_still_gets_their_own_rules(client, login, make_proposal,
                                                                                       make_user):
    """The page's statement is built once per shape (who reads, which filters) and reused with the words, the reader's
    id and the filters as parameters: the next reader of the same kind finds only what they may, whoever searched
    before them."""
    from participation.moderation import services as moderation
    from participation.moderation.models import HideReason
    from participation.search import services as search_services

    author, other = make_user(name="Autore"), make_user(name="Cits lasītājs")
    proposal = make_proposal(author=author, title="Rotaļu laukums pie skolas", problem="Zvaniet: 29990001.")
    moderation.hide(proposal, make_user(name="Moderatore", is_moderator=True), HideReason.PERSONAL_DATA)
    db.session.commit()
    href = f"/proposals/{proposal.id}"

    login(author)
    assert found(client, "29990001", href)  # the author finds their own hidden proposal
    built = search_services._page_statement.cache_info()
    client.post("/account/logout")
    login(other)
    assert not found(client, "29990001", href)  # another signed-in reader, the same statement: not found
    assert not found(client, "rotaļu laukums", href, state="open")
    assert search_services._page_statement.cache_info().hits > built.hits  # built before, reused
    client.post("/account/logout")
    login(author)
    assert found(client, "rotaļu laukums", href, state="open")  # the filter's statement, the author's id again
    client.post("/account/logout")
    assert not found(client, "29990001", href)  # signed out
    login(make_user(name="Moderators", is_moderator=True))
    assert found(client, "29990001", href)  # a moderator reads hidden text ...
    client.post("/account/logout")
    login(other)
    assert not found(client, "29990001", href)  # ... and the next signed-in reader still does not


def test_postgresql_stems_words_as_the_python_side_does(committed_app):
    """The documents' stems are made by the database (search_stems, migration 0019), a query's by words.py for the
    prefixes and the marks: the two must agree, or an inflection would be missed."""
    from sqlalchemy import text

    from participation.search import words

    sample = ("Aizliegt koku ciršanu parkā ciršana ozoliem simtgadīgi kokiem ziem lielajam galdos dzīvei suņi suns soliņus "
              "bibliotēkās apgaismojumu pārejas periods velojoslas jauniešu finansējumu termiņš rotaļu ābeles ūdens "
              "ģimene Ķemeri ļoti šķirošana Žīgurs ielām ielās gājēju 29999123 mājām zemei Saeimas 2026. gada 1. martā "
              "kajam ziem suns lielajai baltajos zaļajas kas ko 123a e-pasts jūs vai_tā")
    with committed_app.app_context():
        stems = words.WORD.findall(db.session.scalar(text("SELECT search_stems(:t)"), {"t": sample}))
    assert stems == [words.stem(w) for w in words.WORD.findall(words.fold(sample))]


def test_a_draft_whose_text_is_rewritten_is_found_by_its_new_sections_only(session, make_institution, make_staff):
    from participation.consultations.models import Consultation

    institution = make_institution()
    editor = make_staff(institution, role=StaffRole.EDITOR)
    fields = {"title": "Noteikumi par tirgiem", "kind": "municipal_regulation", "policy_area": "governance",
              "territory": "Rēzeknes novads", "official_name": "Ilze", "official_contact": "ilze@example.lv",
              "problem": "Tirgi.", "goal": "Kārtība.", "summary": "Tirgus kārtība."}
    consultation = consultations.save_draft(institution, editor, fields, "1. Tirgus notiek sestdienās.\n2. Kartupeļi.")
    consultations.save_draft(institution, editor, fields, "1. Tirgus notiek svētdienās.", consultation=db.session.get(
        Consultation, consultation.id))
    db.session.commit()
    bodies = list(db.session.scalars(select(SearchDocument.body).where(SearchDocument.kind == "section",
                                                                       SearchDocument.parent_id == consultation.id)))
    assert bodies == ["Tirgus notiek svētdienās."]


def test_a_common_word_ranks_the_newest_matches_and_says_how_to_reach_older_ones(client, monkeypatch, make_proposal,
                                                                                  make_institution, make_user, fixed_now):
    """More matches than the search ranks (CAP, 300; 4 here), among fewer documents than RECENT: the ranked ones are the
    newest, not the first the index yields (the oldest), and the page says that dates reach the older ones."""
    from datetime import datetime

    from participation.search import services as search_services

    monkeypatch.setattr(search_services, "CAP", 4)
    institution, author = make_institution(), make_user()
    made = []
    for month in range(1, 10):
        fixed_now(datetime(2026, month, 10, 9, 0))
        made.append(make_proposal(institution=institution, author=author, title=f"Gājēju tilts {month}"))
    page = search(client, "tilts")
    assert f'href="/proposals/{made[-1].id}"' in page  # the newest
    assert f'href="/proposals/{made[0].id}"' not in page  # the oldest is past the ranked window
    assert any(words in page for words in ("Only the first 4 found are ranked", "Sakārtoti ir tikai pirmie 4 atrastie"))
    older = search(client, "tilts", date_to="2026-02-28")  # ... and the date filter reaches it
    assert f'href="/proposals/{made[0].id}"' in older


def test_the_newest_documents_are_searched_first_and_older_ones_are_still_found(client, monkeypatch, make_proposal,
                                                                              make_institution, make_user, fixed_now):
    """At national scale the matches among the newest RECENT documents (10,000; 3 here) are read first, through the date
    index; a word found only in older documents is still found (PostgreSQL reads those through the full-text index),
    and a document dated exactly at the cutoff is found once."""
    from datetime import datetime

    from participation.search import services as search_services

    monkeypatch.setattr(search_services, "RECENT", 3)
    monkeypatch.setattr(search_services, "CAP", 4)
    fixed_now(datetime(2026, 1, 1, 9, 0))
    institution, author = make_institution(), make_user()
    old, new = [], []
    for month in range(1, 6):
        fixed_now(datetime(2026, month, 10, 9, 0))
        old.append(make_proposal(institution=institution, author=author, title=f"Koka tilts {month}"))
    fixed_now(datetime(2026, 6, 10, 9, 0))  # two at the same moment: the fourth newest is the cutoff
    at_cutoff = [make_proposal(institution=institution, author=author, title=f"Upes tilts {n}") for n in (1, 2)]
    for month in range(7, 10):
        fixed_now(datetime(2026, month, 10, 9, 0))
        new.append(make_proposal(institution=institution, author=author, title=f"Gājēju tilts {month}"))

    def shown(page, proposal):
        return page.count(f'href="/proposals/{proposal.id}"')

    page = search(client, "tilts")
    assert all(shown(page, p) == 1 for p in new)  # the three newest documents, once each
    assert "More than 4 results" in page or "Vairāk nekā 4" in page
    page = search(client, "koka")  # in none of the newest three
    assert sum(shown(page, p) for p in old) == 5 and not any(shown(page, p) for p in new)
    page = search(client, "upes")  # dated at the cutoff: in the older part only
    assert [shown(page, p) for p in at_cutoff] == [1, 1]


def test_a_typo_in_a_short_word_is_forgiven_on_both_databases(client, make_proposal):
    """PostgreSQL picks the words a typo might be with pg_trgm (a similarity of 0.25 for one letter in a four-letter
    stem: "skil" to "skol"), SQLite by the first letters; words.near decides on both."""
    school = make_proposal(title="Jauna skola ciemā")
    assert f'href="/proposals/{school.id}"' in search(client, "skila")


def test_a_search_leaves_the_request_read_only(app, make_proposal):
    """Its settings are SELECTs (set_config), so a request that only searched still ends with COMMIT and keeps the
    connection's prepared statements (participation/transactions.py)."""
    from participation import transactions
    from participation.search import services as search_services

    make_proposal(title="Gājēju tilts")
    with app.test_request_context("/search"):
        db.session.info.pop(transactions.WROTE, None)
        db.session.connection().info.pop(transactions.WROTE, None)
        assert transactions.read_only(db.session())
        from flask_login import AnonymousUserMixin

        assert search_services.search("tilts", AnonymousUserMixin()).total == 1
        assert transactions.read_only(db.session())


def test_the_typo_words_hold_public_words_only_and_forget_what_went(session, make_proposal, make_user):
    """PostgreSQL's table of stems for typos (migration 0020) takes public documents' words only, and its nightly refresh
    drops the words of a document no longer public. (SQLite's FTS5 vocabulary follows its index, where an author still
    finds their own draft: what is said here is PostgreSQL's.)"""
    from sqlalchemy import text

    from participation.moderation.models import HideReason

    postgresql = db.session.get_bind().dialect.name == "postgresql"
    make_proposal(title="Slepenzaķis melnrakstā", submit=False)
    shown = make_proposal(title="Atklātlācis parkā")

    def words_now():
        if postgresql:
            return set(db.session.scalars(text("SELECT word FROM search_words")))
        return set(db.session.scalars(text("SELECT term FROM search_fts_vocab")))

    assert any(w.startswith("atklatlac") for w in words_now())
    if postgresql:
        assert not any(w.startswith("slepenzak") for w in words_now())
    moderation.hide(shown, make_user("Moderatore", is_moderator=True), HideReason.PERSONAL_DATA)
    indexing.refresh_words(db.session.connection())
    if postgresql:
        assert not any(w.startswith("atklatlac") for w in words_now())
        assert indexing.refresh_words(db.session.connection()) == len(words_now())  # and no word twice


def test_the_kept_filters_show_each_search_its_own_choices_and_typed_dates(app, client, monkeypatch):
    """The filters besides the words are kept per language and choices (search.views._filters_html): each search still
    shows its own choices checked, and a typed date is never replaced by another reader's form."""
    import re

    monkeypatch.setitem(app.config, "COUNT_CACHE_SECONDS", 30)

    def checked(page, kind):
        return re.search(rf'value="{kind}"[^>]*checked', page) is not None

    page = search(client, "tilts", kind="proposal")
    assert checked(page, "proposal") and not checked(page, "comment")
    page = search(client, "tilts", kind="comment")
    assert checked(page, "comment") and not checked(page, "proposal")
    page = search(client, "tilts")
    assert not checked(page, "comment") and not checked(page, "proposal")
    page = search(client, "tilts", date_from=["7", "3", "2026"])
    assert 'value="7"' in page and 'value="2026"' in page
    assert 'value="7"' not in search(client, "tilts")
