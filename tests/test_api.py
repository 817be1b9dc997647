"""The open-data API (/api/v1/, issue 19): what it sends equals what the public pages show, nothing hidden, pending,
draft or private reaches it, cursor pages, ETag and 304, CORS for GET, the per-client rate limit, the OpenAPI 3.1
description and the human page listing the endpoints. Runs on SQLite and PostgreSQL (the `app` fixture)."""
import html
import json
from datetime import datetime, timedelta

import pytest

from participation.api.pages import DESCRIPTIONS
from participation.cases import services as case_services
from participation.cases.models import Position
from participation.consultations import services as consultations
from participation.extensions import db
from participation.institutions.figures import institution_figures
from participation.institutions.models import StaffRole
from participation.moderation import services as moderation
from participation.moderation.models import HideReason, Moderation
from participation.proposals import services as proposal_services

# Words that must never reach the API: each sits only in something a signed-out reader may not read.
NEVER = {
    "hidden comment": "SLĒPTS-KOMENTĀRS",
    "answer quoting the hidden comment": "ATBILDE-PAR-SLĒPTO",
    "pending comment": "GAIDA-MODERATORU",
    "pending reply": "GAIDA-ATBILDE",
    "hidden proposal": "SLĒPTS-PRIEKŠLIKUMS",
    "pending proposal": "NEAPSTIPRINĀTS-PRIEKŠLIKUMS",
    "draft proposal": "MELNRAKSTA-PRIEKŠLIKUMS",
    "private case": "PRIVĀTA-LIETA",
    "hidden group": "SLĒPTA-GRUPA",
    "draft consultation": "NEPUBLICĒTA-APSPRIEŠANA",
}


@pytest.fixture
def world(app, session, fixed_now, make_user, make_institution, make_staff, make_group, make_case, make_proposal,
          make_consultation):
    """An institution with a closed consultation whose summary table is public (a shown comment with its answer, a
    hidden one whose answer quotes it, a reply waiting for a moderator), an open one with a pending comment, a draft
    consultation; public, hidden, pending and draft proposals; a public case answered and corrected; a private case;
    a hidden group."""
    start = datetime(2026, 3, 2, 9, 0)
    fixed_now(start)
    institution = make_institution(name="Rēzeknes novada pašvaldība")
    other = make_institution(name="Valmieras novada pašvaldība")
    staff = make_staff(institution, role=StaffRole.ADMIN, name="Olga Atbildētāja")
    moderator = make_user(name="Mārtiņš Moderators", is_moderator=True)
    resident = make_user(name="Anna Bērziņa")

    closed = make_consultation(institution=institution, with_comment=False)
    section = closed.versions[0].sections[0]
    shown = consultations.add_comment(closed, resident, "Lūdzu vairāk soliņu parkā.", section)
    hidden = consultations.add_comment(closed, make_user(name="Slēptais Autors"), f"Zvaniet {NEVER['hidden comment']}.")
    consultations.add_comment(closed, resident, "Piekrītu.", parent=shown)
    closed.premoderation = True
    db.session.commit()
    consultations.add_comment(closed, resident, NEVER["pending reply"], parent=shown)
    fixed_now(start + timedelta(days=25))
    assert consultations.process_closed(closed) == 2
    case_services.answer_case(shown.case, staff, Position.PARTLY_ACCEPTED, "Soliņus uzstādīsim pie bibliotēkas.")
    case_services.answer_case(hidden.case, staff, Position.NOTED, NEVER["answer quoting the hidden comment"])
    moderation.hide(hidden, moderator, HideReason.PERSONAL_DATA)
    db.session.refresh(closed)
    assert closed.positions_waiting == 0

    open_ = make_consultation(institution=institution, with_comment=False)
    open_.premoderation = True
    db.session.commit()
    consultations.add_comment(open_, resident, NEVER["pending comment"])

    draft_consultation = consultations.save_draft(institution, staff, {
        "title": NEVER["draft consultation"], "kind": "other", "policy_area": "governance", "territory": "",
        "official_name": "Ilze", "official_contact": "ilze@example.lv", "problem": "P.", "goal": "G.", "summary": "S."},
        "1. Punkts.")

    public = make_proposal(institution=institution, author=resident, title="Soliņi pie bibliotēkas")
    for n in range(3):
        proposal_services.support(public, make_user(name=f"Atbalstītājs {n}"))
    answered = make_proposal(institution=institution, title="Apgaismojums parkā")
    first = case_services.answer_case(answered.case, staff, Position.NOT_ACCEPTED, "Nav līdzekļu.")
    case_services.correct_response(first, staff, Position.ACCEPTED, "Labojums: līdzekļi atrasti.")
    hidden_proposal = make_proposal(institution=institution, title=NEVER["hidden proposal"])
    moderation.hide(hidden_proposal, moderator, HideReason.SPAM)
    pending_proposal = make_proposal(institution=institution, title=NEVER["pending proposal"])
    pending_proposal.moderation = Moderation.PENDING
    pending_proposal.case.is_private = True
    db.session.commit()
    draft = make_proposal(institution=institution, title=NEVER["draft proposal"], submit=False)
    private_case = make_case(institution=institution, title=NEVER["private case"], is_private=True)
    case_services.answer_case(private_case, staff, Position.NOTED, NEVER["private case"] + " atbilde")
    visible_group = make_group(name="Rēzeknes jauniešu dome")
    hidden_group = make_group(name=NEVER["hidden group"])
    with app.test_request_context():  # the group's moderation names its page
        moderation.hide(hidden_group, moderator, HideReason.ABUSE)
    other_proposal = make_proposal(institution=other, title="Valmieras priekšlikums")
    return {
        "institution": institution, "other": other, "closed": closed, "open": open_, "draft_consultation": draft_consultation,
        "shown": shown, "hidden": hidden, "public": public, "answered": answered, "hidden_proposal": hidden_proposal,
        "pending_proposal": pending_proposal, "draft": draft, "private_case": private_case, "group": visible_group,
        "hidden_group": hidden_group, "other_proposal": other_proposal, "moderator": moderator,
    }


