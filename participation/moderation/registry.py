"""The channels tell moderation how to find and describe their contributions; moderation knows no channel.

A channel registers a `Channel` once at start-up (see `participation/<channel>/moderation.py`)."""
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class ItemView:
    """A contribution as moderators and the public logs see it."""

    kind: str
    id: int
    item: object
    label: str  # "Comment K-000012": no user text
    context: str  # where it is, e.g. the consultation and section: no user text
    url: str
    author: object  # the User: moderators see who wrote it; the public logs never show it
    text: str  # for moderators only


@dataclass
class Channel:
    kind: str
    model: type
    describe: Callable[[list[int]], dict[int, ItemView]]  # one query for any number of ids
    pending: Callable[[], object]  # a select of (kind, item_id, since) waiting for approval
    on_approved: Callable[[object], None] = field(default=lambda item: None)
    # Hidden or restored: the channel keeps copies of the text (e.g. a case's title and body) out of sight too.
    on_visibility_changed: Callable[[object], None] = field(default=lambda item: None)
    # Whether moderation applies yet (a proposal's draft is its author's alone until submitted).
    moderatable: Callable[[object], bool] = field(default=lambda item: True)


_channels: dict[str, Channel] = {}


def register(channel: Channel) -> None:
    _channels[channel.kind] = channel


def channel(kind: str) -> Channel | None:
    return _channels.get(kind)


def channels() -> list[Channel]:
    return list(_channels.values())


def kind_of(item) -> str:
    for registered in _channels.values():
        if isinstance(item, registered.model):
            return registered.kind
    raise LookupError(f"{type(item).__name__} is not moderated")
