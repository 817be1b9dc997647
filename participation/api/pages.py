"""The human pages: the API's endpoints (read from the generated OpenAPI description, so the page lists what the code
serves) and the open-data page with the bulk files and the licence."""
from flask import Blueprint, current_app, render_template
from participation.i18n import lazy_gettext as _l

from participation.api import bulk, queries

bp = Blueprint("api_pages", __name__)

# What each endpoint gives, in the reader's language (tests/test_api.py checks that every path has one).
DESCRIPTIONS = {
    "/api/v1/institutions": _l("Institutions, in the order they were added."),
    "/api/v1/institutions/{slug}": _l("An institution and its accountability figures, with links to its bulk files."),
    "/api/v1/groups": _l("Groups (youth councils, NGOs, residents' councils); a group a moderator hid shows no name."),
    "/api/v1/groups/{slug}": _l("A group."),
    "/api/v1/consultations": _l("Published consultations, in the order they were created; ?institution= narrows them."),
    "/api/v1/consultations/{consultation_id}": _l("A consultation, with how many comments still wait for a position."),
    "/api/v1/consultations/{consultation_id}/sections": _l("The sections of the draft, with their public comment counts."),
    "/api/v1/consultations/{consultation_id}/comments": _l("Public comments with their replies; a hidden one as a notice without its text."),
    "/api/v1/consultations/{consultation_id}/summary-table": _l("The summary table: the institution's position and reason on every comment, once it is public."),
    "/api/v1/proposals": _l("Public proposals with their support counts and the state of their answer."),
    "/api/v1/proposals/{proposal_id}": _l("A public proposal."),
    "/api/v1/cases": _l("Cases in the public log, each with every response given on it."),
    "/api/v1/cases/{case_id}": _l("A case in the public log with its responses, corrections included."),
    "/api/v1/responses": _l("The response log, oldest first; a correction names the answer it supersedes."),
}

_TAG_TITLES = {
    "api_institutions": _l("Institutions"),
    "api_groups": _l("Groups"),
    "api_consultations": _l("Consultations"),
    "api_proposals": _l("Proposals"),
    "api_cases": _l("Cases and responses"),
}


def endpoints() -> list[tuple[str, list[dict]]]:
    """The described endpoints grouped by tag, in the description's order: (tag title, [{path, description,
    parameters}])."""
    api = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
    groups: dict[str, list[dict]] = {}
    for path, operations in api.spec.to_dict()["paths"].items():
        operation = operations.get("get")
        if operation is None:
            continue
        parameters = [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"]
        groups.setdefault(operation["tags"][0], []).append(
            {"path": path, "description": DESCRIPTIONS.get(path, operation.get("summary", "")), "parameters": parameters})
    return [(_TAG_TITLES.get(tag, tag), items) for tag, items in groups.items()]


@bp.route("/api/")
def index():
    return render_template("api/index.html", groups=endpoints(), base=current_app.config["PUBLIC_BASE_URL"].rstrip("/"))


@bp.route("/open-data/")
def open_data():
    institutions, _after = queries.institutions(None, 10_000)
    return render_template("api/open_data.html", institutions=institutions, datasets=bulk.DATASETS,
                           formats=tuple(bulk.FORMATS), licence_url=bulk.LICENCE_URL)


@bp.route("/api/v1/<path:rest>")
def unknown(rest):
    """An address under the API that names no endpoint: a JSON 404, as the API's other errors."""
    from flask import jsonify

    response = jsonify({"code": 404, "status": "Not Found", "message": "No such endpoint: see /api/v1/openapi.json."})
    response.status_code = 404
    return response
