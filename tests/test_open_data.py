"""Bulk data (issue 19): the response log, proposals and summary tables as streamed CSV and JSON Lines for the whole
platform and per institution, their DCAT-AP catalogue, the open-data page and its licence; nothing hidden, pending,
draft or private in any file. Runs on SQLite and PostgreSQL."""
import csv
import io
import json
from xml.etree import ElementTree as ET

import pytest

from participation.api.bulk import DATASETS, NS
from tests.test_api import NEVER, world  # noqa: F401  (the same content as the API's tests)

FILES = [(dataset, fmt) for dataset in DATASETS for fmt in ("csv", "jsonl")]


def _download(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.is_streamed  # written a batch at a time, not built in memory
    assert 'rel="license"' in response.headers["Link"] and "creativecommons.org/licenses/by/4.0" in response.headers["Link"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "attachment" in response.headers["Content-Disposition"]
    return response.get_data(as_text=True)


def _rows(text: str, fmt: str) -> list[dict]:
    if fmt == "csv":
        assert text.startswith("\ufeff")
        return list(csv.DictReader(io.StringIO(text[1:])))
    return [json.loads(line) for line in text.splitlines()]


@pytest.mark.parametrize("dataset,fmt", FILES)
def test_no_hidden_pending_draft_or_private_text_in_any_file(client, world, dataset, fmt):
    for url in (f"/open-data/{dataset}.{fmt}", f"/open-data/institutions/{world['institution'].slug}/{dataset}.{fmt}"):
        text = _download(client, url)
        for what, word in NEVER.items():
            assert word not in text, f"{url} holds the {what}"
        assert _rows(text, fmt), url  # the control: the files are not empty


def test_the_response_log_file_equals_the_api(client, world):
    from tests.test_api import _all

    api = _all(client, "/api/v1/responses")
    lines = _rows(_download(client, "/open-data/responses.jsonl"), "jsonl")
    assert lines == api  # one JSON Lines line is the API's item
    rows = _rows(_download(client, "/open-data/responses.csv"), "csv")
    assert [int(r["id"]) for r in rows] == [item["id"] for item in api]
    correction = next(r for r in rows if r["supersedes_id"])
    superseded = next(r for r in rows if r["id"] == correction["supersedes_id"])
    assert superseded["superseded_by_id"] == correction["id"] and correction["text"] == "Labojums: līdzekļi atrasti."


def test_per_institution_files_hold_only_that_institution(client, world):
    slug, other = world["institution"].slug, world["other"].slug
    mine = _rows(_download(client, f"/open-data/institutions/{other}/proposals.csv"), "csv")
    assert [int(r["id"]) for r in mine] == [world["other_proposal"].id]
    theirs = _rows(_download(client, f"/open-data/institutions/{slug}/proposals.jsonl"), "jsonl")
    assert world["other_proposal"].id not in {p["id"] for p in theirs} and world["public"].id in {p["id"] for p in theirs}
    public = next(p for p in theirs if p["id"] == world["public"].id)
    assert public["support_count"] == 3
    assert _rows(_download(client, f"/open-data/institutions/{other}/summary-tables.csv"), "csv") == []
    assert client.get("/open-data/institutions/nav-tadas/proposals.csv").status_code == 404


def test_summary_tables_file_withholds_a_hidden_comments_answer(client, world):
    rows = {int(r["comment_id"]): r for r in _rows(_download(client, "/open-data/summary-tables.csv"), "csv")}
    shown, hidden = rows[world["shown"].id], rows[world["hidden"].id]
    assert shown["position"] == "partly_accepted" and shown["reason"] == "Soliņus uzstādīsim pie bibliotēkas."
    assert shown["consultation_id"] == str(world["closed"].id) and shown["institution_slug"] == world["institution"].slug
    assert hidden["hidden"] == "true" and hidden["comment"] == "" and hidden["position"] == "" and hidden["reason"] == ""
    assert hidden["hidden_reason"] == "personal_data"


def test_a_cell_that_looks_like_a_formula_is_not_run(client, world, make_proposal):
    make_proposal(institution=world["institution"], title="=HYPERLINK(\"http://example.org\")")
    rows = _rows(_download(client, "/open-data/proposals.csv"), "csv")
    assert "'=HYPERLINK(\"http://example.org\")" in {r["title"] for r in rows}


def test_the_dcat_ap_catalogue(client, world):
    response = client.get("/open-data/catalog.rdf")
    assert response.status_code == 200 and response.mimetype == "application/rdf+xml"
    root = ET.fromstring(response.get_data())
    catalogue = root.find(f"{{{NS['dcat']}}}Catalog")
    assert catalogue is not None
    datasets = catalogue.findall(f"{{{NS['dcat']}}}dataset/{{{NS['dcat']}}}Dataset")
    assert len(datasets) == len(DATASETS)
    rdf_resource = f"{{{NS['rdf']}}}resource"
    institutions = 2
    for dataset in datasets:
        titles = {t.get(f"{{{NS['xml']}}}lang"): t.text for t in dataset.findall(f"{{{NS['dct']}}}title")}
        assert set(titles) == {"lv", "en"} and all(titles.values())
        distributions = dataset.findall(f"{{{NS['dcat']}}}distribution/{{{NS['dcat']}}}Distribution")
        assert len(distributions) == 2 * (1 + institutions)  # CSV and JSON Lines: the platform's and each institution's
        for distribution in distributions:
            url = distribution.find(f"{{{NS['dcat']}}}downloadURL").get(rdf_resource)
            assert distribution.find(f"{{{NS['dct']}}}license").get(rdf_resource) == "https://creativecommons.org/licenses/by/4.0/"
            path = "/" + url.split("://", 1)[1].split("/", 1)[1]
            assert client.get(path).status_code == 200, path  # every file it names is there
    assert catalogue.find(f"{{{NS['dct']}}}license").get(rdf_resource).endswith("/licenses/by/4.0/")


@pytest.mark.parametrize("language", ["lv", "en"])
def test_the_open_data_page_lists_the_files_and_the_licence(app, client, world, language):
    from flask_babel import force_locale, gettext

    client.get(f"/language/{language}")
    response = client.get("/open-data/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    with app.test_request_context(), force_locale(language):
        heading = gettext("Open data")
    assert f'<html lang="{language}"' in page and f'<h1 class="govuk-heading-l">{heading}</h1>' in page
    assert "CC BY 4.0" in page and 'rel="license"' in page
    for dataset, fmt in FILES:
        assert f'href="/open-data/{dataset}.{fmt}"' in page
        assert f'href="/open-data/institutions/{world["other"].slug}/{dataset}.{fmt}"' in page
    assert 'href="/open-data/catalog.rdf"' in page and 'href="/api/"' in page


def test_the_files_stream_in_batches(client, world, make_proposal, monkeypatch):
    """A file longer than a batch is written batch by batch (the keyset query read again for each)."""
    from participation.api import bulk

    monkeypatch.setattr(bulk, "BATCH", 2)
    for n in range(3):
        make_proposal(institution=world["institution"], title=f"Papildu {n}")
    response = client.get("/open-data/proposals.jsonl")
    chunks = [chunk if isinstance(chunk, bytes) else chunk.encode() for chunk in response.response]
    assert len([c for c in chunks if c]) == 4  # 7 proposals, 2 a batch
    assert len(_rows(b"".join(chunks).decode(), "jsonl")) == 7


def test_headers_name_the_type_once_and_leave_the_date_to_the_server(client):
    """One charset on a bulk file; no Date of the app's own on an API answer (the HTTP server adds the one Date)."""
    csv_file = client.get("/open-data/responses.csv")
    assert csv_file.headers["Content-Type"] == "text/csv; charset=utf-8"
    csv_file.close()
    answer = client.get("/api/v1/institutions")
    assert answer.status_code == 200 and "ETag" in answer.headers and "Date" not in answer.headers
