"""Where a result matches: a short piece of its text with the matching words marked. Built from the text itself, every
piece escaped (Markup.escape) and only <mark> added, so no user text is ever read as HTML."""
from markupsafe import Markup, escape

from participation.search import words

BEFORE, AFTER = 60, 180


def _matches(word: str, terms: list[str], fuzzy: bool) -> bool:
    folded = words.fold_word(word)
    return any(folded.startswith(term) or (fuzzy and words.near(term, folded)) for term in terms)


def _found(text: str, terms: list[str], fuzzy: bool):
    """(start, end) of each matching word, in order, read only as far as the caller asks."""
    return ((m.start(), m.end()) for m in words.WORD.finditer(text) if _matches(m.group(), terms, fuzzy))


def _spans(text: str, terms: list[str], fuzzy: bool) -> list[tuple[int, int]]:
    return list(_found(text, terms, fuzzy))


def _marked(text: str, spans: list[tuple[int, int]], offset: int = 0) -> Markup:
    out, at = [], 0
    for start, end in spans:
        start, end = start - offset, end - offset
        if start < at or end > len(text):
            continue
        out.append(escape(text[at:start]))
        out.append(Markup("<mark>%s</mark>") % text[start:end])
        at = end
    out.append(escape(text[at:]))
    return Markup("").join(out)


def title(text: str, terms: list[str], fuzzy: bool = False) -> Markup:
    return _marked(text, _spans(text, terms, fuzzy))


def snippet(text: str, terms: list[str], fuzzy: bool = False) -> Markup:
    """Around the first match (or the text's start when the match was in the title only), cut at spaces. The words
    are read up to the piece's end, not to the text's."""
    text = " ".join((text or "").split())
    found = _found(text, terms, fuzzy)
    spans = [span] if (span := next(found, None)) else []
    first = spans[0][0] if spans else 0
    start = max(0, first - BEFORE)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), first + AFTER)
    if end < len(text):
        space = text.rfind(" ", first, end)
        end = space if space > first else end
    if spans:
        for span in found:  # the matches after the first, as far as the piece goes
            if span[1] > end:
                break
            spans.append(span)
    piece = _marked(text[start:end], [s for s in spans if s[0] >= start and s[1] <= end], offset=start)
    return Markup("").join([Markup("… ") if start else Markup(""), piece, Markup(" …") if end < len(text) else Markup("")])
