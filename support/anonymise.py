"""Personal data out of a text that becomes a knowledge base article: e-mail addresses, phone numbers (found by
the `phonenumbers` package, Finnish numbers with or without +358 and international ones) and the names of the
people around the question (its thread's writers, the locality's coordinators), each replaced by a placeholder.

Names are matched as whole words, with the endings Finnish adds (`Mattila`, `Mattilalle`) and the stem of the
`-nen` names (`Virtanen`, `Virtaselle`), longest first so that a full name becomes one placeholder."""

import re
from collections.abc import Iterable

import phonenumbers
from django.utils.translation import gettext as _

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Shorter parts of names would hit ordinary words.
MIN_NAME_LENGTH = 3


def strip_personal_data(text: str, *, names: Iterable[str] = (), region: str = "FI") -> str:
    text = EMAIL.sub(_("[e-mail address]"), text)
    text = _strip_phones(text, region=region)
    return _strip_names(text, names)


def _strip_phones(text: str, *, region: str) -> str:
    matches = list(phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID))
    for match in reversed(matches):
        text = text[: match.start] + _("[phone number]") + text[match.end :]
    return text


def _strip_names(text: str, names: Iterable[str]) -> str:
    words = set()
    for name in names:
        name = " ".join(name.split())
        if len(name) >= MIN_NAME_LENGTH:
            words.add(name)
            for part in name.split():
                if len(part) >= MIN_NAME_LENGTH:
                    words.add(part)
                    if part.lower().endswith("nen"):
                        words.add(part[:-3] + "se")  # Virtanen, Virtasen, Virtaselle
    for word in sorted(words, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(word)}\w*", _("[name]"), text, flags=re.IGNORECASE)
    # A full name whose parts were replaced one by one reads as one placeholder.
    placeholder = re.escape(_("[name]"))
    return re.sub(rf"{placeholder}(\s+{placeholder})+", _("[name]"), text)
