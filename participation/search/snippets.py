"""Where a result matches: a short piece of its text with the matching words marked. Built from the text itself, every
piece escaped (Markup.escape) and only <mark> added, so no user text is ever read as HTML."""
import re
from functools import lru_cache

from markupsafe import Markup, escape

from participation.search import words

BEFORE, AFTER = 60, 180


def _matches(word: str, terms: list[str], fuzzy: bool) -> bool:
    folded = words.fold_word(word)
    return any(folded.startswith(term) or (fuzzy and words.near(term, folded)) for term in terms)


def _found(text: str, terms: list[str], fuzzy: bool):
    """(start, end) of each matching word, in order, read only as far as the caller asks."""
    if not terms:
        return iter(())
    if not fuzzy and (folded := _folded_in_place(text)) is not None:
        return ((m.start(), m.end()) for m in _starting_with(tuple(terms)).finditer(folded))
    return ((m.start(), m.end()) for m in words.WORD.finditer(text) if _matches(m.group(), terms, fuzzy))


def _fold_table() -> tuple[dict[int, str], frozenset[str]]:
    """Latin letters folded one by one (words.fold: case and diacritics), and the characters that do not fold to one
    character of the same kind (a letter or digit, or neither): "ß" gives "ss", "ĳ" "ij", "½" "1⁄2". (Combining marks
    lie beyond the table: a text holding one takes the word-by-word way.)"""
    table, odd = {}, set()
    for code in range(_LATIN_END):
        char = chr(code)
        folded = words.fold(char)
        if len(folded) == 1 and folded.isalnum() == char.isalnum():
            table[code] = folded
        else:
            odd.add(char)
    return table, frozenset(odd)


_LATIN_END = 0x250  # Basic Latin to Latin Extended-B: Latvian and its neighbours' letters
_FOLD, _ODD = _fold_table()


def _folded_in_place(text: str) -> str | None:
    """The text folded letter by letter, each letter where it was (so a match in it is a match at the same place in
    the text), or None when a character is outside the table or does not fold to one letter (the word-by-word way
    then). A page of results folded each word of each text in Python: a fifth of a search page's time."""
    if not text or max(text) >= chr(_LATIN_END) or not _ODD.isdisjoint(text):
        return None
    return text.translate(_FOLD)


@lru_cache(maxsize=512)
def _starting_with(terms: tuple[str, ...]) -> re.Pattern:
    """A whole word (words.WORD) that starts with one of the terms (folded, letters and digits only)."""
    return re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, terms)) + r")[^\W_]*")


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