def _get(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code, response.get_data(as_text=True)[:500])
    assert response.mimetype == "application/json"
    return response.get_json()


def _all(client, url) -> list[dict]:
    """Every item of a list, following the cursors one item at a time."""
    items, page, seen = [], _get(client, url + ("&" if "?" in url else "?") + "limit=1"), 0
    while True:
        items += page["items"]
        seen += 1
        assert seen < 200
        if not page["next"]:
            assert page["next_cursor"] is None
            return items
        page = _get(client, _path(page["next"]))


LISTS = ["/api/v1/institutions", "/api/v1/groups", "/api/v1/consultations", "/api/v1/proposals", "/api/v1/cases",
         "/api/v1/responses"]


def _everything(client, world) -> dict[str, str]:
    """The text of every API answer about the world's content."""
    closed, open_ = world["closed"], world["open"]
    urls = [*LISTS, f"/api/v1/consultations/{closed.id}", f"/api/v1/consultations/{closed.id}/sections",
            f"/api/v1/consultations/{closed.id}/comments", f"/api/v1/consultations/{closed.id}/summary-table",
            f"/api/v1/consultations/{open_.id}/comments", f"/api/v1/institutions/{world['institution'].slug}",
            f"/api/v1/groups/{world['hidden_group'].slug}", f"/api/v1/proposals/{world['hidden_proposal'].id}",
            f"/api/v1/cases/{world['answered'].case_id}", f"/api/v1/responses?institution={world['institution'].slug}",
            f"/api/v1/cases?institution={world['institution'].slug}"]
    out = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        out[url] = response.get_data(as_text=True)
    return out


# --- visibility -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("reader", ["anonymous", "moderator"])
def test_hidden_pending_draft_and_private_things_never_reach_the_api(client, login, world, reader):
    """Whoever asks (a moderator's cookie too: the API answers every request as a signed-out reader)."""
    if reader == "moderator":
        login(world["moderator"])
    answers = _everything(client, world)
    for url, body in answers.items():
        for what, word in NEVER.items():
            assert word not in body, f"{url} shows the {what}"
    # the control: the shown things are there, so the test can fail
    assert "Lūdzu vairāk soliņu parkā." in answers[f"/api/v1/consultations/{world['closed'].id}/comments"]
    assert "Soliņi pie bibliotēkas" in answers["/api/v1/proposals"]


