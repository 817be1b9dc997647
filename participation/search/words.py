"""Words of a query and of a text, folded the way both databases fold them (lower case, no diacritics), with a rough
Latvian stem so one inflected form finds the others ("ciršana" finds "ciršanu", "koki" finds "kokiem")."""
import re
import unicodedata
from functools import lru_cache

MAX_TERMS = 8
WORD = re.compile(r"[^\W_]+")
# Latvian noun, adjective and verb endings, folded, longest first (ā and a are one after folding). PostgreSQL's
# search_stems (migration 0019) applies the same rule to the documents: change both together (a test compares them).
ENDINGS = ("ajam", "ajai", "ajos", "ajas", "iem", "ama", "am", "em", "im", "um", "os", "as", "es", "is", "us", "ai", "ei",
           "ie", "a", "e", "i", "u", "s", "o")
MIN_STEM = 3


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold_word(word: str) -> str:
    """`fold` for one word of a text, remembered (up to 64 letters: a long run of letters in a text is not kept): a
    page of snippets folds the same words again and again."""
    return _fold_word(word) if len(word) <= 64 else fold(word)


@lru_cache(maxsize=20000)
def _fold_word(word: str) -> str:
    return fold(word)


def stem(word: str) -> str:
    """The word without its ending, kept at least MIN_STEM letters long; numbers and short words stay whole."""
    if word.isdigit() or len(word) <= MIN_STEM:
        return word
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


def terms(query: str) -> list[str]:
    """The stems to look for, in the order typed, without repeats (at most MAX_TERMS). Punctuation and operators
    ("%", "*", quotes, "OR") mean nothing: a query of nothing but those finds nothing."""
    found: list[str] = []
    for word in WORD.findall(fold(query)):
        if (term := stem(word)) not in found:
            found.append(term)
    return found[:MAX_TERMS]


def distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or limit + 1 once it is certainly larger."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def allowed_typos(term: str) -> int:
    return 0 if len(term) < 4 else 1 if len(term) < 7 else 2


def near(term: str, word: str) -> bool:
    """Whether a folded word of a text is the term with a typo or two (its start compared, so endings still vary)."""
    limit = allowed_typos(term)
    if not limit or word.isdigit():
        return False
    return min(distance(term, word[:n], limit) for n in range(max(1, len(term) - limit), len(term) + limit + 1)) <= limit
