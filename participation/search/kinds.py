"""The kinds of things one search finds, each read from its own tables as search documents (set-based SQL: the same
statement fills the index from scratch and refreshes a few rows after a write)."""
from flask import url_for
from participation.i18n import lazy_gettext as _l
from sqlalchemy import DateTime, Integer, case, cast, func, literal_column, null, select
from sqlalchemy.orm import aliased

from participation.cases.models import AWAITING_STATES, Case, CaseState, Response
from participation.consultations.models import Comment, Consultation, DraftVersion, Section
from participation.feedback.masking import mask_emails
from participation.feedback.models import Feedback, Publication, Site
from participation.groups.models import Group
from participation.institutions.models import Institution
from participation.moderation.models import Moderation
from participation.proposals.models import Proposal, ProposalStatus
from participation.search.models import SearchDocument, Visibility
from participation.search.registry import Kind, Source, register


def text(value: str):
    """A constant string in the statement itself (no parameter whose type PostgreSQL would have to guess)."""
    return literal_column("'" + value.replace("'", "''") + "'")


def joined(*parts):
    """Texts joined by a space, in SQL (|| on both databases)."""
    result = parts[0]
    for part in parts[1:]:
        result = result + text(" ") + part
    return result


def document(kind: str, **columns):
    """The columns of a search document in SearchDocument.COLUMNS order; what a kind leaves out is empty."""
    empty = {"parent_id": cast(null(), Integer), "ref": text(""), "institution_id": cast(null(), Integer),
             "visibility": text(Visibility.PUBLIC), "author_id": cast(null(), Integer), "state": text(""),
             "happened_at": cast(null(), DateTime), "open_from": cast(null(), DateTime), "open_until": cast(null(), DateTime),
             "context": text(""), "title": text(""), "body": text("")}
    values = {"kind": text(kind), **empty, **columns}
    return [values[name].label(name) for name in SearchDocument.COLUMNS]


def moderated(model, otherwise=None):
    """Hidden and pending contributions are found only by moderators and their authors."""
    whens = [(model.hidden_at.is_not(None), text(Visibility.HIDDEN)), (model.moderation == Moderation.PENDING, text(Visibility.PENDING))]
    if otherwise is not None:
        whens.append(otherwise)
    return case(*whens, else_=text(Visibility.PUBLIC))


def case_state(state_column):
    return case((state_column.in_([s.value for s in AWAITING_STATES]), text("awaiting")),
                (state_column.in_([CaseState.ANSWERED.value, CaseState.NOT_EXAMINED.value]), text("answered")), else_=text(""))


# --- consultations, their sections and comments ----------------------------------------------------------------------

def _consultations():
    return select(*document(
        "consultation", item_id=Consultation.id, institution_id=Consultation.institution_id,
        visibility=case((Consultation.published_at.is_(None), text(Visibility.EDITORS)), else_=text(Visibility.PUBLIC)),
        happened_at=func.coalesce(Consultation.published_at, Consultation.created_at),
        open_from=Consultation.opens_at, open_until=Consultation.closes_at,
        title=Consultation.title, body=joined(Consultation.summary, Consultation.problem, Consultation.goal),
    ))


def _sections():
    """The sections of each consultation's latest version (earlier versions stay on their own pages)."""
    later = aliased(DraftVersion)
    latest = select(func.max(later.number)).where(later.consultation_id == DraftVersion.consultation_id).scalar_subquery()
    return (select(*document(
        "section", item_id=Section.id, parent_id=DraftVersion.consultation_id, institution_id=Consultation.institution_id,
        visibility=case((Consultation.published_at.is_(None), text(Visibility.EDITORS)), else_=text(Visibility.PUBLIC)),
        happened_at=func.coalesce(Consultation.published_at, Consultation.created_at),
        open_from=Consultation.opens_at, open_until=Consultation.closes_at, context=Consultation.title,
        title=joined(Section.number, Section.heading), body=Section.text))
        .select_from(Section).join(DraftVersion, DraftVersion.id == Section.version_id)
        .join(Consultation, Consultation.id == DraftVersion.consultation_id)
        .where(DraftVersion.number == latest))


def _comments():
    return (select(*document(
        "comment", item_id=Comment.id, parent_id=Comment.consultation_id, institution_id=Consultation.institution_id,
        visibility=moderated(Comment, (Consultation.published_at.is_(None), text(Visibility.EDITORS))),
        author_id=Comment.author_id, state=case_state(Case.state), happened_at=Comment.created_at,
        context=Consultation.title, body=Comment.text))
        .select_from(Comment).join(Consultation, Consultation.id == Comment.consultation_id)
        .outerjoin(Case, Case.id == Comment.case_id))


