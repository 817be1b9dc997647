"""Split a pasted draft (plain text or Markdown, usually a Latvian legal text) into numbered sections."""
import re
import unicodedata
from dataclasses import dataclass

# "1.", "12.", "1.1.", "2.3.1.", "5.1.2.4." — at most 3 digits a level, at most 4 levels; a year "2026." is not a point.
POINT = re.compile(r"([0-9]{1,3}(?:\.[0-9]{1,3}){0,3}\.)(?:\s+(.*))?$")
# "1. janvārī", "44. panta", "3. punktā" at the start of a wrapped line are references, not points.
REFERENCE = re.compile(
    r"(?:gad(?:a|ā|u|s|i|os|iem)|(?:janvār|februār|mart|aprīl|maij|jūnij|jūlij|august|septembr|oktobr|novembr"
    r"|decembr|pant|punkt|apakšpunkt|daļ|teikum|nodaļ|pielikum)\w*)\b"
)
MARKDOWN_HEADING = re.compile(r"#{1,6}\s+(.*?)(?:\s+#+)?$")
# "I. Vispārīgie jautājumi", "II. nodaļa. Maksas pakalpojumi", "2. nodaļa. ..."
CHAPTER = re.compile(r"[IVX]{1,6}\.(?:\s|$)|[0-9]{1,3}\.\s*nodaļa\b|[IVX]{1,6}\s+nodaļa\b")
# "Pielikums", "1. pielikums", "2. pielikums Rēzeknes novada domes ... saistošajiem noteikumiem Nr. 5"
ANNEX = re.compile(r"(?:[0-9]{1,3}\.\s*)?pielikums\b", re.IGNORECASE)
# A signature after a point: "Domes priekšsēdētājs J. Bērziņš", "Ministrs Jānis Bērziņš", "Priekšsēdētāja I. Kalniņa",
# or the office alone on its line ("Ministrs") with the name on the next one. It names an office (a few words, the
# office word among them) and a person, with no full stop: never a sentence of a point.
_UP, _LO = "A-ZĀČĒĢĪĶĻŅŠŪŽ", "a-zāčēģīķļņšūž"
_OFFICE_WORD = r"(?:priekšsēdētāj|ministr|prezident|sekretār|izpilddirektor|vadītāj|direktor|mēr)[" + _LO + r"]*"
OFFICE = re.compile(r"(?:[" + _UP + _LO + r"]+\s+){0,3}?" + r"(?i:" + _OFFICE_WORD + r")" + r"(?:\s+[" + _LO + r"]+){0,3}")
PERSON = re.compile(r"(?:[" + _UP + r"]\.\s?|[" + _UP + r"][" + _LO + r"]+\s+)+[" + _UP + r"][" + _LO + r"]+(?:-[" + _UP + r"][" + _LO + r"]+)?")


def _is_signature(lines: list[str], at: int) -> bool:
    """Whether lines[at] starts a signature block: an office with a name, or an office alone whose next written line
    is a name."""
    line = lines[at].strip()
    if not line or not line[0].isupper() or len(line) > 120:
        return False
    office = OFFICE.match(line)
    if office is None:
        return False
    rest = line[office.end():].strip()
    if rest:
        return PERSON.fullmatch(rest) is not None
    following = next((other.strip() for other in lines[at + 1:] if other.strip()), "")
    return PERSON.fullmatch(following) is not None


@dataclass(frozen=True)
class SectionDraft:
    number: str
    heading: str
    text: str


def _clean(source: str) -> list[str]:
    """Unified newlines, no control characters, no trailing spaces: the source as lines."""
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    source = "".join(ch for ch in source if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return [line.rstrip() for line in source.split("\n")]


def _starts_section(line: str) -> tuple[str, str, str] | None:
    """The (number, heading, first text line) a line opens a section with, or None for an ordinary line."""
    stripped = line.strip()
    if match := MARKDOWN_HEADING.match(stripped):
        if match.group(1):
            return "", match.group(1), ""
    if ANNEX.match(stripped) or CHAPTER.match(stripped):
        return "", stripped, ""
    if match := POINT.match(stripped):
        rest = match.group(2) or ""
        if not REFERENCE.match(rest):
            return match.group(1), "", rest
    return None


def _section(number: str, heading: str, lines: list[str]) -> SectionDraft:
    """A section whose text keeps line breaks, with runs of blank lines collapsed to one."""
    kept: list[str] = []
    for line in lines:
        if line.strip() or (kept and kept[-1].strip()):
            kept.append(line if line.strip() else "")
    return SectionDraft(number=number, heading=heading, text="\n".join(kept).strip())


def _point_and_signature(number: str, heading: str, lines: list[str]) -> list[SectionDraft]:
    """A point's lines, with a signature block that follows its text kept out of it, as a section of its own."""
    if number:
        for at in range(1, len(lines)):
            if _is_signature(lines, at):
                return [_section(number, heading, lines[:at]), _section("", "", lines[at:])]
    return [_section(number, heading, lines)]


def split_sections(source: str) -> list[SectionDraft]:
    """Split a draft into sections: a preamble, headings, chapters, annexes and dotted numbered points (a signature
    after a point is not part of it)."""
    sections: list[SectionDraft] = []
    number, heading, lines = "", "", []
    for line in _clean(source or ""):
        opened = _starts_section(line)
        if opened is None:
            lines.append(line)
            continue
        if number or heading or any(part.strip() for part in lines):
            sections.extend(_point_and_signature(number, heading, lines))
        number, heading, first = opened
        lines = [first]
    if number or heading or any(part.strip() for part in lines):
        sections.extend(_point_and_signature(number, heading, lines))
    return sections


def join_sections(sections) -> str:
    """The sections as one editable text that `split_sections` splits back into the same sections."""
    blocks = []
    for section in sections:
        lines = []
        if section.heading:
            plain = _starts_section(section.heading) == ("", section.heading, "")
            lines.append(section.heading if plain else "# " + section.heading)
        if section.number:
            lines.append(f"{section.number} {section.text}".rstrip())
        elif section.text:
            lines.append(section.text)
        blocks.append("\n".join(lines))
    return "\n\n".join(block for block in blocks if block)
