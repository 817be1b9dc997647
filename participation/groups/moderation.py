"""How moderation finds and describes groups (issue 14, item 5): a group's name and description are its leader's words,
so anyone may report a group (e.g. one posing as a youth council) and a moderator may hide it."""
from flask import url_for
from participation.i18n import gettext as _
from sqlalchemy import false, literal, select
from sqlalchemy.orm import joinedload

from participation.extensions import db
from participation.groups.models import Group
from participation.moderation import registry

KIND = "group"


def describe(ids: list[int]) -> dict[int, registry.ItemView]:
    groups = db.session.scalars(select(Group).where(Group.id.in_(ids)).options(joinedload(Group.leader))).all()
    return {
        group.id: registry.ItemView(
            kind=KIND, id=group.id, item=group, label=_("Group no. %(number)d", number=group.id), context=_("Groups"),
            url=url_for("groups.show", slug=group.slug),  # relative: the report form redirects here
            author=group.leader, text="\n\n".join(part for part in (group.name, group.description) if part),
        )
        for group in groups
    }


def _pending():
    """Groups are not pre-moderated: nothing waits."""
    return select(literal(KIND).label("kind"), Group.id.label("item_id"), Group.created_at.label("since")).where(false())


def register() -> None:
    registry.register(registry.Channel(kind=KIND, model=Group, describe=describe, pending=_pending))
