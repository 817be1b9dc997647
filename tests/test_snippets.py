"""Where a result matches (participation/search/snippets.py): the letter-by-letter fold finds exactly the words the
word-by-word fold finds, whatever the text (Latvian letters, capitals, "ß", ligatures, combining marks, digits,
underscores, punctuation), so the fast way never marks a different word."""
from hypothesis import given, settings, strategies as st

from participation.search import snippets, words

ALPHABET = "aābcčdeēfgģhiījkķlļmnņoprsštuūvzž AĀČĒĢĪĶĻŅŠŪŽ_-.,;:!?'\"\n\t0123456789ßĳǆŉ½ÆæØøÅåÉéÑñ" + "\u0301\u0304ﬁΣσ€"


def _slow(text, terms):
    return [(m.start(), m.end()) for m in words.WORD.finditer(text) if snippets._matches(m.group(), terms, False)]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=120), st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=12), min_size=1,
                                                          max_size=3))
def test_the_fast_fold_finds_the_words_the_word_by_word_fold_finds(text, queries):
    terms = [t for q in queries for t in words.terms(q)] or ["koks"]
    assert list(snippets._found(text, terms, False)) == _slow(text, terms)


# Only characters the table folds (every one in its range but "ß", "ĳ" and the like), so the fast way is always taken.
FOLDED = st.characters(max_codepoint=0x24F).filter(lambda char: char not in snippets._ODD)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from(ALPHABET[:60]), FOLDED), max_size=120),
       st.lists(st.text(alphabet=st.one_of(st.sampled_from(ALPHABET[:40]), FOLDED), min_size=1, max_size=12),
                min_size=1, max_size=3))
def test_where_the_fast_fold_is_taken_it_finds_the_same_words(text, queries):
    assert snippets._folded_in_place(text) is not None or text == ""
    terms = [t for q in queries for t in words.terms(q)] or ["koks"]
    assert list(snippets._found(text, terms, False)) == _slow(text, terms)


def test_the_fast_fold_is_used_for_latvian_and_not_where_a_letter_folds_to_two():
    assert snippets._folded_in_place("Koku CIRŠANA parkā") == "koku cirsana parka"
    assert snippets._folded_in_place("Straße") is None  # ß folds to "ss": the word-by-word way
    assert snippets._folded_in_place("Кириллица") is None  # outside the table
    assert list(snippets._found("Koku ciršana", [], False)) == []  # nothing to look for finds nothing
    text = "Aizliegt koku ciršanu parkā. CIRŠANA_jau notiek; ciršanai 2ciršana"
    assert list(snippets._found(text, ["cirsan"], False)) == [(14, 21), (29, 36), (49, 57)] == _slow(text, ["cirsan"])


def test_a_snippet_marks_the_same_words_either_way(monkeypatch):
    text = "Parkā nocirsti simtgadīgi ozoli. Apturēt ciršanu līdz izpētei, CIRŠANA <b>nav</b> atļauta."
    fast = snippets.snippet(text, ["cirsan", "ozol"])
    monkeypatch.setattr(snippets, "_folded_in_place", lambda text: None)
    assert snippets.snippet(text, ["cirsan", "ozol"]) == fast
    assert fast.count("<mark>") == 3 and "&lt;b&gt;" in fast
