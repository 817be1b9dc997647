"""Every e-mail about a case says what the response is, in the recipient's language: an extension states the new
deadline and never says "answered", a forward names where the case went, dates read as people read them (the Latvian
case the sentence needs, never an ISO date) and no sentence ends in two full stops after a title that ends in one."""
import re
from datetime import date, datetime

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from participation.cases import services
from participation.cases.models import Position
from participation.extensions import db
from participation.outbox.models import OutboxMessage
from participation.proposals import services as proposals

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.fixture
def text_in(app):
    """text_in(lang, msgid, **values): a text as the catalogue renders it in that language."""
    def _text(lang, message, **values):
        with app.test_request_context("/"), force_locale(lang):
            return gettext(message, **values)
    return _text


def mails_to(email):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email).order_by(OutboxMessage.id)).all()


def _no_double_stop(text: str) -> None:
    assert not re.search(r"\.[\"”]?\.", text), text


@pytest.mark.parametrize("lang, due", [("lv", "2026. gada 1. decembrim"), ("en", "1 December 2026")])
def test_the_receipt_states_the_due_day_in_words(make_case, make_user, fixed_now, lang, due):
    fixed_now(datetime(2026, 11, 16, 9, 0))
    person = make_user(locale=lang)
    make_case(title="Soliņi parkā.", raised_by=person)
    (receipt,) = mails_to(person.email)
    assert due in receipt.body and not ISO_DATE.search(receipt.body)
    _no_double_stop(receipt.body)


@pytest.mark.parametrize("lang, new_due", [("lv", "2026. gada 16. decembrim"), ("en", "16 December 2026")])
def test_an_extension_notice_states_the_new_deadline_and_never_says_answered(make_case, make_staff, make_user, fixed_now,
                                                                             text_in, lang, new_due):
    fixed_now(datetime(2026, 11, 20, 10, 0))
    person = make_user(locale=lang)
    case = make_case(title="Ceļa remonts.", raised_by=person, received_at=datetime(2026, 11, 16, 9, 0))
    responder = make_staff(case.institution)
    services.extend_case(case, responder, date(2026, 12, 16), "Vajag atzinumu.")
    notice = mails_to(person.email)[-1]
    assert notice.subject == text_in(lang, "The deadline for %(number)s is extended", number=case.number)
    assert new_due in notice.body and "Vajag atzinumu." in notice.body
    answered = text_in(lang, "%(institution)s has answered \"%(title)s\" (position: %(position)s).",
                       institution=case.institution.name, title=case.title, position="")
    assert answered.split("(")[0] not in notice.body  # not the answer's words
    assert text_in(lang, "Answer to your submission %(number)s", number=case.number) != notice.subject
    if lang == "en":
        assert "answered" not in notice.body.lower()
    assert not ISO_DATE.search(notice.body)
    _no_double_stop(notice.body)


def test_each_kind_of_response_has_its_own_subject_and_words(make_case, make_staff, make_user, make_institution, fixed_now,
                                                             text_in):
    fixed_now(datetime(2026, 11, 20, 10, 0))
    person = make_user(locale="en")
    case = make_case(title="Bedres.", raised_by=person, received_at=datetime(2026, 11, 16, 9, 0))
    responder = make_staff(case.institution)
    target = make_institution(name="Kompetentā iestāde")
    services.forward_case(case, responder, target, "Nav mūsu kompetencē.")
    forward = mails_to(person.email)[-1]
    assert forward.subject == text_in("en", "%(number)s is forwarded to another institution", number=case.number)
    assert target.name in forward.body and "4 December 2026" in forward.body  # where it is now, and its new deadline
    other = make_staff(target)
    first = services.answer_case(case, other, Position.ACCEPTED, "Salabosim.")
    answer = mails_to(person.email)[-1]
    assert answer.subject == text_in("en", "Answer to your submission %(number)s", number=case.number)
    assert "Accepted" in answer.body and "Salabosim." in answer.body
    services.correct_response(first, other, Position.PARTLY_ACCEPTED, "Salabosim daļēji.")
    correction = mails_to(person.email)[-1]
    assert correction.subject == text_in("en", "Corrected answer to your submission %(number)s", number=case.number)
    assert "Partly accepted" in correction.body
    services.record_implementation(case, other, "Salabots.", date(2026, 11, 20))
    done = mails_to(person.email)[-1]
    assert done.subject == text_in("en", "%(number)s has been carried out", number=case.number)
    assert "20 November 2026" in done.body
    for message in mails_to(person.email):
        assert not ISO_DATE.search(message.body), message.body
        _no_double_stop(message.body)
        assert "http://" in message.body or "https://" in message.body  # links in e-mails stay absolute

    closed = make_case(title="Cits.", raised_by=person)
    services.mark_not_examined(closed, responder, "Likuma 5. pants.")
    notice = mails_to(person.email)[-1]
    assert notice.subject == text_in("en", "%(number)s will not be examined", number=closed.number)
    assert "answered" not in notice.body.lower() and "Likuma 5. pants." in notice.body


def test_followers_of_a_proposal_hear_the_extension_as_an_extension(make_proposal, make_user, make_staff, fixed_now):
    fixed_now(datetime(2026, 11, 16, 9, 0))
    proposal = make_proposal(title="Velo novietnes.")
    follower = make_user(locale="lv")
    proposals.support(proposal, follower, notify=True)
    fixed_now(datetime(2026, 11, 20, 9, 0))
    responder = make_staff(proposal.institution)
    services.extend_case(proposal.case, responder, services.extension_limit(proposal.case), "Jāsaņem tāme.")
    (news,) = mails_to(follower.email)
    assert "2026. gada 16. decembrim" in news.body and "Jāsaņem tāme." in news.body
    assert f"/proposals/{proposal.id}" in news.body and news.body.count("http") == 1
    _no_double_stop(news.body)
    _no_double_stop(news.subject)