def test_drafts_pending_and_private_items_are_not_found_by_id(client, world):
    for url in (f"/api/v1/consultations/{world['draft_consultation'].id}",
                f"/api/v1/consultations/{world['draft_consultation'].id}/comments",
                f"/api/v1/proposals/{world['pending_proposal'].id}", f"/api/v1/proposals/{world['draft'].id}",
                f"/api/v1/cases/{world['private_case'].id}", f"/api/v1/cases/{world['pending_proposal'].case_id}",
                f"/api/v1/cases/{world['hidden'].case_id}"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.get_json()["code"] == 404


def test_hidden_items_are_a_notice_without_their_text(client, world):
    closed, hidden = world["closed"], world["hidden"]
    comments = {c["id"]: c for c in _all(client, f"/api/v1/consultations/{closed.id}/comments")}
    assert comments[hidden.id]["hidden"] is True and comments[hidden.id]["text"] is None
    assert comments[hidden.id]["hidden_reason"] == "personal_data"
    rows = {r["comment_id"]: r for r in _get(client, f"/api/v1/consultations/{closed.id}/summary-table")["items"]}
    assert rows[hidden.id]["comment"] is None and rows[hidden.id]["position"] is None and rows[hidden.id]["reason"] is None
    proposal = _get(client, f"/api/v1/proposals/{world['hidden_proposal'].id}")
    assert proposal["hidden"] is True and proposal["title"] is None and proposal["problem"] is None
    assert proposal["hidden_reason"] == "spam" and proposal["case_id"] is None
    group = _get(client, f"/api/v1/groups/{world['hidden_group'].slug}")
    assert group["hidden"] is True and group["name"] is None and group["description"] is None


def test_the_summary_table_is_withheld_until_every_comment_has_a_position(client, world, make_user):
    closed = world["closed"]
    late = consultations.add_comment(world["open"], make_user(name="Vēlais"), "Vēl viens.")
    assert late.is_pending  # the open one is pre-moderated; its table waits too
    open_table = _get(client, f"/api/v1/consultations/{world['open'].id}/summary-table")
    assert open_table["published"] is (world["open"].positions_waiting == 0)
    closed.positions_waiting = 1
    db.session.commit()
    table = _get(client, f"/api/v1/consultations/{closed.id}/summary-table")
    assert table == {"consultation_id": closed.id, "published": False, "positions_waiting": 1, "csv": None, "items": [],
                     "next_cursor": None, "next": None}


# --- each item equals what its page shows ------------------------------------------------------------------------


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.get_data(as_text=True))


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_consultations_equal_their_pages(client, world):
    items = _all(client, "/api/v1/consultations")
    assert {c["id"] for c in items} == {world["closed"].id, world["open"].id}  # never the draft
    for item in items:
        page = _page(client, _path(item["url"]))
        assert item["title"] in page and item["summary"] in page and item["institution"]["name"] in page
        detail = _get(client, f"/api/v1/consultations/{item['id']}")
        assert {k: detail[k] for k in item} == item
    closed = world["closed"]
    sections = _get(client, f"/api/v1/consultations/{closed.id}/sections")["items"]
    assert [s["id"] for s in sections] == [s.id for s in closed.versions[0].sections]
    for s in sections:
        page = _page(client, _path(s["url"]))
        assert s["text"] in page
    assert sections[0]["comment_count"] == 1  # the shown comment; the hidden one was on the whole draft


