"""The words of free text that the figures count: lower case, letters only, Latvian (and English) stop words left out."""
import re
from collections import Counter

from participation.feedback.masking import mask_emails

# Latvian function words (prepositions, conjunctions, particles, pronouns, the forms of "būt") and a few English ones,
# so "the most frequent words" name what was missing, not how sentences are built.
STOP_WORDS = frozenset("""
a aiz ar arī at bet bez būs būt caur dēļ diemžēl es esam esat esmu gan gar ir iz jā jau jo ja jeb jūs jums jūsu
kā kad kam kas kāds kāda kādi kur kura kurā kurš kuri lai līdz man mans mana mēs mums mūsu nav ne nebija nekas nevar no
nu pa par pat pēc pie pret priekš sev savu savs savā šī šis šo šeit tā tad tai tam tas taču te tie tik tikai to tu tur
tev tā tās tāpēc uz vai var vien vēl vēlos viņa viņš viņi visu viss zem ļoti būtu bija bijis esot kāpēc tomēr vairs
nē jā labi lapā lapa lapu
the and for that this with was are not you have but from can there what about
""".split())

_WORD = re.compile(r"[^\W\d_]{3,60}", re.UNICODE)


def counted_words(text: str) -> Counter:
    """How often each counted word occurs in the text (e-mail addresses masked first, never counted)."""
    words = (word.lower() for word in _WORD.findall(mask_emails(text or "")))
    return Counter(word for word in words if word not in STOP_WORDS)
