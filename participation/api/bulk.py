"""Bulk data: the response log, proposals and consultations' summary tables as streamed CSV and JSON Lines, for the
whole platform and per institution, and their DCAT-AP description (RDF/XML, as data.gov.lv's CKAN harvests it).

The rows are the API's items (`api.serialize`, dumped through `api.schemas`): a JSON Lines line is exactly what the API
sends for that item, a CSV row its flat columns. Files are written a batch at a time (keyset pages, a server-side
cursor for summary tables), so memory stays flat whatever the size. Column names are the API's field names in English
in both languages, so a script reads the same columns whoever downloaded the file. Licence: CC BY 4.0."""
import csv
import io
import json
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, abort, current_app, stream_with_context

from participation.api import queries, schemas, serialize
from participation.urls import absolute_url

bp = Blueprint("open_data", __name__, url_prefix="/open-data")

LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_NAME = "CC BY 4.0"
DATASETS = ("responses", "proposals", "summary-tables")
FORMATS = {"csv": "text/csv", "jsonl": "application/jsonl"}
BATCH = 500

_RESPONSE_COLUMNS = ["id", "case_id", "case_number", "case_title", "kind", "position", "effective_on", "text",
                     "institution", "institution_slug", "target_institution", "target_institution_slug", "author",
                     "created_at", "supersedes_id", "superseded_by_id", "url"]
_PROPOSAL_COLUMNS = ["id", "title", "problem", "solution", "benefit", "hidden", "hidden_reason", "territory", "topics",
                     "institution", "institution_slug", "examined_by_slug", "author", "group_id", "group", "submitted_at",
                     "support_count", "support_threshold", "collect_until", "merged_into", "case_id", "state", "position",
                     "due_on", "implemented_on", "url"]
_SUMMARY_COLUMNS = ["consultation_id", "consultation_title", "institution", "institution_slug", "comment_id", "number",
                    "section_id", "section", "submitter", "private_person", "represents", "group_id", "comment", "hidden",
                    "hidden_reason", "case_id", "state", "position", "reason"]


def _csv_safe(value) -> str:
    """A spreadsheet must not run a cell as a formula (CSV injection): such a cell starts with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _slug(ref: dict | None) -> str:
    return ref["slug"] if ref else ""


def _name(ref: dict | None) -> str:
    return ref["name"] if ref else ""


def _response_row(item: dict) -> list:
    return [item["id"], item["case_id"], item["case_number"], item["case_title"], item["kind"], item["position"],
            item["effective_on"], item["text"], _name(item["institution"]), _slug(item["institution"]),
            _name(item["target_institution"]), _slug(item["target_institution"]), item["author"], item["created_at"],
            item["supersedes"]["id"] if item["supersedes"] else None, item["superseded_by"], item["url"]]


def _proposal_row(item: dict) -> list:
    group = item["group"] or {}
    return [item["id"], item["title"], item["problem"], item["solution"], item["benefit"], item["hidden"],
            item["hidden_reason"], item["territory"], " ".join(item["topics"]), _name(item["institution"]),
            _slug(item["institution"]), _slug(item["examined_by"]), item["author"], group.get("id"), group.get("name"),
            item["submitted_at"], item["support_count"], item["support_threshold"], item["collect_until"],
            item["merged_into"], item["case_id"], item["state"], item["position"], item["due_on"], item["implemented_on"],
            item["url"]]


def _summary_row(item: dict) -> list:
    submitter = item["submitter"]
    group = submitter["group"] or {}
    return [item["consultation_id"], item["consultation_title"], _name(item["institution"]), _slug(item["institution"]),
            item["comment_id"], item["number"], item["section_id"], item["section"], submitter["name"],
            submitter["private_person"], submitter["represents"], group.get("id"), item["comment"], item["hidden"],
            item["hidden_reason"], item["case_id"], item["state"], item["position"], item["reason"]]


class SummaryRow(schemas.Position_):
    """A summary table's row in the bulk files: the row with its consultation."""

    consultation_id = schemas.fields.Integer(required=True)
    consultation_title = schemas.fields.String(required=True)
    institution = schemas.fields.Nested(schemas.InstitutionRef, required=True)


def _responses(institution_id):
    slugs = None
    for batch in queries.response_batches(institution_id, BATCH):
        if slugs is None:
            from participation.api.views import _slugs

            slugs = _slugs()
        yield [serialize.response(e, slugs) for e in batch]


def _proposals(institution_id):
    for batch in queries.proposal_batches(institution_id, BATCH):
        yield [serialize.proposal(p) for p in batch]


