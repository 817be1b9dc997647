"""What can be followed: a registry of subject kinds, so a new channel plugs in without changing the follows code.

A channel registers its kind once (at import, or from create_app):

    from participation.follows.subjects import SubjectType, register
    register(SubjectType("cocreation", CoCreation, lambda: _("co-creation process"),
                         lambda item: url_for("cocreation.show", process_id=item.id),
                         is_public=lambda item: item.published_at is not None))

`is_public(item)` says whether everyone may see it: only then may it be followed, and only then does news about it go
out (a draft, a hidden group or a proposal waiting for a moderator reaches no follower).
"""
from dataclasses import dataclass
from typing import Any, Callable

from flask import url_for
from participation.i18n import lazy_gettext as _l

from participation.extensions import db


@dataclass(frozen=True)
class SubjectType:
    kind: str
    model: Any
    label: Callable[[], str]
    url: Callable[[Any], str]
    is_public: Callable[[Any], bool] = lambda item: True
    title: Callable[[Any], str] = lambda item: item.title


SUBJECTS: dict[str, SubjectType] = {}


def register(subject_type: SubjectType) -> None:
    SUBJECTS[subject_type.kind] = subject_type


def subject_type(kind: str) -> SubjectType | None:
    return SUBJECTS.get(kind)


def load(kind: str, subject_id: int):
    """The followed item, or None (an unknown kind, a missing row, an id out of range)."""
    subject = SUBJECTS.get(kind)
    if subject is None or not 0 < subject_id <= 2_147_483_647:
        return None
    return db.session.get(subject.model, subject_id)


def load_many(pairs) -> dict[tuple[str, int], Any]:
    """Many subjects at once: one query per kind, whatever their number."""
    wanted: dict[str, set[int]] = {}
    for kind, subject_id in pairs:
        if kind in SUBJECTS and subject_id is not None:
            wanted.setdefault(kind, set()).add(subject_id)
    found = {}
    for kind, ids in wanted.items():
        model = SUBJECTS[kind].model
        for item in db.session.scalars(db.select(model).where(model.id.in_(ids))):
            found[(kind, item.id)] = item
    return found


def is_public(kind: str, item) -> bool:
    subject = SUBJECTS.get(kind)
    return subject is not None and item is not None and bool(subject.is_public(item))


def title_of(kind: str, item) -> str:
    return SUBJECTS[kind].title(item)


def url_of(kind: str, item) -> str:
    return SUBJECTS[kind].url(item)


def register_builtin() -> None:
    """The channels that exist now (website feedback is private: nothing there to follow)."""
    from participation.consultations.models import Consultation
    from participation.groups.models import Group
    from participation.institutions.models import Institution
    from participation.proposals.models import Proposal

    register(SubjectType(
        "consultation", Consultation, lambda: _l("consultation"),
        lambda item: url_for("consultations.show", consultation_id=item.id),
        is_public=lambda item: item.published_at is not None,
    ))
    register(SubjectType(
        "proposal", Proposal, lambda: _l("proposal"),
        lambda item: url_for("proposals.show", proposal_id=item.id),
        is_public=lambda item: item.is_public and not item.is_hidden,
    ))
    register(SubjectType(
        "institution", Institution, lambda: _l("institution"),
        lambda item: url_for("institutions.show", slug=item.slug), title=lambda item: item.name,
    ))
    from participation.cocreation.models import CoCreation

    register(SubjectType(
        "cocreation", CoCreation, lambda: _l("co-creation process"),
        lambda item: url_for("cocreation.show", process_id=item.id),
    ))
    from participation.feedback.models import Feedback

    register(SubjectType(
        "feedback", Feedback, lambda: _l("website feedback"),
        lambda item: url_for("feedback.show", feedback_id=item.id),
        is_public=lambda item: item.is_published and not item.is_hidden,
        title=lambda item: _l("Feedback no. %(number)d", number=item.id),
    ))
    register(SubjectType(
        "group", Group, lambda: _l("group"),
        lambda item: url_for("groups.show", slug=item.slug), is_public=lambda item: not item.is_hidden,
        title=lambda item: item.name,
    ))
