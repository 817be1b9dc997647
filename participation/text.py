"""The one HTML sanitiser (bleach). User text is stored as typed and, beside it, as the HTML this sanitiser made of it
when it was written, with the sanitiser's policy version (`POLICY`): pages show the stored HTML and sanitise nothing
while they are read. When the policy changes (the allowed tags, links, the paragraphs), raise `POLICY`: pages sanitise
rows of an older policy as they are shown until `flask rerender-html` has rendered every row again.

A model keeps its HTML with the decorator `keeps_html` and two kinds of column (`html_column`, `policy_column`)::

    @keeps_html("text")
    class Idea(db.Model):
        text: Mapped[str] = mapped_column(Text)
        text_html: Mapped[str | None] = html_column()
        html_policy: Mapped[int | None] = policy_column()

and its templates write `{{ idea | stored_html("text") }}` instead of `{{ idea.text | user_text }}` (a plain row
read with those columns works too). Every insert and update through the ORM renders the changed fields in the same
flush; rows written by SQL alone are rendered by `flask rerender-html` (until then they are sanitised when shown).
"""
import unicodedata
from functools import lru_cache

import bleach
from markupsafe import Markup, escape
from sqlalchemy import SmallInteger, Text, event, inspect, select
from sqlalchemy.orm import mapped_column

ALLOWED_TAGS = ["p", "br", "a"]
ALLOWED_ATTRIBUTES = {"a": ["href", "rel"]}
ALLOWED_PROTOCOLS = ["http", "https", "mailto"]
# The version of what `sanitise` makes of a text: raise it with any change to the function or the lists above.
POLICY = 1


def _nofollow(attrs, new=False):
    attrs[(None, "rel")] = "nofollow ugc noopener"
    return attrs


def sanitise(text: str | None) -> str:
    """Plain text with paragraphs and links, as HTML (a string; `Markup` it to show it). bleach parses with html5lib,
    about a millisecond a paragraph: done when the text is written, not when it is read."""
    if not text:
        return ""
    paragraphs = [p.strip() for p in str(text).replace("\r\n", "\n").split("\n\n") if p.strip()]
    html = "".join(
        "<p>" + str(escape(p)).replace("\n", "<br>") + "</p>" for p in paragraphs
    )
    linked = bleach.linkify(html, callbacks=[_nofollow], parse_email=False)
    return bleach.clean(linked, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=ALLOWED_PROTOCOLS, strip=True)


def render_user_text(text: str | None) -> Markup:
    """Plain text with paragraphs and links, as safe HTML, sanitised now (texts that have no stored HTML: a
    consultation's description, a section, a group's description)."""
    if not text:
        return Markup("")
    return Markup(_sanitised(str(text)))


@lru_cache(maxsize=2_000)
def _sanitised(text: str) -> str:
    """The few texts sanitised when read (a consultation's own texts, its sections) repeat from request to request."""
    return sanitise(text)


def stored_html(row, field: str = "text") -> Markup:
    """`row.<field>` as safe HTML: the HTML stored when it was written if the current policy made it, else sanitised
    now (a row written by SQL alone, or before `POLICY` was raised and `flask rerender-html` ran)."""
    html = getattr(row, f"{field}_html", None)
    if html is not None and getattr(row, "html_policy", None) == POLICY:
        return Markup(html)
    return render_user_text(getattr(row, field, None))


# --- keeping the HTML: the models, their events, and re-rendering every row ----------------------------------------

KEPT: dict[type, tuple[str, ...]] = {}


def html_column():
    """`<field>_html`: the sanitised HTML of `<field>` (None until rendered)."""
    return mapped_column(Text, nullable=True, doc="The field's HTML, made by participation.text.sanitise when written")


def policy_column():
    """`html_policy`: the `POLICY` the row's stored HTML was made with (None: not rendered yet)."""
    return mapped_column(SmallInteger, nullable=True, doc="participation.text.POLICY of the stored HTML")


def keeps_html(*fields: str):
    """A class decorator: the model stores the HTML of `fields` in `<field>_html` and the policy in `html_policy`,
    rendered in the flush that inserts the row or changes a field."""
    def decorate(cls):
        KEPT[cls] = fields
        event.listen(cls, "before_insert", _render_on_insert)
        event.listen(cls, "before_update", _render_on_update)
        return cls

    return decorate


def _render_on_insert(mapper, connection, target) -> None:
    for field in KEPT[mapper.class_]:
        setattr(target, f"{field}_html", sanitise(getattr(target, field)))
    target.html_policy = POLICY


def _render_on_update(mapper, connection, target) -> None:
    state = inspect(target)
    stale = target.html_policy != POLICY
    for field in KEPT[mapper.class_]:
        if stale or state.attrs[field].history.has_changes() or getattr(target, f"{field}_html") is None:
            setattr(target, f"{field}_html", sanitise(getattr(target, field)))
    if stale:
        target.html_policy = POLICY


def rerender_all(session, batch: int = 500, log=None) -> dict[str, int]:
    """Render again every row of every model that keeps HTML whose HTML is missing or of an older policy, `batch`
    rows per statement and a commit per batch (core UPDATEs: a response is otherwise immutable). Returns the rows
    rendered per table."""
    done: dict[str, int] = {}
    for model, fields in KEPT.items():
        table = model.__table__
        columns = [table.c.id, *(table.c[f] for f in fields)]
        outdated = (table.c.html_policy.is_(None)) | (table.c.html_policy != POLICY)
        update = table.update().where(table.c.id == _bind("row_id")).values(
            {f"{f}_html": _bind(f"new_{f}_html") for f in fields} | {"html_policy": POLICY})
        count, last = 0, 0
        while True:
            rows = session.execute(
                select(*columns).where(outdated, table.c.id > last).order_by(table.c.id).limit(batch)).all()
            if not rows:
                break
            session.connection().execute(update, [
                {"row_id": row[0], **{f"new_{f}_html": sanitise(row[i + 1]) for i, f in enumerate(fields)}} for row in rows])
            session.commit()
            count, last = count + len(rows), rows[-1][0]
            if log:
                log(f"  {table.name}: {count} rows")
        done[table.name] = count
    return done


def _bind(name: str):
    from sqlalchemy import bindparam

    return bindparam(name)


def clean_plain(text: str | None, max_length: int | None = None) -> str:
    """Normalise user plain text on the way in: strip, unify newlines, drop control characters."""
    if text is None:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Non-breaking and other Unicode spaces become plain spaces; other invisible control characters go.
    text = "".join(" " if unicodedata.category(ch) == "Zs" else ch for ch in text)
    text = "".join(ch for ch in text if ch in "\n\t" or ch.isprintable())
    text = text.strip()
    if max_length is not None:
        text = text[:max_length]
    return text