def _summary_tables(institution_id):
    for consultation in queries.consultations_with_summary(institution_id):
        extra = {"consultation_id": consultation.id, "consultation_title": consultation.title,
                 "institution": serialize.institution_ref(consultation.institution)}
        for batch in queries.summary_batches(consultation.id):
            yield [{**serialize.summary_row(c), **extra} for c in batch]


_SOURCES = {
    "responses": (_responses, schemas.Response(), _RESPONSE_COLUMNS, _response_row),
    "proposals": (_proposals, schemas.Proposal(), _PROPOSAL_COLUMNS, _proposal_row),
    "summary-tables": (_summary_tables, SummaryRow(), _SUMMARY_COLUMNS, _summary_row),
}


def _stream(dataset: str, fmt: str, institution_id: int | None, filename: str) -> Response:
    read, schema, columns, row = _SOURCES[dataset]

    def csv_lines():
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        yield "\ufeff" + out.getvalue()
        for batch in read(institution_id):
            out.seek(0)
            out.truncate()
            for item in schema.dump(batch, many=True):
                writer.writerow([_csv_safe(v) for v in row(item)])
            yield out.getvalue()

    def json_lines():
        for batch in read(institution_id):
            yield "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in schema.dump(batch, many=True))

    body = csv_lines() if fmt == "csv" else json_lines()
    return Response(stream_with_context(body), content_type=FORMATS[fmt] + "; charset=utf-8", headers={
        "Content-Disposition": f"attachment; filename={filename}.{fmt}",
        "Link": f'<{LICENCE_URL}>; rel="license"',
    })


@bp.route("/<any(responses, proposals, 'summary-tables'):dataset>.<any(csv, jsonl):fmt>")
def platform_file(dataset, fmt):
    return _stream(dataset, fmt, None, f"lidzdaliba-{dataset}")


@bp.route("/institutions/<string(maxlength=80):slug>/<any(responses, proposals, 'summary-tables'):dataset>.<any(csv, jsonl):fmt>")
def institution_file(slug, dataset, fmt):
    institution = queries.institution_by_slug(slug)
    if institution is None:
        abort(404)
    return _stream(dataset, fmt, institution.id, f"lidzdaliba-{slug}-{dataset}")


def bulk_links(slug: str | None = None) -> dict[str, str]:
    """The bulk files' addresses ("responses.csv": url, ...), of one institution or (no slug) of the platform."""
    links = {}
    for dataset in DATASETS:
        for fmt in FORMATS:
            if slug:
                links[f"{dataset}.{fmt}"] = absolute_url("open_data.institution_file", slug=slug, dataset=dataset, fmt=fmt)
            else:
                links[f"{dataset}.{fmt}"] = absolute_url("open_data.platform_file", dataset=dataset, fmt=fmt)
    return links


# --- DCAT-AP ------------------------------------------------------------------------------------------------------

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xml": "http://www.w3.org/XML/1998/namespace",
}
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/GOVE"
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
IANA = "https://www.iana.org/assignments/media-types/"

# Titles and descriptions in both languages (a catalogue carries every language it has, whatever the reader's).
DATASET_TEXTS = {
    "responses": ({"lv": "Atbilžu žurnāls", "en": "Response log"},
                  {"lv": "Katra iestādes atbilde, termiņa pagarinājums, pārsūtīšana, īstenošana un atteikums izskatīt, "
                         "ar labojumiem un to aizstātajām atbildēm.",
                   "en": "Every answer, deadline extension, forward, implementation and refusal to examine given by "
                         "institutions, with corrections and the answers they superseded."}),
    "proposals": ({"lv": "Priekšlikumi", "en": "Proposals"},
                  {"lv": "Publiskie iedzīvotāju un grupu priekšlikumi iestādēm ar atbalstītāju skaitu un atbildes stāvokli.",
                   "en": "Public proposals of residents and groups to institutions, with their support counts and the "
                         "state of their answer."}),
    "summary-tables": ({"lv": "Apspriešanu izziņas", "en": "Summary tables of consultations"},
                       {"lv": "Iestāžu viedoklis par katru apspriešanā saņemto komentāru un tā pamatojums.",
                        "en": "The institution's position on every comment received in a consultation, with its reason."}),
}


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


def _literal(parent, prefix: str, name: str, text: str, lang: str | None = None, datatype: str | None = None):
    element = ET.SubElement(parent, _q(prefix, name))
    element.text = text
    if lang:
        element.set(_q("xml", "lang"), lang)
    if datatype:
        element.set(_q("rdf", "datatype"), datatype)
    return element


