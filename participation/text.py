"""The one HTML sanitiser: user text is stored as typed and rendered only through `render_user_text`."""
import unicodedata
from functools import lru_cache

import bleach
from markupsafe import Markup, escape

ALLOWED_TAGS = ["p", "br", "a"]
ALLOWED_ATTRIBUTES = {"a": ["href", "rel"]}
ALLOWED_PROTOCOLS = ["http", "https", "mailto"]


def _nofollow(attrs, new=False):
    attrs[(None, "rel")] = "nofollow ugc noopener"
    return attrs


def render_user_text(text: str | None) -> Markup:
    """Plain text with paragraphs and links, as safe HTML."""
    if not text:
        return Markup("")
    return Markup(_sanitised(str(text)))


@lru_cache(maxsize=20_000)
def _sanitised(text: str) -> str:
    """The same text always gives the same HTML, so each worker sanitises a text once (bleach parses with
    html5lib, about a millisecond a paragraph); the cache holds the most recently shown texts."""
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    html = "".join(
        "<p>" + str(escape(p)).replace("\n", "<br>") + "</p>" for p in paragraphs
    )
    linked = bleach.linkify(html, callbacks=[_nofollow], parse_email=False)
    return bleach.clean(linked, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=ALLOWED_PROTOCOLS, strip=True)


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