def test_comments_equal_the_comments_page(client, world):
    closed = world["closed"]
    items = _all(client, f"/api/v1/consultations/{closed.id}/comments")
    page = _page(client, f"/consultations/{closed.id}/comments")
    assert [c["id"] for c in items] == sorted([world["shown"].id, world["hidden"].id])
    for item in items:
        assert item["number"] in page and f'id="comment-{item["id"]}"' in page
        if item["text"]:
            assert item["text"] in page
        if item["submitter"]["name"]:
            assert item["submitter"]["name"] in page
    shown = next(c for c in items if c["id"] == world["shown"].id)
    assert [r["text"] for r in shown["replies"]] == ["Piekrītu."]  # the reply waiting for a moderator is not there
    assert "Piekrītu." in page
    assert _path(shown["url"]).startswith(f"/consultations/{closed.id}/comments/{shown['id']}")


def test_the_summary_table_equals_its_page_and_csv(client, world):
    closed = world["closed"]
    table = _get(client, f"/api/v1/consultations/{closed.id}/summary-table")
    assert table["published"] is True and table["positions_waiting"] == 0
    page = _page(client, f"/consultations/{closed.id}/summary")
    exported = client.get(_path(table["csv"])).get_data(as_text=True)
    assert [r["comment_id"] for r in table["items"]] == sorted([world["shown"].id, world["hidden"].id])
    shown = next(r for r in table["items"] if r["comment_id"] == world["shown"].id)
    assert shown["position"] == "partly_accepted" and shown["reason"] == "Soliņus uzstādīsim pie bibliotēkas."
    assert shown["state"] == "answered" and shown["section"] in page
    for row in table["items"]:
        assert row["number"] in page and row["number"] in exported
        if row["reason"]:
            assert row["reason"] in page and row["reason"] in exported
        if row["comment"]:
            assert row["comment"] in page and row["comment"] in exported


def test_proposals_equal_their_pages(client, world):
    items = _all(client, "/api/v1/proposals")
    expected = {world[k].id for k in ("public", "answered", "hidden_proposal", "other_proposal")}
    assert {p["id"] for p in items} == expected
    for item in items:
        page = _page(client, _path(item["url"]))
        assert f"Priekšlikums nr. {item['id']}" in page
        if item["title"]:
            assert item["title"] in page and item["problem"] in page and item["solution"] in page
        assert item["institution"]["name"] in page
        assert _get(client, f"/api/v1/proposals/{item['id']}") == item
    public = next(p for p in items if p["id"] == world["public"].id)
    assert public["support_count"] == 3 and public["state"] == "open" and public["case_id"] == world["public"].case_id
    page = _page(client, f"/proposals/{public['id']}")
    assert "3 atbalstītāji" in page or "3 supporters" in page
    answered = next(p for p in items if p["id"] == world["answered"].id)
    assert answered["position"] == "accepted"  # the correction is the answer in force


def test_cases_and_responses_equal_their_pages_corrections_included(client, world):
    case_id = world["answered"].case_id
    case = _get(client, f"/api/v1/cases/{case_id}")
    kinds = [(r["kind"], r["position"], r["supersedes"] and r["supersedes"]["position"], r["superseded_by"]) for r in case["responses"]]
    first, correction = case["responses"]
    assert kinds == [("answer", "not_accepted", None, correction["id"]), ("answer", "accepted", "not_accepted", None)]
    page = _page(client, _path(case["url"]))
    assert case["number"] in page and case["title"] in page
    for response in case["responses"]:
        assert response["text"] in page and f'id="response-{response["id"]}"' in page
    log = _page(client, f"/institutions/{world['institution'].slug}/log")
    entries = _all(client, f"/api/v1/responses?institution={world['institution'].slug}")
    assert {e["id"] for e in entries} >= {first["id"], correction["id"]}
    for entry in entries:
        assert entry["text"] in log and entry["case_number"] in log
    assert {c["id"] for c in _all(client, "/api/v1/cases")} >= {case_id, world["public"].case_id}
    assert world["private_case"].id not in {c["id"] for c in _all(client, "/api/v1/cases")}