def _resource(parent, prefix: str, name: str, uri: str):
    element = ET.SubElement(parent, _q(prefix, name))
    element.set(_q("rdf", "resource"), uri)
    return element


def _publisher(parent, name: str, uri: str) -> None:
    holder = ET.SubElement(parent, _q("dct", "publisher"))
    agent = ET.SubElement(holder, _q("foaf", "Agent"))
    agent.set(_q("rdf", "about"), uri)
    _literal(agent, "foaf", "name", name)


def _distribution(parent, url: str, fmt: str, title: str, lang: str | None) -> None:
    holder = ET.SubElement(parent, _q("dcat", "distribution"))
    distribution = ET.SubElement(holder, _q("dcat", "Distribution"))
    distribution.set(_q("rdf", "about"), url)
    _literal(distribution, "dct", "title", title, lang)
    _resource(distribution, "dcat", "accessURL", url)
    _resource(distribution, "dcat", "downloadURL", url)
    _resource(distribution, "dct", "format", EU_FILE_TYPE + ("CSV" if fmt == "csv" else "JSON"))
    _resource(distribution, "dcat", "mediaType", IANA + ("text/csv" if fmt == "csv" else "application/jsonl"))
    _resource(distribution, "dct", "license", LICENCE_URL)


def catalogue_rdf() -> bytes:
    """The DCAT-AP catalogue: one dataset per kind of data, with a CSV and a JSON Lines distribution for the whole
    platform and for each institution."""
    for prefix, uri in NS.items():
        if prefix != "xml":
            ET.register_namespace(prefix, uri)
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    page = absolute_url("api_pages.open_data")
    root = ET.Element(_q("rdf", "RDF"))
    catalogue = ET.SubElement(root, _q("dcat", "Catalog"))
    catalogue.set(_q("rdf", "about"), absolute_url("open_data.catalogue"))
    _literal(catalogue, "dct", "title", "Līdzdalība — atvērtie dati", "lv")
    _literal(catalogue, "dct", "title", "Līdzdalība — open data", "en")
    _literal(catalogue, "dct", "description", "Līdzdalības platformas publiskie dati: apspriešanas, priekšlikumi un "
                                              "iestāžu atbildes.", "lv")
    _literal(catalogue, "dct", "description", "The public data of the Līdzdalība participation platform: consultations, "
                                              "proposals and institutions' answers.", "en")
    _publisher(catalogue, "Līdzdalība", base + "/")
    _resource(catalogue, "foaf", "homepage", page)
    _resource(catalogue, "dct", "license", LICENCE_URL)
    _resource(catalogue, "dct", "language", EU_LANGUAGE + "LAV")
    _resource(catalogue, "dct", "language", EU_LANGUAGE + "ENG")
    institutions, _after = queries.institutions(None, 10_000)
    for dataset in DATASETS:
        titles, descriptions = DATASET_TEXTS[dataset]
        holder = ET.SubElement(catalogue, _q("dcat", "dataset"))
        item = ET.SubElement(holder, _q("dcat", "Dataset"))
        item.set(_q("rdf", "about"), f"{page}#{dataset}")
        _literal(item, "dct", "identifier", f"lidzdaliba-{dataset}")
        for lang in ("lv", "en"):
            _literal(item, "dct", "title", titles[lang], lang)
            _literal(item, "dct", "description", descriptions[lang], lang)
        _publisher(item, "Līdzdalība", base + "/")
        _resource(item, "dcat", "theme", EU_THEME)
        _resource(item, "dcat", "landingPage", page)
        _resource(item, "dct", "accrualPeriodicity", "http://publications.europa.eu/resource/authority/frequency/CONT")
        for keyword in ("līdzdalība", "sabiedrības līdzdalība", "participation", "open government"):
            _literal(item, "dcat", "keyword", keyword)
        for fmt in FORMATS:
            _distribution(item, absolute_url("open_data.platform_file", dataset=dataset, fmt=fmt), fmt,
                          f"{titles['lv']} ({fmt.upper()})", "lv")
            for institution in institutions:
                _distribution(item, absolute_url("open_data.institution_file", slug=institution.slug, dataset=dataset, fmt=fmt),
                              fmt, f"{titles['lv']}: {institution.name} ({fmt.upper()})", "lv")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


@bp.route("/catalog.rdf")
def catalogue():
    """The DCAT-AP description of every bulk file (RDF/XML), for data.gov.lv's harvester."""
    return Response(catalogue_rdf(), mimetype="application/rdf+xml")
