"""E-mail notifications: subscribers to the spine's signals (the spine does not call them)."""
from flask_babel import force_locale
from flask_babel import gettext as _

from participation.cases.models import ResponseKind
from participation.outbox.services import send_email
from participation.signals import case_opened, response_recorded
from participation.urls import absolute_url


def _case_link(case) -> str:
    return absolute_url("cases.show", case_id=case.id)


def tell_submitter_about_response(response, **_extra) -> None:
    case = response.case
    person = case.raised_by
    if person is None:
        return
    with force_locale(person.locale):
        subjects = {
            ResponseKind.ANSWER: _("Answer to your submission %(number)s", number=case.number),
            ResponseKind.EXTENSION: _("The deadline for %(number)s is extended", number=case.number),
            ResponseKind.FORWARD: _("%(number)s is forwarded to another institution", number=case.number),
            ResponseKind.NOT_EXAMINED: _("%(number)s will not be examined", number=case.number),
            ResponseKind.IMPLEMENTED: _("%(number)s has been carried out", number=case.number),
        }
        body = _(
            "%(institution)s has recorded a response to \"%(title)s\":\n\n%(text)s\n\nThe whole history: %(link)s",
            institution=response.institution.name,
            title=case.title,
            text=response.text,
            link=_case_link(case),
        )
        send_email(person.email, subjects[response.kind], body)


def send_receipt(case, **_extra) -> None:
    person = case.raised_by
    if person is None:
        return
    with force_locale(person.locale):
        send_email(
            person.email,
            _("Received: %(number)s", number=case.number),
            _(
                "%(institution)s has received \"%(title)s\" as case %(number)s. The answer is due by %(due)s.\n\nFollow it here: %(link)s",
                institution=case.institution.name,
                title=case.title,
                number=case.number,
                due=case.due_on.isoformat(),
                link=_case_link(case),
            ),
        )


def connect() -> None:
    response_recorded.connect(tell_submitter_about_response)
    case_opened.connect(send_receipt)