def test_institutions_and_their_figures_equal_their_pages(client, world):
    items = _all(client, "/api/v1/institutions")
    assert {i["slug"] for i in items} >= {world["institution"].slug, world["other"].slug}
    detail = _get(client, f"/api/v1/institutions/{world['institution'].slug}")
    figures = institution_figures(world["institution"].id)
    assert detail["figures"]["received"] == figures.received and detail["figures"]["answered"] == figures.answered
    assert detail["figures"]["overdue_now"] == figures.overdue_now
    page = _page(client, _path(detail["url"]))
    assert detail["name"] in page
    assert set(detail["bulk"]) == {f"{d}.{f}" for d in ("responses", "proposals", "summary-tables") for f in ("csv", "jsonl")}


def test_groups_equal_their_pages(client, world):
    items = {g["slug"]: g for g in _all(client, "/api/v1/groups")}
    group = items[world["group"].slug]
    page = _page(client, _path(group["url"]))
    assert group["name"] == world["group"].name and group["name"] in page and group["hidden"] is False
    hidden_page = _page(client, f"/groups/{world['hidden_group'].slug}")
    assert NEVER["hidden group"] not in hidden_page  # the page withholds the name as the API does


def test_a_list_filtered_by_institution(client, world):
    mine = _all(client, f"/api/v1/proposals?institution={world['other'].slug}")
    assert [p["id"] for p in mine] == [world["other_proposal"].id]
    response = client.get("/api/v1/proposals?institution=nav-tadas")
    assert response.status_code == 404 and response.get_json()["message"] == "No such institution."


# --- cursors, ETag, CORS, errors ------------------------------------------------------------------------------


def test_cursor_pages_give_every_item_once_in_order(client, world):
    one_by_one = _all(client, "/api/v1/proposals")
    whole = _get(client, "/api/v1/proposals?limit=100")
    assert whole["next_cursor"] is None and whole["items"] == one_by_one
    first = client.get("/api/v1/proposals?limit=2")
    body = first.get_json()
    assert first.headers["Link"] == f'<{body["next"]}>; rel="next"' and "cursor=" in body["next"]
    following = _get(client, f"/api/v1/proposals?limit=2&cursor={body['next_cursor']}")
    assert [p["id"] for p in body["items"] + following["items"]] == [p["id"] for p in one_by_one[:4]]


@pytest.mark.parametrize("query", ["cursor=nav", "cursor=12a", "cursor=1234567890", "cursor=" + "A" * 300, "limit=0", "limit=101",
                                   "limit=abc"])
def test_bad_list_arguments_are_a_clear_422(client, world, query):
    response = client.get(f"/api/v1/proposals?{query}")
    assert response.status_code == 422
    assert response.get_json()["code"] == 422 and response.get_json()["errors"]


