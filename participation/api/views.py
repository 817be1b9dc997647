"""The open-data API, `/api/v1/`: read-only JSON, one flask-smorest blueprint per resource (the OpenAPI description's
tags). Each view reads through `api.queries` (the pages' statements and permission functions) and builds its items
with `api.serialize`; flask-smorest dumps them through `api.schemas`."""
from flask import g, request
from flask_smorest import Blueprint, abort
from sqlalchemy import select

from participation.api import queries, schemas, serialize
from participation.api.schemas import encode_cursor
from participation.extensions import db
from participation.institutions.figures import institution_figures
from participation.institutions.models import Institution
from participation.urls import absolute_url

PREFIX = "/api/v1"

institutions_bp = Blueprint("api_institutions", __name__, url_prefix=PREFIX, description="Institutions and their figures.")
groups_bp = Blueprint("api_groups", __name__, url_prefix=PREFIX, description="Groups (youth councils, NGOs, residents' councils).")
consultations_bp = Blueprint("api_consultations", __name__, url_prefix=PREFIX,
                             description="Consultations, their sections, public comments and summary tables of positions.")
proposals_bp = Blueprint("api_proposals", __name__, url_prefix=PREFIX, description="Proposals with their support counts.")
cases_bp = Blueprint("api_cases", __name__, url_prefix=PREFIX,
                     description="Cases in the public log and the responses given, corrections included.")

BLUEPRINTS = (institutions_bp, groups_bp, consultations_bp, proposals_bp, cases_bp)
NOT_FOUND = {"description": "No such item, or not public."}


def _page(items: list, after: int | None, endpoint: str, **values) -> dict:
    """A page of a list with its next cursor, and the Link header that names the next page."""
    cursor = encode_cursor(after) if after else None
    following = None
    if cursor:
        args = {k: v for k, v in request.args.items() if k != "cursor"}
        following = absolute_url(endpoint, **values, **args, cursor=cursor)
        g.api_next = following
    return {"items": items, "next_cursor": cursor, "next": following}


def _institution_id(slug: str | None) -> int | None:
    """The institution a list is filtered by (404 for a slug no institution has)."""
    if slug is None:
        return None
    found = queries.institution_by_slug(slug)
    if found is None:
        abort(404, message="No such institution.")
    return found.id


def _slugs() -> dict[int, str]:
    """Institutions' slugs by id (a few dozen rows, one query): the log's rows name institutions by id and name."""
    return dict(db.session.execute(select(Institution.id, Institution.slug)).all())


# --- institutions ------------------------------------------------------------------------------------------------


@institutions_bp.route("/institutions", methods=["GET"])
@institutions_bp.arguments(schemas.ListArgs, location="query", as_kwargs=True)
@institutions_bp.response(200, schemas.InstitutionPage)
def institutions(limit, cursor=None):
    """Institutions, in the order they were added."""
    found, after = queries.institutions(cursor, limit)
    return _page([serialize.institution(i) for i in found], after, "api_institutions.institutions")


@institutions_bp.route("/institutions/<string(maxlength=80):slug>", methods=["GET"])
@institutions_bp.response(200, schemas.InstitutionDetail)
@institutions_bp.alt_response(404, description=NOT_FOUND["description"])
def institution(slug):
    """An institution and its accountability figures (as its page shows them), with links to its bulk files."""
    found = queries.institution_by_slug(slug)
    if found is None:
        abort(404)
    return serialize.institution_detail(found, institution_figures(found.id))


# --- groups ------------------------------------------------------------------------------------------------------


@groups_bp.route("/groups", methods=["GET"])
@groups_bp.arguments(schemas.ListArgs, location="query", as_kwargs=True)
@groups_bp.response(200, schemas.GroupPage)
def groups(limit, cursor=None):
    """Groups; one a moderator hid shows no name or description."""
    found, after = queries.groups(cursor, limit)
    return _page([serialize.group(i) for i in found], after, "api_groups.groups")


@groups_bp.route("/groups/<string(maxlength=80):slug>", methods=["GET"])
@groups_bp.response(200, schemas.Group)
@groups_bp.alt_response(404, description=NOT_FOUND["description"])
def group(slug):
    """A group."""
    found = queries.group_by_slug(slug)
    if found is None:
        abort(404)
    return serialize.group(found)


# --- consultations -----------------------------------------------------------------------------------------------


def _consultation_or_404(consultation_id: int):
    found = queries.consultation(consultation_id)
    if found is None:
        abort(404)
    return found


@consultations_bp.route("/consultations", methods=["GET"])
@consultations_bp.arguments(schemas.InstitutionListArgs, location="query", as_kwargs=True)
@consultations_bp.response(200, schemas.ConsultationPage)
@consultations_bp.alt_response(404, description="No such institution.")
def consultations(limit, cursor=None, institution=None):
    """Published consultations (never drafts), in the order they were created."""
    found, after = queries.consultations(cursor, limit, _institution_id(institution))
    from participation.consultations.queries import public_total

    return _page([serialize.consultation(c, public_total(c)) for c in found], after, "api_consultations.consultations")


@consultations_bp.route("/consultations/<int(max=2147483647):consultation_id>", methods=["GET"])
@consultations_bp.response(200, schemas.ConsultationDetail)
@consultations_bp.alt_response(404, description=NOT_FOUND["description"])
def consultation(consultation_id):
    """A published consultation."""
    from participation.consultations.queries import public_total

    found = _consultation_or_404(consultation_id)
    return serialize.consultation_detail(found, public_total(found), queries.summary_visible(found))


