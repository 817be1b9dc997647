"""E-mail notifications: subscribers to the spine's signals (the spine does not call them).

Every text is written in the recipient's language (force_locale) and says what the response is: an extension states
the new deadline and never says "answered"; a forward names the institution that now holds the case. Dates read as
people read them, in the case the Latvian sentence needs (participation.dates.format_day), never as ISO dates.
"""
from flask_babel import force_locale
from participation.i18n import gettext as _

from participation.cases.models import ResponseKind
from participation.dates import format_day
from participation.outbox.services import send_email
from participation.signals import case_opened, response_recorded
from participation.urls import absolute_url


def _case_link(case) -> str:
    return absolute_url("cases.show", case_id=case.id)


def what_happened(response, title: str) -> str:
    """The first paragraph of a notice about `response` (in the current locale): what the institution did to the
    submission called `title`, with the new deadline, the new institution or the day where it has one. The response's
    own text (the answer, the reason) follows it."""
    from participation.cases.forms import POSITION_LABELS

    institution = response.institution.name
    case = response.case
    if response.kind == ResponseKind.ANSWER and response.supersedes_id:
        return _("%(institution)s has corrected its answer to \"%(title)s\" (position now: %(position)s).",
                 institution=institution, title=title, position=POSITION_LABELS[response.position])
    if response.kind == ResponseKind.ANSWER:
        return _("%(institution)s has answered \"%(title)s\" (position: %(position)s).",
                 institution=institution, title=title, position=POSITION_LABELS[response.position])
    if response.kind == ResponseKind.EXTENSION:
        return _("%(institution)s has extended the deadline for \"%(title)s\": the answer is now due by %(date)s. The reason:",
                 institution=institution, title=title, date=format_day(response.effective_on, "dative"))
    if response.kind == ResponseKind.FORWARD:
        return _("%(institution)s has forwarded \"%(title)s\" to the competent institution, %(target)s, which is to answer by %(date)s. The reason:",
                 institution=institution, title=title, target=response.target_institution.name,
                 date=format_day(case.due_on, "dative"))
    if response.kind == ResponseKind.IMPLEMENTED:
        return _("%(institution)s has recorded that \"%(title)s\" was carried out on %(date)s:",
                 institution=institution, title=title, date=format_day(response.effective_on, "locative"))
    return _("%(institution)s will not examine \"%(title)s\", for this legal reason:", institution=institution, title=title)


def notice_body(response, title: str, link: str) -> str:
    """The whole notice: what happened, the response's words, and the link to the history."""
    return "\n\n".join((what_happened(response, title), response.text, _("The whole history: %(link)s", link=link)))


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
        subject = subjects[response.kind]
        if response.kind == ResponseKind.ANSWER and response.supersedes_id:
            subject = _("Corrected answer to your submission %(number)s", number=case.number)
        send_email(person.email, subject, notice_body(response, case.title, _case_link(case)))


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
                due=format_day(case.due_on, "dative"),  # lv "līdz" + dative
                link=_case_link(case),
            ),
        )


def connect() -> None:
    response_recorded.connect(tell_submitter_about_response)
    case_opened.connect(send_receipt)
