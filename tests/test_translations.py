"""Every catalogue is complete in Finnish and Swedish and its compiled .mo matches the .po (the .mo files are
committed, so a fresh clone needs no gettext). English is the source language of the msgids."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(
    path
    for path in ROOT.glob("**/locale/*/LC_MESSAGES/*.po")
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


# --- No English on a Finnish or Swedish page ----------------------------------------------------------------
#
# Django, its admin and allauth leave some Finnish and Swedish strings empty upstream; our catalogue (locale/)
# fills them. These tests walk the pages coordinators, staff and visitors see and fail on English text there:
# a text that is an English msgid of any catalogue the page draws from, or a word that exists only in English.

import json  # noqa: E402
import re  # noqa: E402
from html.parser import HTMLParser  # noqa: E402

import django  # noqa: E402
from django.urls import reverse  # noqa: E402

SITE_PACKAGES = Path(django.__file__).resolve().parent.parent
UPSTREAM_CATALOGUES = [
    SITE_PACKAGES / "django/conf/locale/en/LC_MESSAGES/django.po",
    *sorted(SITE_PACKAGES.glob("django/contrib/*/locale/en/LC_MESSAGES/django.po")),
    SITE_PACKAGES / "allauth/locale/en/LC_MESSAGES/django.po",
]
# Words a Finnish or Swedish page has no business showing (none of them is a Finnish or Swedish word).
ENGLISH_ONLY = re.compile(
    r"\b(the|your|you|and|with|this|that|please|password|passwords|choose|chosen|available|remove|selected|"
    r"click|authenticators?|recovery|account|email|sign|enter|submit|cancel|save|delete|change|search|filter|"
    r"today|now|yes|show|hide|add|view|history|home|required|field|characters?|code|codes|app|activate|"
    r"deactivate|reset|forgot|forgotten|confirm|continue|back|next|previous|page|of|log|logged|out)\b",
    re.IGNORECASE,
)
NOT_PROSE = re.compile(r"\S+@\S+|https?://\S+|/\S*")  # e-mail addresses, links and paths are not language


class VisibleText(HTMLParser):
    """The text a person sees or hears: text nodes outside scripts and styles, and the attributes read aloud or
    shown (labels, titles, placeholders, alternative texts, button values)."""

    SPOKEN_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt"}

    # Scripts and styles are not text; a text field's content is what someone typed (an offer in English is
    # meant to be English).
    HIDDEN = {"script", "style", "template", "textarea"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, language: str):
        super().__init__()
        self.language = language
        self.texts: list[str] = []
        # One entry per open element: is its text hidden or in another language (the language switcher's
        # "English" is marked lang="en" and is meant to be English)?
        self._open: list[tuple[str, bool]] = []

    def _skipping(self) -> bool:
        return bool(self._open) and self._open[-1][1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        other_language = (attributes.get("lang") or self.language)[:2] != self.language
        skipping = self._skipping() or tag in self.HIDDEN or other_language
        if not skipping:
            self.texts.extend(value for name, value in attrs if name in self.SPOKEN_ATTRIBUTES and value)
            if tag == "input" and attributes.get("type") in {"submit", "button"} and attributes.get("value"):
                self.texts.append(attributes["value"])
        if tag not in self.VOID:
            self._open.append((tag, skipping))

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not self._skipping() and data.strip():
            self.texts.append(" ".join(data.split()))


def english_msgids() -> set[str]:
    """Every English msgid without placeholders of the catalogues our pages draw from, ours included."""
    ours = [path.parent.parent.parent / "en/LC_MESSAGES" / path.name for path in CATALOGUES]
    msgids = set()
    for path in [*UPSTREAM_CATALOGUES, *ours]:
        for entry in polib.pofile(str(path)):
            if not entry.obsolete and "%" not in entry.msgid and "{" not in entry.msgid:
                msgids.add(entry.msgid.strip())
    return msgids


def translations_in(language: str) -> set[str]:
    """Every text the catalogues give in `language`: a word such as "Status" or "Partner" is English and Swedish
    alike, and is not English on the page when it is a translation."""
    from django.utils.translation import trans_real

    catalogue = trans_real.translation(language)._catalog
    return {str(value).strip() for _key, value in catalogue.items()}


def english_on(html: str, *, msgids: set[str], language: str) -> list[str]:
    parser = VisibleText(language)
    parser.feed(html)
    local = translations_in(language)
    found = []
    for text in parser.texts:
        if text in local:
            continue
        if text in msgids or ENGLISH_ONLY.search(NOT_PROSE.sub("", text)):
            found.append(text)
    return found


@pytest.fixture(scope="module")
def msgids():
    return english_msgids()


def walk(client, pages: dict[str, str], *, language: str, msgids: set[str], allowed=frozenset()) -> dict:
    """`pages` are reversed in `language` (with its prefix)."""
    found = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, f"{name}: {response.status_code}"
        english = english_on(response.content.decode(), msgids=msgids, language=language)
        if english := [text for text in english if text not in allowed]:
            found[name] = english
    return found


def post_and_read(client, url: str, data: dict, *, language: str, msgids: set[str]) -> list[str]:
    response = client.post(url, data)
    return english_on(response.content.decode(), msgids=msgids, language=language)


LANGUAGES = ["fi", "sv"]


@pytest.fixture
def language(request):
    """The page language of a parametrized test; URLs are reversed in it (Finnish has no prefix)."""
    from django.utils import translation

    with translation.override(request.param):
        yield request.param


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES, indirect=True)
def test_no_english_on_public_and_login_pages(client, locality, msgids, language):
    from localities.models import Locality

    Locality.objects.filter(pk=locality.pk).update(status=Locality.Status.PILOTING)
    pages = {
        "home": reverse("home"),
        "localities": reverse("localities:public-list"),
        "locality": reverse("localities:public-detail", kwargs={"slug": locality.slug}),
        "venues": reverse("networks:venue-search"),
        "accessibility": reverse("accessibility"),
        "privacy": reverse("privacy"),
        "login": reverse("account_login"),
        "password-reset": reverse("account_reset_password"),
        "password-reset-done": reverse("account_reset_password_done"),
    }
    assert walk(client, pages, language=language, msgids=msgids) == {}
    failed_login = post_and_read(
        client,
        reverse("account_login"),
        {"login": "nobody@example.fi", "password": "x"},
        language=language,
        msgids=msgids,
    )
    assert failed_login == []


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES, indirect=True)
def test_no_english_on_account_pages(coordinator_client, password, msgids, language):
    pages = {
        "email": reverse("account_email"),
        "password-change": reverse("account_change_password"),
        "two-factor": reverse("mfa_index"),
        "reauthenticate": reverse("account_reauthenticate"),
        "logout": reverse("account_logout"),
    }
    assert walk(coordinator_client, pages, language=language, msgids=msgids) == {}
    # The password validators' errors and help texts.
    weak = {"oldpassword": "wrong", "password1": "123", "password2": "123"}
    assert (
        post_and_read(coordinator_client, reverse("account_change_password"), weak, language=language, msgids=msgids)
        == []
    )
    # Setting up two-factor authentication asks for the password again first.
    reauthenticated = coordinator_client.post(reverse("account_reauthenticate"), {"password": password})
    assert reauthenticated.status_code == 302
    pages = {"totp-activate": reverse("mfa_activate_totp")}
    assert walk(coordinator_client, pages, language=language, msgids=msgids) == {}
    wrong_code = {"code": "000000"}
    assert (
        post_and_read(coordinator_client, reverse("mfa_activate_totp"), wrong_code, language=language, msgids=msgids)
        == []
    )


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES, indirect=True)
def test_no_english_on_portal_pages(coordinator_client, coordinator, locality, msgids, language):
    from networks.imports import EXAMPLES
    from tests.kaikukeskus.portal_pages import make_portal_pages

    pages = {
        name: url for name, (url, _belongs) in make_portal_pages(locality=locality, coordinator=coordinator).items()
    }
    # The import page shows an example cell of each column as it is typed into the file: the English offer's
    # example is English, and "yes" is one of the accepted values.
    examples = {value for example in EXAMPLES for value in example.values()}
    assert walk(coordinator_client, pages, language=language, msgids=msgids, allowed=examples) == {}
    # The partner form's errors.
    url = reverse("networks:partner-create", kwargs={"slug": locality.slug})
    assert post_and_read(coordinator_client, url, {"role": "venue"}, language=language, msgids=msgids) == []


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES, indirect=True)
def test_no_english_on_admin_pages(staff_client, coordinator, locality, msgids, language):
    from tests.networks.factories import PartnerFactory

    partner = PartnerFactory(locality=locality)
    pages = {
        "index": reverse("admin:index"),
        "localities": reverse("admin:localities_locality_changelist"),
        "locality": reverse("admin:localities_locality_change", args=[locality.pk]),
        "pilot-board": reverse("admin:localities_pilotboard_changelist"),
        "invitation": reverse("admin:localities_invitation_add"),
        "partners": reverse("admin:networks_partner_changelist"),
        "partner": reverse("admin:networks_partner_change", args=[partner.pk]),
        "users": reverse("admin:kaikukeskus_user_changelist"),
        "user": reverse("admin:kaikukeskus_user_change", args=[coordinator.pk]),
    }
    assert walk(staff_client, pages, language=language, msgids=msgids) == {}


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES, indirect=True)
def test_admin_javascript_strings_are_translated(staff_client, language):
    """The admin's widgets ("Choose all", "Available …", the calendar) speak through its JavaScript catalogue,
    where Django's Finnish leaves some strings empty: ours fills them."""
    source = polib.pofile(str(SITE_PACKAGES / "django/contrib/admin/locale/en/LC_MESSAGES/djangojs.po"))
    script = staff_client.get(reverse("admin:jsi18n")).content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", script, re.S).group(1))
    missing = [
        entry.msgid
        for entry in source
        if not entry.obsolete
        and not catalogue.get(f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid)
    ]
    assert missing == []


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES, indirect=True)
def test_no_english_on_materials_pages(client, staff, coordinator, msgids, language):
    import datetime

    from django.utils import timezone

    from materials import services
    from materials.models import MaterialVersion
    from tests.materials.factories import MaterialFactory, PublishedVersionFactory, VersionFactory, add_file

    material = MaterialFactory(slug="opas", kind="guideline")
    old = PublishedVersionFactory(material=material, label="2022", status=MaterialVersion.Status.SUPERSEDED)
    add_file(old, "en")
    add_file(old, "sv")
    add_file(PublishedVersionFactory(material=material, label="2024"), "fi")
    draft = VersionFactory(material=material, label="2026")
    add_file(draft, "fi")
    consultation = services.consultation_open(
        actor=staff, version=draft, closes_on=timezone.localdate() + datetime.timedelta(days=7)
    )
    public_pages = {
        "library": reverse("materials:library"),
        "material": reverse("materials:detail", kwargs={"slug": "opas"}),
        "fallback": reverse(
            "materials:latest", kwargs={"slug": "opas", "language": "sv" if language == "sv" else "en"}
        ),
    }
    # The fallback page names the English file's language in the page's language: not English text.
    assert walk(client, public_pages, language=language, msgids=msgids) == {}
    client.force_login(coordinator)
    portal_pages = {
        "material": reverse("materials:detail", kwargs={"slug": "opas"}),
        "consultation": reverse("materials:consultation", kwargs={"pk": consultation.pk}),
    }
    assert walk(client, portal_pages, language=language, msgids=msgids) == {}
    client.force_login(staff)
    staff_pages = {
        "material": reverse("materials:detail", kwargs={"slug": "opas"}),
        "materials": reverse("admin:materials_material_changelist"),
        "material-admin": reverse("admin:materials_material_change", args=[material.pk]),
        "version-admin": reverse("admin:materials_materialversion_change", args=[draft.pk]),
        "withdraw": reverse("admin:materials_materialversion_withdraw", args=[old.pk]),
        "consultation-admin": reverse("admin:materials_consultation_change", args=[consultation.pk]),
    }
    assert walk(client, staff_pages, language=language, msgids=msgids) == {}


