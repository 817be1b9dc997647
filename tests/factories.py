"""Small factories, as fixtures: each builds one thing with sensible defaults and commits it."""
import itertools
from datetime import date, datetime

import pytest

from participation.accounts.models import User
from participation.cases import services as case_services
from participation.cases.models import Channel
from participation.clock import utcnow
from participation.consultations import services as consultation_services
from participation.extensions import db
from participation.groups import services as group_services
from participation.groups.models import GroupKind
from participation.institutions.models import Institution, InstitutionKind, Membership, StaffRole

PASSWORD = "correct horse battery"
_sequence = itertools.count(1)


@pytest.fixture
def make_user(session):
    def _make(name="Anna Bērziņa", email=None, verified=True, password=PASSWORD, **flags) -> User:
        n = next(_sequence)
        user = User(
            email=email or f"user{n}@example.lv",
            display_name=name,
            locale=flags.pop("locale", "lv"),
            email_verified_at=utcnow() if verified else None,
            **flags,
        )
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user

    return _make


@pytest.fixture
def make_institution(session):
    def _make(name="Rēzeknes novada pašvaldība", kind=InstitutionKind.MUNICIPALITY, slug=None) -> Institution:
        n = next(_sequence)
        institution = Institution(slug=slug or f"iestade-{n}", name=f"{name} {n}", kind=kind)
        db.session.add(institution)
        db.session.commit()
        return institution

    return _make


@pytest.fixture
def make_staff(make_user):
    def _make(institution, role=StaffRole.RESPONDER, user=None, **user_fields) -> User:
        user = user or make_user(name=user_fields.pop("name", "Jānis Ozols"), **user_fields)
        db.session.add(Membership(user=user, institution=institution, role=role))
        db.session.commit()
        return user

    return _make


@pytest.fixture
def make_group(make_user):
    def _make(leader=None, name="Jauniešu dome", kind=GroupKind.YOUTH_COUNCIL):
        leader = leader or make_user(name="Elza Krūmiņa")
        return group_services.create_group(leader, f"{name} {next(_sequence)}", kind)

    return _make


@pytest.fixture
def make_case(make_institution, make_user):
    def _make(institution=None, title="Apgaismojums gājēju celiņam", received_at: datetime | None = None,
              raised_by="new", channel=Channel.PROPOSAL, **fields):
        institution = institution or make_institution()
        if raised_by == "new":
            raised_by = make_user(name="Pēteris Kalējs")
        return case_services.open_case(
            institution, channel, title, received_at=received_at or utcnow(), raised_by=raised_by, **fields
        )

    return _make


@pytest.fixture
def make_proposal(make_institution, make_user):
    from participation.proposals import services as proposal_services

    def _make(institution=None, author=None, group=None, title="Soliņi pie bibliotēkas", submit=True, **fields):
        institution = institution or make_institution()
        author = author or make_user(name="Anna Bērziņa")
        values = {"title": title, "problem": "Nav kur atpūsties.", "solution": "Uzstādīt trīs soliņus.",
                  "benefit": "Senioriem būs vieglāk.", "territory": "Rēzeknes novads", "topics": ["social"], **fields}
        proposal = proposal_services.save_draft(author, institution, group, values)
        if submit:
            proposal_services.submit(proposal, author)
        return proposal

    return _make


@pytest.fixture
def make_feedback(make_institution, make_staff):
    """Website feedback (issue 15) left on a page of a site registered by one of `institution`'s editors: private and
    unpublished, as a visitor leaves it."""
    from participation.feedback import services as feedback_services
    from participation.feedback.models import Feedback

    def _make(institution=None, text="Grafiks neatveras.", page_url="https://example.lv/lapa", ask_email=False):
        institution = institution or make_institution()
        editor = make_staff(institution, role=StaffRole.EDITOR)
        number = next(_sequence)
        site = feedback_services.register_site(institution, editor, {
            "name": "Pašvaldības vietne", "key": f"site-{number}", "origins": ["https://example.lv"], "path_prefixes": [],
            "question_helped": "", "question_text": "", "ask_email": ask_email, "languages": ["lv"],
            "premoderation": False})
        item = Feedback(site_id=site.id, institution_id=institution.id, page_url=page_url, text=text,
                        author_id=editor.id, nonce=f"feedback-{number}")
        db.session.add(item)
        db.session.commit()
        return item

    return _make


@pytest.fixture
def make_consultation(make_institution, make_staff, make_user):
    """A published, open consultation of a small draft, with one comment and one attachment record."""
    from datetime import timedelta

    from participation.clock import riga_today, to_riga
    from participation.consultations import services as consultation_services
    from participation.consultations.models import Attachment
    from participation.institutions.models import StaffRole

    def _make(institution=None, with_comment=True):
        institution = institution or make_institution()
        editor = make_staff(institution, role=StaffRole.EDITOR)
        fields = {"title": "Saistošie noteikumi par soliņiem", "kind": "municipal_regulation", "policy_area": "governance",
                  "territory": "Rēzeknes novads", "official_name": "Ilze", "official_contact": "ilze@example.lv",
                  "problem": "Nav soliņu.", "goal": "Būs soliņi.", "summary": "Soliņi parkos."}
        consultation = consultation_services.save_draft(institution, editor, fields, "1. Soliņi.\n2. Parki.")
        opens = to_riga(utcnow()).replace(tzinfo=None) - timedelta(hours=1)
        consultation_services.publish(consultation, opens, riga_today() + timedelta(days=20))
        if with_comment:
            consultation_services.add_comment(consultation, make_user(), "Vairāk soliņu.")
        db.session.add(Attachment(consultation_id=consultation.id, original_name="a.pdf", stored_name=f"{consultation.id:032x}.pdf",
                                  kind="pdf", mime="application/pdf", size=10))
        db.session.commit()
        return consultation

    return _make


# --- consultations: a small draft, its fields, and one open consultation ----------------------------------------

DRAFT = """Rēzeknes novada pašvaldības saistošie noteikumi Nr. 5
Par sabiedrisko kārtību

I. Vispārīgie jautājumi
1. Noteikumi nosaka sabiedriskās kārtības prasības novada teritorijā.
2. Noteikumi attiecas uz visām personām novadā.
2.1. Suņus pastaigā ved pavadā.
3. Noteikumi stājas spēkā 2027. gada 1. janvārī.
"""
FIELDS = {"title": "Sabiedriskās kārtības noteikumi", "kind": "municipal_regulation", "policy_area": "governance",
          "territory": "Rēzeknes novads", "official_name": "Ilze Kalniņa", "official_contact": "ilze@example.lv",
          "problem": "Noteikumi novecojuši.", "goal": "Skaidri noteikumi.", "summary": "Suņiem jābūt pavadā."}


@pytest.fixture
def editor_and_institution(make_institution, make_staff):
    institution = make_institution()
    return make_staff(institution, role=StaffRole.EDITOR), institution


@pytest.fixture
def open_consultation(editor_and_institution, fixed_now):
    """Opened 2026-03-10 09:00 Riga, last day 2026-04-09 (closes 23:59:59 summer time = 20:59:59 UTC)."""
    editor, institution = editor_and_institution
    fixed_now(datetime(2026, 3, 10, 7, 0))
    consultation = consultation_services.save_draft(institution, editor, FIELDS, DRAFT)
    consultation_services.publish(consultation, datetime(2026, 3, 10, 9, 0), date(2026, 4, 9))
    return consultation


def section(consultation, number):
    return next(s for s in consultation.versions[0].sections if s.number == number)
