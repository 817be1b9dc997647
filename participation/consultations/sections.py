"""Which section of one version is "the same" section in another: a stable key per section."""
import re
import unicodedata


def section_keys(sections) -> list[str]:
    """Keys that survive a new version: the number within its part of the document (annexes restart their
    numbering), a heading by its text, and unnumbered paragraphs by their place within the part."""
    keys, part, unnumbered = [], "main", 0
    for section in sections:
        if section.heading and not section.number:
            words = section.heading.split()
            if "pielikum" in section.heading.lower() or "annex" in section.heading.lower():
                part = " ".join(words[:2]) if words[0][0].isdigit() else words[0]  # "2. pielikums" or "Pielikums"
            keys.append(f"{part}|h|{section.heading}")
            unnumbered = 0
        elif section.number:
            keys.append(f"{part}|{section.number}")
        else:
            unnumbered += 1
            keys.append(f"{part}|p{unnumbered}")
    return keys


def anchor(key: str) -> str:
    """An HTML id for a key."""
    plain = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode().lower()
    return "s-" + (re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "x")