@consultations_bp.route("/consultations/<int(max=2147483647):consultation_id>/sections", methods=["GET"])
@consultations_bp.response(200, schemas.SectionList)
@consultations_bp.alt_response(404, description=NOT_FOUND["description"])
def sections(consultation_id):
    """The sections (clauses) of the draft's first version, with their public comment counts."""
    found = _consultation_or_404(consultation_id)
    found_sections = queries.sections(found)
    counts = queries.public_comment_counts(found, found_sections)
    return {"items": [serialize.section(s, found.id, counts.get(s.id, 0)) for s in found_sections]}


@consultations_bp.route("/consultations/<int(max=2147483647):consultation_id>/comments", methods=["GET"])
@consultations_bp.arguments(schemas.ListArgs, location="query", as_kwargs=True)
@consultations_bp.response(200, schemas.CommentPage)
@consultations_bp.alt_response(404, description=NOT_FOUND["description"])
def comments(consultation_id, limit, cursor=None):
    """Public top-level comments with their public replies, in the order received (hidden ones as a notice)."""
    found = _consultation_or_404(consultation_id)
    items, after = queries.comments(found.id, cursor, limit)
    return _page([serialize.comment(c, found.id) for c in items], after, "api_consultations.comments",
                 consultation_id=found.id)


@consultations_bp.route("/consultations/<int(max=2147483647):consultation_id>/summary-table", methods=["GET"])
@consultations_bp.arguments(schemas.ListArgs, location="query", as_kwargs=True)
@consultations_bp.response(200, schemas.SummaryTablePage)
@consultations_bp.alt_response(404, description=NOT_FOUND["description"])
def summary_table(consultation_id, limit, cursor=None):
    """The summary table (izziņa): the institution's position and reason on every comment. Its rows are public once no
    comment waits for a position, as on its page."""
    found = _consultation_or_404(consultation_id)
    published = queries.summary_visible(found)
    items, after = queries.summary_rows(found.id, cursor, limit) if published else ([], None)
    page = _page([serialize.summary_row(c) for c in items], after, "api_consultations.summary_table", consultation_id=found.id)
    return {"consultation_id": found.id, "published": published, "positions_waiting": found.positions_waiting,
            "csv": absolute_url("consultations.summary_csv", consultation_id=found.id) if published else None, **page}


# --- proposals ---------------------------------------------------------------------------------------------------


@proposals_bp.route("/proposals", methods=["GET"])
@proposals_bp.arguments(schemas.InstitutionListArgs, location="query", as_kwargs=True)
@proposals_bp.response(200, schemas.ProposalPage)
@proposals_bp.alt_response(404, description="No such institution.")
def proposals(limit, cursor=None, institution=None):
    """Public proposals (never drafts or those waiting for a moderator) with their support counts, oldest first."""
    found, after = queries.proposals(cursor, limit, _institution_id(institution))
    return _page([serialize.proposal(p) for p in found], after, "api_proposals.proposals")


@proposals_bp.route("/proposals/<int(max=2147483647):proposal_id>", methods=["GET"])
@proposals_bp.response(200, schemas.Proposal)
@proposals_bp.alt_response(404, description=NOT_FOUND["description"])
def proposal(proposal_id):
    """A public proposal."""
    found = queries.proposal(proposal_id)
    if found is None:
        abort(404)
    return serialize.proposal(found)


# --- cases and responses -----------------------------------------------------------------------------------------


@cases_bp.route("/cases", methods=["GET"])
@cases_bp.arguments(schemas.InstitutionListArgs, location="query", as_kwargs=True)
@cases_bp.response(200, schemas.CasePage)
@cases_bp.alt_response(404, description="No such institution.")
def cases(limit, cursor=None, institution=None):
    """Cases of the public log (held by the institution, if one is named), each with every response given on it."""
    found, after = queries.cases(cursor, limit, _institution_id(institution))
    entries = queries.responses_of_cases([c.id for c in found])
    slugs = _slugs()
    return _page([serialize.case(c, entries.get(c.id, []), slugs) for c in found], after, "api_cases.cases")


@cases_bp.route("/cases/<int(max=2147483647):case_id>", methods=["GET"])
@cases_bp.response(200, schemas.Case)
@cases_bp.alt_response(404, description=NOT_FOUND["description"])
def case(case_id):
    """A case of the public log with its responses."""
    found = queries.case(case_id)
    if found is None:
        abort(404)
    return serialize.case(found, queries.responses_of_cases([found.id])[found.id], _slugs())


@cases_bp.route("/responses", methods=["GET"])
@cases_bp.arguments(schemas.InstitutionListArgs, location="query", as_kwargs=True)
@cases_bp.response(200, schemas.ResponsePage)
@cases_bp.alt_response(404, description="No such institution.")
def responses(limit, cursor=None, institution=None):
    """The response log, oldest first: every public answer, extension, forward, implementation and refusal, each
    correction with the answer it supersedes. For an institution: by it or forwarded to it, as its log page."""
    found, after = queries.responses(cursor, limit, _institution_id(institution))
    slugs = _slugs()
    return _page([serialize.response(e, slugs) for e in found], after, "api_cases.responses")
