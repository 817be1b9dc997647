"""What the layout's navigation shows someone signed in: an inbox link with its open cases for every institution they
serve, and the moderators' queue size. A fixed number of queries (two at most) on every page."""
from dataclasses import dataclass

from sqlalchemy import and_, func, select

from participation.cases.models import AWAITING_STATES, Case
from participation.extensions import db
from participation.institutions.models import Institution, Membership


@dataclass(frozen=True)
class InboxLink:
    slug: str
    name: str
    open_cases: int


@dataclass(frozen=True)
class Navigation:
    inboxes: list[InboxLink]
    moderation: int | None  # the queue's size for moderators, None for everyone else


def staff_navigation(user) -> Navigation:
    from participation.moderation.permissions import can_moderate
    from participation.moderation.queries import queue_size

    served = select(Membership.institution_id).where(Membership.user_id == user.id).distinct().subquery()
    rows = db.session.execute(
        select(Institution.slug, Institution.name, func.count(Case.id))
        .join(served, served.c.institution_id == Institution.id)
        .outerjoin(Case, and_(Case.institution_id == Institution.id, Case.state.in_(AWAITING_STATES)))
        .group_by(Institution.id, Institution.slug, Institution.name)
        .order_by(Institution.name)
    ).all()
    inboxes = [InboxLink(slug, name, count) for slug, name, count in rows]
    return Navigation(inboxes, queue_size() if can_moderate(user) else None)


def crumbs_items(crumbs) -> list[dict]:
    """Breadcrumbs set by a page as (text, href) pairs, as GOV.UK's breadcrumbs component takes them."""
    return [{"text": text, "href": href} for text, href in crumbs]
