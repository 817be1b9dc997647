"""Property-based tests of every endpoint of the open-data API against its own OpenAPI description (schemathesis):
generated requests (valid and invalid parameters) go through the WSGI app, and every answer must match the
description (status codes, content type, the response schema) and never be a server error. A few items exist, so the
examples meet real rows as well as 404s. Bounded examples: the whole file runs in well under a minute per database."""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from participation.api.pages import DESCRIPTIONS
from participation.cases import services as case_services
from participation.cases.models import Position
from participation.consultations import services as consultations
from participation.institutions.models import StaffRole


@pytest.fixture
def api_schema(app, session, fixed_now, make_institution, make_staff, make_user, make_proposal, make_consultation, make_group):
    """The description the app serves, over a little content (its ids are the low ones the examples try first)."""
    institution = make_institution()
    staff = make_staff(institution, role=StaffRole.ADMIN)
    consultation = make_consultation(institution=institution)
    consultations.add_comment(consultation, make_user(name="Komentētāja"), "Vairāk koku.", consultation.versions[0].sections[0])
    proposal = make_proposal(institution=institution)
    first = case_services.answer_case(proposal.case, staff, Position.NOT_ACCEPTED, "Nē.")
    case_services.correct_response(first, staff, Position.ACCEPTED, "Labojums: jā.")
    make_group()
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("path", sorted(DESCRIPTIONS))
def test_every_endpoint_answers_as_described(api_schema, path, mode):
    """Valid requests get what the description promises (200 or a documented 404); invalid ones a documented 4xx;
    nothing ever a 500. (schemathesis' own pytest loader does not run under pytest 9 yet, so each operation's
    strategy is driven by hypothesis here.)"""
    operation = api_schema[path]["GET"]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=10, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        case.call_and_validate()

    run()
