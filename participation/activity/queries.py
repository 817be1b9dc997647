"""What the activity page reads: one query per tab, plus one for the tabs' counts, whatever the number of items.
The co-creation tab reads its four kinds of entry (ideas and amendments written, ideas supported, amendments endorsed)
in one ordered query, then the ideas and the amendments they name (three queries).

Each tab on the overview shows the newest `OVERVIEW_ITEMS`; a tab's own page lists them all, `PER_PAGE` a page.
Reports are described through moderation's registry (one query per kind of item reported, at most one per channel).
"""
from dataclasses import dataclass

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import joinedload

from participation.cocreation.models import Amendment, Endorsement, Idea, IdeaSupport
from participation.consultations.models import Comment
from participation.extensions import db
from participation.groups.models import Group, GroupMember
from participation.moderation import registry
from participation.moderation.models import Report
from participation.pages import Page as ListPage
from participation.proposals.models import Proposal, Support

OVERVIEW_ITEMS = 10
PER_PAGE = 20
TABS = ("comments", "proposals", "supports", "cocreation", "reports", "groups")


@dataclass(frozen=True)
class Page:
    """The newest items of a tab and whether there are more (the overview; a tab's own page is a pages.Page)."""

    items: list
    more: bool = False


def counts(user_id: int) -> dict[str, int]:
    """How many items each tab has (one query)."""
    row = db.session.execute(select(
        select(func.count(Comment.id)).where(Comment.author_id == user_id).scalar_subquery(),
        select(func.count(Proposal.id)).where(Proposal.author_id == user_id).scalar_subquery(),
        select(func.count(Support.id)).where(Support.user_id == user_id).scalar_subquery(),
        select(func.count(Idea.id)).where(Idea.author_id == user_id).scalar_subquery()
        + select(func.count(Amendment.id)).where(Amendment.author_id == user_id).scalar_subquery()
        + select(func.count(IdeaSupport.id)).where(IdeaSupport.user_id == user_id).scalar_subquery()
        + select(func.count(Endorsement.id)).where(Endorsement.user_id == user_id).scalar_subquery(),
        select(func.count(Report.id)).where(Report.reporter_id == user_id).scalar_subquery(),
        select(func.count(GroupMember.id)).where(GroupMember.user_id == user_id).scalar_subquery(),
    )).one()
    return dict(zip(TABS, row))


def _comments(user_id: int):
    return (
        select(Comment)
        .where(Comment.author_id == user_id)
        .options(joinedload(Comment.consultation), joinedload(Comment.section), joinedload(Comment.case))
        .order_by(Comment.created_at.desc(), Comment.id.desc())
    )


def _proposals(user_id: int):
    return (
        select(Proposal)
        .where(Proposal.author_id == user_id)
        .options(joinedload(Proposal.institution), joinedload(Proposal.group), joinedload(Proposal.case),
                 joinedload(Proposal.merged_into))
        .order_by(Proposal.updated_at.desc(), Proposal.id.desc())
    )


@dataclass(frozen=True)
class Supported:
    support: Support
    proposal: Proposal


def _supports(user_id: int):
    return (
        select(Support, Proposal)
        .join(Proposal, Proposal.id == Support.proposal_id)
        .where(Support.user_id == user_id)
        .options(joinedload(Proposal.institution), joinedload(Proposal.case), joinedload(Proposal.merged_into))
        .order_by(Support.created_at.desc(), Support.id.desc())
    )


@dataclass(frozen=True)
class CoCreated:
    """An entry of the co-creation tab: an idea or amendment the person wrote, or one they supported or endorsed."""

    kind: str  # "idea", "amendment", "idea_support", "endorsement"
    at: object  # when (naive UTC)
    item: object  # the Idea or the Amendment (with its process and case)

    @property
    def is_own(self) -> bool:
        return self.kind in ("idea", "amendment")

    @property
    def is_idea(self) -> bool:
        return self.kind in ("idea", "idea_support")