# --- proposals, institutions, groups ---------------------------------------------------------------------------------

def _proposals():
    return (select(*document(
        "proposal", item_id=Proposal.id, institution_id=Proposal.institution_id,
        visibility=case((Proposal.status == ProposalStatus.DRAFT, text(Visibility.OWN)),
                        (Proposal.hidden_at.is_not(None), text(Visibility.HIDDEN)),
                        (Proposal.moderation == Moderation.PENDING, text(Visibility.PENDING)), else_=text(Visibility.PUBLIC)),
        author_id=Proposal.author_id, state=case_state(Case.state),
        happened_at=func.coalesce(Proposal.submitted_at, Proposal.created_at),
        title=Proposal.title, body=joined(Proposal.problem, Proposal.solution, Proposal.benefit)))
        .select_from(Proposal).outerjoin(Case, Case.id == Proposal.case_id))


def _institutions():
    return select(*document(
        "institution", item_id=Institution.id, ref=Institution.slug, institution_id=Institution.id,
        happened_at=Institution.created_at, title=Institution.name, body=Institution.description))


def _groups():
    return select(*document(
        "group", item_id=Group.id, ref=Group.slug, visibility=moderated(Group), author_id=Group.leader_id,
        happened_at=Group.created_at, title=Group.name, body=Group.description))


# --- the response log and published website feedback -----------------------------------------------------------------

def _responses():
    """Every response in the log, corrections included; a private case's only for its institution's staff and who
    raised it (a hidden or pending contribution makes its case private: cases/moderation hooks)."""
    return (select(*document(
        "response", item_id=Response.id, parent_id=Response.case_id, institution_id=Case.institution_id,
        visibility=case((Case.is_private.is_(True), text(Visibility.STAFF)), else_=text(Visibility.PUBLIC)),
        author_id=Case.raised_by_id, state=case_state(Case.state), happened_at=Response.created_at,
        title=Case.title, body=Response.text))
        .select_from(Response).join(Case, Case.id == Response.case_id))


def _feedback():
    """Only feedback the institution published (and no moderator hid) is indexed at all: the rest may hold personal data."""
    return (select(*document(
        "feedback", item_id=Feedback.id, institution_id=Feedback.institution_id,
        happened_at=func.coalesce(Feedback.published_at, Feedback.created_at), context=Feedback.page_url,
        title=Site.name, body=Feedback.text))
        .select_from(Feedback).join(Site, Site.id == Feedback.site_id)
        .where(Feedback.publication == Publication.PUBLISHED, Feedback.hidden_at.is_(None),
               Feedback.moderation == Moderation.APPROVED))


# --- co-created municipal regulations (issue 16): the processes, residents' ideas and amendments -----------------------

def _cocreation_kinds() -> None:
    from participation.cocreation.models import Amendment, AmendmentState, CoCreation, Idea

    def processes():
        return select(*document(
            "cocreation", item_id=CoCreation.id, institution_id=CoCreation.institution_id, happened_at=CoCreation.created_at,
            title=CoCreation.title, body=CoCreation.problem))

    def ideas():
        return (select(*document(
            "idea", item_id=Idea.id, parent_id=Idea.process_id, institution_id=CoCreation.institution_id,
            visibility=moderated(Idea), author_id=Idea.author_id, state=case_state(Case.state), happened_at=Idea.created_at,
            context=CoCreation.title, title=Idea.title, body=Idea.text))
            .select_from(Idea).join(CoCreation, CoCreation.id == Idea.process_id).outerjoin(Case, Case.id == Idea.case_id))

    def amendments():
        decided = [AmendmentState.ACCEPTED.value, AmendmentState.PARTLY_ACCEPTED.value, AmendmentState.REJECTED.value]
        return (select(*document(
            "amendment", item_id=Amendment.id, parent_id=Amendment.process_id, institution_id=CoCreation.institution_id,
            visibility=moderated(Amendment), author_id=Amendment.author_id,
            state=case((Amendment.state == AmendmentState.EVALUATING, text("awaiting")),
                       (Amendment.state.in_(decided), text("answered")), else_=text("")),
            happened_at=Amendment.created_at, context=CoCreation.title, body=joined(Amendment.text, Amendment.reason)))
            .select_from(Amendment).join(CoCreation, CoCreation.id == Amendment.process_id))

    register(Kind("cocreation", _l("Co-created regulations"), processes,
                  (_own(CoCreation, "title", "problem", "institution_id"),),
                  lambda d: url_for("cocreation.show", process_id=d.item_id), order=85, one=_l("Co-created regulation")))
    register(Kind("idea", _l("Ideas for regulations"), ideas,
                  (_own(Idea, "title", "text", "moderation", "hidden_at", "case_id"),
                   Source(Case, None, Idea.case_id, lambda c: c.id, CASE_FIELDS, on_new=False),
                   Source(CoCreation, "parent_id", Idea.process_id, lambda p: p.id, ("title",), on_new=False)),
                  lambda d: url_for("cocreation.idea", process_id=d.parent_id, idea_id=d.item_id), order=86, one=_l("Idea")))
    register(Kind("amendment", _l("Amendments"), amendments,
                  (_own(Amendment, "text", "reason", "moderation", "hidden_at", "state"),
                   Source(CoCreation, "parent_id", Amendment.process_id, lambda p: p.id, ("title",), on_new=False)),
                  lambda d: url_for("cocreation.amendment", process_id=d.parent_id, amendment_id=d.item_id), order=87,
                  one=_l("Amendment")))


