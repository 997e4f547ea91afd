"""The partner spreadsheet's columns: their keys and labels (in Finnish, Swedish and English, each accepted as a
header), the template's example rows, and what the template and the exports write."""

from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from networks.models import CommitmentKind, IssuerKind, PartnerRole, Sector, VenueCategory

# --- Columns ----------------------------------------------------------------------------------------------


# --- Columns ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    required: bool = False

    @property
    def example(self) -> str:
        """The column's example for the import page, as the reader would type it in their language (a choice's
        label, not its stored code): the venue's, else the issuer's."""
        value = next((example[self.key] for example in EXAMPLES if example.get(self.key)), "")
        choices = _choices().get(self.key)
        if choices is not None and value:
            return str(dict(choices).get(value, value))
        return value

    @property
    def values(self) -> list[str]:
        """What the reader can type in a column with a fixed set of answers, in their language (the words in
        the other two languages and the codes are accepted too)."""
        choices = _choices().get(self.key)
        return [str(label) for _value, label in choices] if choices is not None else []


def _choices() -> dict[str, list]:
    return {
        "role": PartnerRole.choices,
        "sector": Sector.choices,
        "category": VenueCategory.choices,
        "issuer_kind": IssuerKind.choices,
        "commitment_kind": CommitmentKind.choices,
        "listed_publicly": [("yes", _("yes")), ("no", _("no"))],
    }


COLUMNS: tuple[Column, ...] = (
    Column("role", gettext_lazy("Role"), required=True),
    Column("name", gettext_lazy("Name"), required=True),
    Column("parent_organisation", gettext_lazy("Parent organisation")),
    Column("municipality", gettext_lazy("Municipality"), required=True),
    Column("address", gettext_lazy("Address")),
    Column("website", gettext_lazy("Website")),
    Column("sector", gettext_lazy("Sector")),
    Column("category", gettext_lazy("Category")),
    Column("issuer_kind", gettext_lazy("Issuer kind")),
    Column("offer_fi", gettext_lazy("Offer in Finnish")),
    Column("offer_sv", gettext_lazy("Offer in Swedish")),
    Column("offer_en", gettext_lazy("Offer in English")),
    Column("listed_publicly", gettext_lazy("Listed publicly")),
    Column("joined_on", gettext_lazy("Joined on")),
    Column("left_on", gettext_lazy("Left on")),
    Column("commitment_acknowledged_on", gettext_lazy("Commitment acknowledged on")),
    Column("commitment_kind", gettext_lazy("Commitment kind")),
    Column("contact_name", gettext_lazy("Primary contact name")),
    Column("contact_title", gettext_lazy("Primary contact title")),
    Column("contact_email", gettext_lazy("Primary contact e-mail")),
    Column("contact_phone", gettext_lazy("Primary contact phone")),
)
# The template's two example rows: a venue and an issuer.
EXAMPLES: tuple[dict[str, str], ...] = (
    {
        "role": "venue",
        "name": "Kaupunginteatteri",
        "parent_organisation": "Kaupunki",
        "municipality": "091",
        "address": "Teatterikatu 1, 00100 Helsinki",
        "website": "https://teatteri.example.fi",
        "sector": "culture",
        "category": "theatre",
        "offer_fi": "Vapaalippu kaikkiin näytöksiin, enintään 5 % paikoista. Liput lippukassalta tai puhelimitse.",
        "offer_sv": "Fribiljett till alla föreställningar, högst 5 % av platserna. Biljetter i biljettkassan eller "
        "per telefon.",
        "offer_en": "Free ticket to every performance, up to 5 % of seats. Tickets at the box office or by phone.",
        "listed_publicly": "yes",
        "joined_on": "2025-01-01",
        "commitment_acknowledged_on": "2024-12-15",
        "commitment_kind": "permanent",
        "contact_name": "Maija Meikäläinen",
        "contact_title": "Myyntipäällikkö",
        "contact_email": "maija@teatteri.example.fi",
        "contact_phone": "040 123 4567",
    },
    {
        "role": "issuer",
        "name": "Aikuissosiaalityö",
        "parent_organisation": "Hyvinvointialue",
        "municipality": "091",
        "issuer_kind": "social_services",
        "listed_publicly": "no",
        "joined_on": "2025-01-01",
        "commitment_acknowledged_on": "2024-12-15",
        "commitment_kind": "pilot",
        "contact_name": "Matti Virtanen",
        "contact_title": "Sosiaalityöntekijä",
        "contact_email": "matti@hyvinvointi.example.fi",
        "contact_phone": "+358 9 123 4567",
    },
)
COLUMN_KEYS = tuple(column.key for column in COLUMNS)
REQUIRED_KEYS = tuple(column.key for column in COLUMNS if column.required)


def normalise_header(value: str) -> str:
    return " ".join(str(value).replace("\ufeff", "").replace("*", "").strip().lower().replace("_", " ").split())


def header_aliases() -> dict[str, str]:
    """Every accepted header → column key: the key itself and the label in Finnish, Swedish and English."""
    aliases: dict[str, str] = {}
    for column in COLUMNS:
        aliases[normalise_header(column.key)] = column.key
        for language in ("fi", "sv", "en"):
            with translation.override(language):
                aliases[normalise_header(str(column.label))] = column.key
    return aliases


# --- Writing the template and exports ---------------------------------------------------------------------


def column_labels() -> list[str]:
    return [str(column.label) for column in COLUMNS]


def example_rows() -> list[list[str]]:
    return [[example.get(column.key, "") for column in COLUMNS] for example in EXAMPLES]
