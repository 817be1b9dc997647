"""What a kind of search result is: how its rows read as search documents, which writes change them, and how a
result links back. Registering a kind is all a channel does to be found (see kinds.py; co-creation adds its own)."""
from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass(frozen=True)
class Source:
    """A model whose writes change documents of a kind. `key(obj)` gives the value that names them, compared with the
    document's `doc_column` ("item_id" or "parent_id") and with `column` in the kind's statement. `watched`: the
    attributes that matter (a change of any other attribute leaves the documents as they are); `on_new`: whether a new
    row of the model changes documents (a kind's own model: yes; a case that has no responses yet: no)."""

    model: type
    doc_column: str
    column: Any
    key: Callable[[Any], int | None]
    watched: tuple[str, ...] = ()
    on_new: bool = True


@dataclass(frozen=True)
class Kind:
    """`statement()`: a SELECT with one labelled column per SearchDocument.COLUMNS, for every row of the kind (the index
    narrows it with a source's column). `url(document)`: the link. `label`: the kind's name on screen (lazy gettext).
    `shown_text(text)`: what of the text a snippet may show (e.g. e-mail addresses masked)."""

    name: str
    label: Any
    statement: Callable[[], Any]
    sources: tuple[Source, ...]
    url: Callable[[Any], str]
    order: int = 100
    one: Any = None  # the name of one result of the kind (lazy gettext), e.g. "Comment"
    shown_text: Callable[[str], str] = field(default=lambda text: text)


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    _kinds[kind.name] = kind


def kind(name: str) -> Kind | None:
    return _kinds.get(name)


def kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda k: (k.order, k.name))
