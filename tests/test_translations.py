"""Every catalogue is complete in Finnish and Swedish and its compiled .mo matches the .po (the .mo files are
committed, so a fresh clone needs no gettext). English is the source language of the msgids."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(
    path
    for path in ROOT.glob("**/locale/*/LC_MESSAGES/django.po")
    if ".venv" not in path.parts and path.parts[-3] in {"fi", "sv"}
)


def test_there_are_catalogues():
    assert any(path.parts[-3] == "fi" for path in CATALOGUES)
    assert any(path.parts[-3] == "sv" for path in CATALOGUES)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: str(path.relative_to(ROOT)))
def test_catalogue_is_complete(path):
    catalogue = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"{path}: untranslated {untranslated}"
    assert not fuzzy, f"{path}: fuzzy {fuzzy}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: str(path.relative_to(ROOT)))
def test_compiled_catalogue_is_current(path):
    def entries(catalogue):
        return {
            (entry.msgctxt, entry.msgid): entry.msgstr or tuple(sorted(entry.msgstr_plural.items()))
            for entry in catalogue
            if not entry.obsolete and "fuzzy" not in entry.flags
        }

    compiled = path.with_suffix(".mo")
    assert compiled.exists(), f"{compiled} is missing: run `make messages`"
    assert entries(polib.mofile(str(compiled))) == entries(polib.pofile(str(path))), f"{compiled} is stale"
