#!/usr/bin/env python3
"""Fill the catalogues' empty entries from translation sheets, after scripts/update-translations.sh added them.

A sheet is a UTF-8 text file, one entry per line, fields separated by a TAB:

    msgid<TAB>Latvian
    singular|plural<TAB>Latvian one|Latvian other|Latvian zero      (ngettext: lv has three forms)

A line break inside a text is written as \\n.
English takes the msgid itself (the plural's two forms for ngettext), unless a third field gives it. Lines that are
empty or start with "#" are skipped. Entries already translated are left alone unless --force is given.

    python3 scripts/fill-translations.py SHEET [SHEET ...] [--force]
"""
import argparse
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]


def read_sheet(path: Path) -> dict:
    entries = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = [field.replace("\\n", "\n") for field in line.split("\t")]  # "\n" stands for a line break
        if len(fields) < 2:
            sys.exit(f"{path}:{number}: expected msgid<TAB>Latvian")
        entries[fields[0]] = (fields[1], fields[2] if len(fields) > 2 else None)
    return entries


def fill(lang: str, entries: dict, force: bool) -> int:
    path = ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po"
    with open(path, "rb") as handle:
        catalog = read_po(handle)
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        key = "|".join(message.id) if isinstance(message.id, tuple) else message.id
        if key not in entries:
            continue
        done = all(message.string) if isinstance(message.string, tuple) else bool(message.string)
        if done and not force:
            continue
        latvian, english = entries[key]
        if isinstance(message.id, tuple):
            forms = latvian.split("|") if lang == "lv" else (english.split("|") if english else list(message.id))
            message.string = tuple(forms)
        else:
            message.string = latvian if lang == "lv" else (english or message.id)
        message.flags.discard("fuzzy")
        filled += 1
    with open(path, "wb") as handle:
        write_po(handle, catalog, omit_header=False, sort_output=True, include_previous=False)
    return filled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sheets", nargs="+", type=Path)
    parser.add_argument("--force", action="store_true", help="replace translations that are already there")
    args = parser.parse_args()
    entries = {}
    for sheet in args.sheets:
        entries.update(read_sheet(sheet))
    for lang in ("lv", "en"):
        print(f"{lang}: {fill(lang, entries, args.force)} entries filled")


if __name__ == "__main__":
    main()
