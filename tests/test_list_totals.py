"""List totals kept as counters with the rows (participation/counters.py, issue 17): the public proposal list's
"N proposals" and each institution's response log length, equal to the rows after every action that changes them,
and what the pages show."""
from sqlalchemy import func, select

from participation import counters
from participation.cases import services as cases
from participation.cases.models import Case, Position, Response
from participation.extensions import db
from participation.proposals import services as proposals
from participation.proposals.models import Moderation, Proposal, ProposalStatus


def _listed_rows() -> int:
    return db.session.scalar(select(func.count(Proposal.id)).where(
        Proposal.status == ProposalStatus.SUBMITTED, Proposal.moderation == Moderation.APPROVED,
        Proposal.merged_into_id.is_(None)))


def _log_rows(institution_id: int) -> int:
    public = select(Response.id).join(Case, Case.id == Response.case_id).where(Case.is_private.is_(False))
    own = db.session.scalar(select(func.count()).select_from(public.where(Response.institution_id == institution_id).subquery()))
    received = db.session.scalar(select(func.count()).select_from(
        public.where(Response.target_institution_id == institution_id).subquery()))
    return own + received


def _lines(institution_id: int) -> int:
    """The log's own index (counters.LogLine) holds exactly the public lines."""
    return db.session.scalar(select(func.count()).select_from(counters.LogLine)
                             .where(counters.LogLine.institution_id == institution_id))


def test_the_proposal_list_total_follows_drafts_submissions_moderation_and_merges(client, make_proposal, make_institution,
                                                                                  make_user):
    institution = make_institution()
    before = counters.value(counters.PROPOSALS_LISTED)
    assert before == _listed_rows()
    make_proposal(institution=institution, submit=False)  # a draft is not listed
    target = make_proposal(institution=institution, title="Soliņi parkā")
    duplicate = make_proposal(institution=institution, title="Soliņi parkā (atkārtoti)")
    assert counters.value(counters.PROPOSALS_LISTED) == _listed_rows() == before + 2
    proposals.merge(duplicate, target, make_user(is_moderator=True))
    assert counters.value(counters.PROPOSALS_LISTED) == _listed_rows() == before + 1
    duplicate_id = duplicate.id
    page = client.get("/proposals/").get_data(as_text=True)
    assert f"/proposals/{target.id}" in page and f'href="/proposals/{duplicate_id}"' not in page


def test_a_pending_proposal_is_counted_once_approved(make_proposal, make_institution):
    institution = make_institution()
    before = counters.value(counters.PROPOSALS_LISTED)
    proposal = make_proposal(institution=institution)
    proposal.moderation = Moderation.PENDING  # as pre-moderation leaves it
    db.session.commit()
    assert counters.value(counters.PROPOSALS_LISTED) == _listed_rows() == before
    proposal.moderation = Moderation.APPROVED
    db.session.commit()
    assert counters.value(counters.PROPOSALS_LISTED) == _listed_rows() == before + 1


def test_the_log_length_follows_answers_forwards_and_privacy(client, make_case, make_staff, make_institution):
    case = make_case()
    other = make_institution()
    staff = make_staff(case.institution)
    institution, institution_id = case.institution, case.institution_id
    assert counters.value(counters.log_name(institution_id)) == _log_rows(institution_id) == 0
    cases.forward_case(case, staff, other, "Pārsūtīts kompetentajai iestādei.")
    assert counters.value(counters.log_name(institution_id)) == _log_rows(institution_id)
    assert counters.value(counters.log_name(other.id)) == _log_rows(other.id)
    second = make_case(institution=institution)
    cases.answer_case(second, staff, Position.ACCEPTED, "Ņemts vērā.")
    expected = _log_rows(institution_id)
    assert counters.value(counters.log_name(institution_id)) == expected >= 1
    assert _lines(institution_id) == expected and _lines(other.id) == _log_rows(other.id) == 1
    second.is_private = True
    db.session.commit()
    assert counters.value(counters.log_name(institution_id)) == _log_rows(institution_id) == _lines(institution_id) == expected - 1
    second.is_private = False
    db.session.commit()
    assert counters.value(counters.log_name(institution_id)) == _log_rows(institution_id) == _lines(institution_id) == expected
    slug = institution.slug
    page = client.get(f"/institutions/{slug}/log").get_data(as_text=True)
    assert "Ņemts vērā." in page


def test_recount_sets_the_counters_from_the_rows(make_case, make_staff, make_proposal):
    case = make_case()
    cases.answer_case(case, make_staff(case.institution), Position.NOTED, "Pieņemts zināšanai.")
    make_proposal()
    db.session.execute(counters.Counter.__table__.update().values(value=999))
    counters.recount()
    db.session.commit()
    assert counters.value(counters.PROPOSALS_LISTED) == _listed_rows()
    assert counters.value(counters.log_name(case.institution_id)) == _log_rows(case.institution_id)


def test_a_proposal_keeps_a_copy_of_its_case_deadline_for_the_nearest_deadline_order(client, make_proposal, make_institution,
                                                                                     make_staff):
    institution = make_institution()
    answered = make_proposal(institution=institution, title="Atbildētais priekšlikums")
    waiting = make_proposal(institution=institution, title="Gaidošais priekšlikums")
    assert answered.case_awaiting and answered.case_due_on == answered.case.due_on
    cases.answer_case(answered.case, make_staff(institution), Position.ACCEPTED, "Ņemts vērā.")
    db.session.expire_all()
    stored = db.session.get(Proposal, answered.id)
    assert stored.case_awaiting is False and stored.case_due_on == stored.case.due_on
    page = client.get(f"/proposals/?sort=deadline&institution={institution.id}").get_data(as_text=True)
    assert page.index("Gaidošais priekšlikums") < page.index("Atbildētais priekšlikums")
    assert waiting.case_awaiting