def test_etag_and_if_none_match(client, world):
    first = client.get("/api/v1/proposals")
    etag = first.headers["ETag"]
    assert etag
    again = client.get("/api/v1/proposals", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    proposal_services.support(world["public"], world["moderator"])  # a change: the tag changes with the data
    changed = client.get("/api/v1/proposals", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_cors_for_get_without_credentials(client, world):
    response = client.get("/api/v1/consultations", headers={"Origin": "https://dati.example.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    preflight = client.options("/api/v1/consultations", headers={
        "Origin": "https://dati.example.org", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "If-None-Match"})
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Origin" not in client.get("/proposals/").headers  # the HTML pages are not opened up


def test_no_cookie_is_set_and_nothing_but_get_is_allowed(client, world):
    response = client.get("/api/v1/proposals")
    assert "Set-Cookie" not in response.headers
    assert client.post("/api/v1/proposals").status_code in (400, 405)  # CSRF refuses first, or the method is not there
    assert client.delete(f"/api/v1/proposals/{world['public'].id}").status_code in (400, 405)


def test_an_unknown_address_under_the_api_is_json(client):
    response = client.get("/api/v1/nav-tada-adrese")
    assert response.status_code == 404 and response.get_json()["code"] == 404


def test_the_api_reads_a_fixed_number_of_queries_whatever_the_size(client, world, count_queries, make_proposal, make_case):
    def counted(url):
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    urls = ["/api/v1/proposals?limit=50", "/api/v1/cases?limit=50", "/api/v1/responses?limit=50",
            f"/api/v1/consultations/{world['closed'].id}/comments?limit=50"]
    before = {url: counted(url) for url in urls}
    responder = _responder(world)
    for n in range(12):
        proposal = make_proposal(institution=world["institution"], title=f"Vēl viens {n}")
        case_services.answer_case(proposal.case, responder, Position.NOTED, f"Atbilde {n}.")
    after = {url: counted(url) for url in urls}
    assert after == before


def test_a_proposal_gone_between_the_pages_two_reads_does_not_end_the_list(client, make_proposal, make_institution,
                                                                          monkeypatch):
    """The proposals list chooses a page's ids, then reads their rows (api/queries.py): one that is hidden, withdrawn or
    refused in between leaves that page shorter, and the next cursor still leads on to the rest."""
    from participation.proposals import permissions as proposal_permissions

    institution = make_institution()
    proposals = [make_proposal(institution=institution, title=f"Priekšlikums {n}") for n in range(5)]
    ids = [p.id for p in proposals]
    gone = ids[1]
    allowed = proposal_permissions.can_view_proposal
    monkeypatch.setattr(proposal_permissions, "can_view_proposal", lambda viewer, p: p.id != gone and allowed(viewer, p))
    first = _get(client, f"/api/v1/proposals?institution={institution.slug}&limit=2")
    assert [item["id"] for item in first["items"]] == [ids[0]]
    assert first["next_cursor"] is not None
    seen, page = list(first["items"]), first
    while page["next"]:
        page = _get(client, _path(page["next"]))
        seen += page["items"]
    assert [item["id"] for item in seen] == [i for i in ids if i != gone]


def _responder(world):
    from participation.institutions.models import Membership

    membership = db.session.scalars(db.select(Membership).where(Membership.institution_id == world["institution"].id)).first()
    return membership.user


# --- rate limit -----------------------------------------------------------------------------------------------


def test_requests_are_limited_per_client(rate_limited_app):
    app = rate_limited_app(RATELIMIT_API="3 per minute")
    client = app.test_client()
    for _ in range(3):
        assert client.get("/api/v1/institutions", environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 200
    refused = client.get("/api/v1/institutions", environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert refused.status_code == 429
    assert refused.get_json()["code"] == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.headers["Access-Control-Allow-Origin"] == "*"  # a browser script can read why
    assert client.get("/open-data/proposals.csv", environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 429
    # another client is counted on its own
    assert client.get("/api/v1/institutions", environ_base={"REMOTE_ADDR": "10.0.0.2"}).status_code == 200
    # the HTML pages are not counted with the API
    assert client.get("/institutions/", environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 200


# --- the description and the human page -------------------------------------------------------------------------


def test_the_openapi_description_is_3_1_and_lists_every_endpoint(client, app):
    spec = _get(client, "/api/v1/openapi.json")
    assert spec["openapi"].startswith("3.1")
    assert spec["info"]["license"]["name"] == "CC BY 4.0"
    served = {rule.rule.replace("<", "{").replace(">", "}") for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("api_") and rule.endpoint.split(".")[0] != "api_pages"}
    described = set(spec["paths"])
    import re

    assert {re.sub(r"\{[^:}]+:", "{", path) for path in served} == described
    assert set(DESCRIPTIONS) == described  # the human page has words for each


@pytest.mark.parametrize("language", ["lv", "en"])
def test_the_human_page_lists_every_endpoint_in_both_languages(app, client, language):
    from flask_babel import force_locale, gettext

    client.get(f"/language/{language}")
    page = _page(client, "/api/")
    spec = client.get("/api/v1/openapi.json").get_json()
    with app.test_request_context(), force_locale(language):
        heading, described = gettext("Open-data API"), {path: str(text) for path, text in DESCRIPTIONS.items()}
    assert f'<html lang="{language}"' in page and f"<h1 class=\"govuk-heading-l\">{heading}</h1>" in page
    for path in spec["paths"]:
        assert f"GET</span> {path}</code>" in page, path
        assert described[path] in page, path
    assert "/api/v1/openapi.json" in page and "CC BY 4.0" in page
    json.dumps(spec)  # the description is plain JSON
