"""List the msgids (without a context) that two catalogues translate differently, per language.

Django merges every app's catalogue into one: a msgid translated differently in two apps gets whichever
catalogue comes first, so a page can show the other app's word ("Format" of materials on a training's page).
Fix a collision by one term everywhere (docs/glossary.md), or by a `pgettext` context where one English word
means two things.

    .venv/bin/python scripts/translation_collisions.py [--language fi|sv]

Exits 1 when there is a collision (tests/test_translations.py runs the same check).
"""

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def catalogues(language: str) -> list[Path]:
    return sorted(
        path
        for path in ROOT.glob(f"**/locale/{language}/LC_MESSAGES/django.po")
        if ".venv" not in path.parts and "node_modules" not in path.parts
    )


def translation_of(entry: polib.POEntry) -> str | tuple:
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
    return entry.msgstr


def collisions(language: str) -> dict[str, dict[str | tuple, list[str]]]:
    """{msgid: {translation: [catalogue, ...]}} for each msgid without a context translated in more than one way."""
    seen: dict[str, dict[str | tuple, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in catalogues(language):
        for entry in polib.pofile(str(path)):
            if entry.obsolete or entry.msgctxt or "fuzzy" in entry.flags:
                continue
            translated = translation_of(entry)
            if not translated or translated == "" or (isinstance(translated, tuple) and not all(translated)):
                continue
            seen[entry.msgid][translated].append(str(path.relative_to(ROOT)).split("/locale/")[0] or "locale")
    return {msgid: dict(ways) for msgid, ways in seen.items() if len(ways) > 1}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--language", choices=["fi", "sv"], action="append")
    args = parser.parse_args()
    found = 0
    for language in args.language or ["fi", "sv"]:
        for msgid, ways in sorted(collisions(language).items()):
            found += 1
            print(f"[{language}] {msgid!r}")
            for translated, where in ways.items():
                print(f"    {translated!r}: {', '.join(where)}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