def _cocreation(user_id: int):
    """(kind, the idea's or amendment's id, when), newest first."""
    entries = union_all(
        select(literal("idea").label("kind"), Idea.id.label("item_id"), Idea.created_at.label("at"), Idea.id.label("tie"))
        .where(Idea.author_id == user_id),
        select(literal("amendment"), Amendment.id, Amendment.created_at, Amendment.id).where(Amendment.author_id == user_id),
        select(literal("idea_support"), IdeaSupport.idea_id, IdeaSupport.created_at, IdeaSupport.id).where(IdeaSupport.user_id == user_id),
        select(literal("endorsement"), Endorsement.amendment_id, Endorsement.created_at, Endorsement.id)
        .where(Endorsement.user_id == user_id),
    ).subquery()
    return select(entries.c.kind, entries.c.item_id, entries.c.at).order_by(entries.c.at.desc(), entries.c.kind, entries.c.tie.desc())


def _load_cocreated(rows) -> list[CoCreated]:
    """The ideas and the amendments the entries name (two queries, run even when one list is empty: the page's count
    of queries does not depend on which kinds are among the newest)."""
    idea_ids = {item_id for kind, item_id, _at in rows if kind in ("idea", "idea_support")}
    amendment_ids = {item_id for kind, item_id, _at in rows if kind in ("amendment", "endorsement")}
    ideas = {i.id: i for i in db.session.scalars(
        select(Idea).where(Idea.id.in_(idea_ids)).options(joinedload(Idea.process), joinedload(Idea.case)))}
    amendments = {a.id: a for a in db.session.scalars(
        select(Amendment).where(Amendment.id.in_(amendment_ids)).options(joinedload(Amendment.process), joinedload(Amendment.case))
    )}
    entries = []
    for kind, item_id, at in rows:
        item = (ideas if kind in ("idea", "idea_support") else amendments).get(item_id)
        if item is not None:
            entries.append(CoCreated(kind, at, item))
    return entries


@dataclass(frozen=True)
class Reported:
    report: Report
    item: registry.ItemView | None  # None: the item is gone


def _reports(user_id: int):
    return select(Report).where(Report.reporter_id == user_id).order_by(Report.created_at.desc(), Report.id.desc())


def _describe(reports: list[Report]) -> list[Reported]:
    ids: dict[str, list[int]] = {}
    for report in reports:
        ids.setdefault(report.item_kind, []).append(report.item_id)
    views: dict[tuple[str, int], registry.ItemView] = {}
    for kind, item_ids in ids.items():
        channel = registry.channel(kind)
        if channel is not None:
            views.update({(kind, i): view for i, view in channel.describe(item_ids).items()})
    return [Reported(report, views.get((report.item_kind, report.item_id))) for report in reports]


@dataclass(frozen=True)
class Membership:
    member: GroupMember
    group: Group
    is_leader: bool


def _groups(user_id: int):
    return (
        select(GroupMember, Group)
        .join(Group, Group.id == GroupMember.group_id)
        .where(GroupMember.user_id == user_id)
        .order_by(Group.name, Group.id)
    )


def _wrap(tab: str, user_id: int, rows) -> list:
    if tab == "supports":
        return [Supported(support, proposal) for support, proposal in rows]
    if tab == "groups":
        return [Membership(member, group, group.leader_id == user_id) for member, group in rows]
    if tab == "reports":
        return _describe(list(rows))
    if tab == "cocreation":
        return _load_cocreated(rows)
    return list(rows)


_QUERIES = {"comments": _comments, "proposals": _proposals, "supports": _supports, "cocreation": _cocreation,
            "reports": _reports, "groups": _groups}


def _rows(query, tab: str):
    result = db.session.execute(query)
    if tab == "cocreation":
        return result.all()
    return result.unique().all() if tab in ("supports", "groups") else result.unique().scalars().all()


def newest(tab: str, user_id: int, limit: int = OVERVIEW_ITEMS) -> Page:
    """The newest `limit` items of a tab, and whether it has more (read one more than shown: no count)."""
    rows = _rows(_QUERIES[tab](user_id).limit(limit + 1), tab)
    return Page(_wrap(tab, user_id, rows[:limit]), more=len(rows) > limit)


def overview(user_id: int) -> dict[str, Page]:
    return {tab: newest(tab, user_id) for tab in TABS}


def tab_page(tab: str, user_id: int, page: int, total: int) -> ListPage:
    """A page of a tab (the total comes from `counts`, read once for the tabs' labels too)."""
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(page, 1), pages)
    rows = _rows(_QUERIES[tab](user_id).limit(PER_PAGE).offset((page - 1) * PER_PAGE), tab)
    return ListPage(_wrap(tab, user_id, rows), page, PER_PAGE, total)