def _own(model, *watched):
    return Source(model, "item_id", model.id, lambda obj: obj.id, watched)


CASE_FIELDS = ("state", "is_private", "title", "institution_id", "raised_by_id")


def register_all() -> None:
    register(Kind("consultation", _l("Consultations"), _consultations,
                  (_own(Consultation, "title", "summary", "problem", "goal", "published_at", "opens_at", "closes_at",
                        "institution_id"),),
                  lambda d: url_for("consultations.show", consultation_id=d.item_id), order=10, one=_l("Consultation")))
    register(Kind("section", _l("Sections of drafts"), _sections,
                  (_own(Section, "number", "heading", "text", "version_id"),
                   Source(DraftVersion, "parent_id", DraftVersion.consultation_id, lambda v: v.consultation_id, ("number",)),
                   Source(Consultation, "parent_id", DraftVersion.consultation_id, lambda c: c.id,
                          ("title", "published_at", "opens_at", "closes_at", "institution_id"), on_new=False)),
                  lambda d: url_for("consultations.section", consultation_id=d.parent_id, section_id=d.item_id), order=20, one=_l("Section of a draft")))
    register(Kind("comment", _l("Comments"), _comments,
                  (_own(Comment, "text", "moderation", "hidden_at", "case_id"),
                   Source(Case, None, Comment.case_id, lambda c: c.id, CASE_FIELDS, on_new=False),
                   Source(Consultation, "parent_id", Comment.consultation_id, lambda c: c.id, ("title", "published_at"),
                          on_new=False)),
                  lambda d: url_for("consultations.comment_link", consultation_id=d.parent_id, comment_id=d.item_id), order=30, one=_l("Comment")))
    register(Kind("proposal", _l("Proposals"), _proposals,
                  (_own(Proposal, "title", "problem", "solution", "benefit", "status", "moderation", "hidden_at", "case_id",
                        "institution_id", "submitted_at"),
                   Source(Case, None, Proposal.case_id, lambda c: c.id, CASE_FIELDS, on_new=False)),
                  lambda d: url_for("proposals.show", proposal_id=d.item_id), order=40, one=_l("Proposal")))
    register(Kind("response", _l("Response log"), _responses,
                  (_own(Response), Source(Case, "parent_id", Response.case_id, lambda c: c.id, CASE_FIELDS, on_new=False)),
                  lambda d: url_for("cases.show", case_id=d.parent_id, _anchor=f"response-{d.item_id}"), order=50, one=_l("Response")))
    register(Kind("institution", _l("Institutions"), _institutions,
                  (_own(Institution, "name", "description", "slug"),),
                  lambda d: url_for("institutions.show", slug=d.ref), order=60, one=_l("Institution")))
    register(Kind("group", _l("Groups"), _groups,
                  (_own(Group, "name", "description", "slug", "moderation", "hidden_at", "leader_id"),),
                  lambda d: url_for("groups.show", slug=d.ref), order=70, one=_l("Group")))
    register(Kind("feedback", _l("Website feedback"), _feedback,
                  (_own(Feedback, "text", "publication", "published_at", "hidden_at", "moderation"),),
                  lambda d: url_for("feedback.show", feedback_id=d.item_id), order=80, shown_text=mask_emails, one=_l("Website feedback")))
    _cocreation_kinds()