# --- One term per msgid across the catalogues ----------------------------------------------------------------
#
# Django merges every app's catalogue into one: a msgid (without a context) that two catalogues translate
# differently shows whichever comes first, on the other app's pages too (the trainings' "Format" read
# "Tiedostomuoto", the materials' file format). One term per thing (docs/glossary.md), or a context where one
# English word means two things. `scripts/translation_collisions.py` lists the collisions.


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_no_msgid_is_translated_differently_in_two_catalogues(language):
    import importlib.util

    spec = importlib.util.spec_from_file_location("collisions", ROOT / "scripts" / "translation_collisions.py")
    assert spec and spec.loader
    collisions = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(collisions)

    found = collisions.collisions(language)

    described = [
        f"{msgid!r}: " + "; ".join(f"{translated!r} in {', '.join(where)}" for translated, where in ways.items())
        for msgid, ways in sorted(found.items())
    ]
    assert not found, f"{language}: translated differently in two catalogues:\n" + "\n".join(described)


def test_the_collision_check_finds_a_collision(tmp_path, monkeypatch):
    """The check itself: two catalogues that translate one msgid in two ways are reported, contexts are not."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("collisions", ROOT / "scripts" / "translation_collisions.py")
    assert spec and spec.loader
    collisions = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(collisions)
    for app, word in (("one", "Tiedostomuoto"), ("two", "Toteutustapa")):
        path = tmp_path / app / "locale" / "fi" / "LC_MESSAGES" / "django.po"
        path.parent.mkdir(parents=True)
        catalogue = polib.POFile()
        catalogue.append(polib.POEntry(msgid="Format", msgstr=word))
        catalogue.append(polib.POEntry(msgid="Format", msgctxt=app, msgstr=word))
        catalogue.save(str(path))
    monkeypatch.setattr(collisions, "ROOT", tmp_path)

    assert collisions.collisions("fi") == {"Format": {"Tiedostomuoto": ["one"], "Toteutustapa": ["two"]}}
