"""A readable word-level diff between two versions of a section, as safe HTML."""
import difflib
import re

from markupsafe import Markup, escape

# Words, runs of whitespace, and each punctuation mark on its own: "gadā," → "gadā", ","
TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def _html(text: str) -> str:
    """Escaped text with line breaks as <br>."""
    return str(escape(text)).replace("\n", "<br>")


def _pieces(old: str, new: str) -> list:
    """Equal runs as str, changes as (deleted, inserted); a space between two changes joins them into one."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    # autojunk stays on: without it long sections full of spaces take seconds to compare.
    opcodes = difflib.SequenceMatcher(None, a, b).get_opcodes()
    pieces: list = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        deleted, inserted = "".join(a[i1:i2]), "".join(b[j1:j2])
        between_changes = 0 < index < len(opcodes) - 1 and deleted.isspace() and "\n" not in deleted
        if tag == "equal" and not between_changes:
            pieces.append(deleted)
        elif pieces and isinstance(pieces[-1], tuple):
            pieces[-1] = (pieces[-1][0] + deleted, pieces[-1][1] + inserted)
        else:
            pieces.append((deleted, inserted))
    return pieces


def word_diff(old: str, new: str) -> Markup:
    """Old and new text as escaped HTML, deletions in <del> and insertions in <ins>."""
    old = (old or "").replace("\r\n", "\n")
    new = (new or "").replace("\r\n", "\n")
    html = []
    for piece in _pieces(old, new):
        if isinstance(piece, str):
            html.append(_html(piece))
            continue
        deleted, inserted = piece
        if deleted:
            html.append(f"<del>{_html(deleted)}</del>")
        if inserted:
            html.append(f"<ins>{_html(inserted)}</ins>")
    return Markup("".join(html))


def has_changes(old: str, new: str) -> bool:
    """Whether the texts differ in more than whitespace (reflowed lines and extra spaces do not count)."""
    return " ".join((old or "").split()) != " ".join((new or "").split())
