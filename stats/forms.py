"""The coordinators' report form. Forms read what was typed; the rules live in `stats/validation.py` and the
writes in `stats/services.py`. The form judges each value on its own (a whole number, not negative: the
validation module's rule), so that a draft saves the values typed right; what needs the whole report (a
breakdown that does not add up, a missing figure, a warning without its explanation) is the submitting
service's answer, put beside its field by the view."""

import re
from dataclasses import dataclass

from django import forms
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kaikukeskus.locking import VersionFormMixin
from networks.models import Partner, Sector
from stats import validation
from stats.models import (
    AGE_GROUPS,
    CARD_FIELDS,
    EDITABLE_FIELDS,
    FIGURES,
    NETWORK_FIELDS,
    SECTORS,
    TEXT_FIELDS,
    USE_FIELDS,
    LocalityReport,
)
from stats.selectors import BREAKDOWN_PAGE_SIZE, Breakdown

# The largest count a PositiveIntegerField holds everywhere: a bigger number is a typing mistake, said as such
# instead of reaching the database.
MAX_COUNT = 2_147_483_647
EXPLANATION_MAX_LENGTH = 2000


def _as_int(value) -> int:
    """A typed count for the page's sums (what is not a number counts as nothing there; the form says why)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def explanation_field(code: str) -> str:
    """The form field of a warning's explanation (a warning's code has a colon, a field name had better not)."""
    return "explanation_" + code.replace(":", "__")


def _count_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        required=False,
        max_value=MAX_COUNT,
        widget=forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        **kwargs,
    )


@dataclass(frozen=True)
class FieldGroup:
    key: str
    legend: str
    fields: list


class ReportForm(VersionFormMixin, forms.Form):
    """The report's figures, its municipalities and network, its texts, and an explanation for each warning.
    Every figure may be left blank in a draft; beside each, the same period a year earlier."""

    def __init__(self, *args, report: LocalityReport, previous: LocalityReport | None, **kwargs):
        initial = {name: getattr(report, name) for name in EDITABLE_FIELDS}
        initial.update({explanation_field(code): text for code, text in report.explanations.items()})
        super().__init__(*args, initial=initial, versioned_instance=report, **kwargs)
        self.previous = previous
        for name in (*FIGURES, *NETWORK_FIELDS):
            model_field = LocalityReport._meta.get_field(name)
            self.fields[name] = _count_field(
                label=capfirst(model_field.verbose_name), help_text=self._help_text(model_field)
            )
        for name in TEXT_FIELDS:
            model_field = LocalityReport._meta.get_field(name)
            self.fields[name] = forms.CharField(
                label=capfirst(model_field.verbose_name),
                required=False,
                max_length=model_field.max_length,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        for code in validation.WARNING_CODES:
            self.fields[explanation_field(code)] = forms.CharField(
                label=_("Explanation"),
                required=False,
                max_length=EXPLANATION_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def _help_text(self, model_field) -> str:
        parts = [str(model_field.help_text)] if model_field.help_text else []
        if self.previous is not None:
            value = getattr(self.previous, model_field.name)
            parts.append(str(_("A year earlier: %(value)s") % {"value": "–" if value is None else intcomma(value)}))
        return " ".join(parts)

    def groups(self) -> list[FieldGroup]:
        return [
            FieldGroup("cards", _("Cards"), [self[name] for name in CARD_FIELDS]),
            FieldGroup("adult", _("Adults' uses by sector"), [self[f"adult_{sector}"] for sector in SECTORS]),
            FieldGroup("child", _("Children's uses by sector"), [self[f"child_{sector}"] for sector in SECTORS]),
            FieldGroup(
                "network", _("Municipalities and the network at the period's end"), [self[n] for n in NETWORK_FIELDS]
            ),
            FieldGroup("texts", _("Highlights and challenges"), [self[name] for name in TEXT_FIELDS]),
        ]

    def clean(self):
        """A figure's own rules (a negative count), beside the other fields' problems: every value typed is
        judged in one go, so that the person fixes them all in one round."""
        cleaned = super().clean()
        figures = {name: cleaned[name] for name in FIGURES if name in cleaned}
        for finding in validation.check_figures(figures, required=False):
            if finding.field in cleaned:
                self.add_error(finding.field, finding.message)
        return cleaned

    def values(self) -> dict:
        """The report's values that were typed right (a draft saves these and keeps the rest as typed)."""
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS if name in self.cleaned_data}

    def unreadable(self) -> list[str]:
        """The fields whose typed values are wrong (left out of `values`)."""
        return [name for name in self.errors if name != NON_FIELD_ERRORS]

    def explanations(self, codes) -> dict[str, str]:
        """The explanations typed for the warnings `codes` (those of the figures as they are now); the saved
        one where what was typed cannot be kept (too long)."""
        return {
            code: self.cleaned_data[name] if name in self.cleaned_data else self.initial.get(name) or ""
            for code in codes
            for name in [explanation_field(code)]
        }

    def explanation_of(self, code: str):
        return self[explanation_field(code)]

    def typed(self, name: str) -> int:
        return _as_int(self[name].value())

    def sums(self) -> dict[str, int]:
        """The uses in total, as typed (the page's script updates them while typing)."""
        adult = sum(self.typed(f"adult_{sector}") for sector in SECTORS)
        child = sum(self.typed(f"child_{sector}") for sector in SECTORS)
        return {"adult": adult, "child": child, "total": adult + child}


@dataclass(frozen=True)
class SumCheck:
    """A breakdown's sum beside the total it must equal."""

    name: str
    label: str
    breakdown: int
    total: int
    given: bool
    saved_elsewhere: int = 0  # the part of `breakdown` saved on the breakdown's other pages

    STATES = {
        "equal": _("equal to the total"),
        "differs": _("differs from the total"),
        "none": _("no breakdown"),
    }

    @property
    def state(self) -> str:
        if not self.given:
            return "none"
        return "equal" if self.breakdown == self.total else "differs"

    @property
    def state_label(self) -> str:
        return self.STATES[self.state]


class VenueRowForm(forms.Form):
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    adult = _count_field(label=_("Adults"), min_value=0)
    child = _count_field(label=_("Children"), min_value=0)


class IssuerRowForm(forms.Form):
    cards_registered = _count_field(label=_("Cards registered"), min_value=0)


# The names a posted breakdown row is recognised by (the partner's id is in its prefix).
POSTED_ROW = {"venue": re.compile(r"^venue-(\d+)-sector$"), "issuer": re.compile(r"^issuer-(\d+)-cards_registered$")}


def posted_partner_ids(data) -> dict[str, list[int]]:
    """The partners whose breakdown rows were posted, by kind (`venue`, `issuer`): what the page showed."""
    found: dict[str, list[int]] = {kind: [] for kind in POSTED_ROW}
    for key in data:
        for kind, pattern in POSTED_ROW.items():
            match = pattern.match(key)
            if match:
                found[kind].append(int(match.group(1)))
    return found


class BreakdownForms:
    """A row for each venue and issuer of the breakdowns' pages, prefilled with what the report says of it. The
    partners are the server's (a row's partner comes from its prefix, and only the network's are read), and a
    blank row counts as zero: leaving every row blank means no breakdown. The page's rows replace what is saved
    of its partners; the other pages' rows stay as saved and count in the sums."""

    def __init__(self, data, *, breakdown: Breakdown):
        self.breakdown = breakdown
        self.venues = [
            (partner, VenueRowForm(data, prefix=f"venue-{partner.pk}", initial=self._venue_initial(partner, row)))
            for partner, row in breakdown.venues.rows
        ]
        self.issuers = [
            (
                partner,
                IssuerRowForm(
                    data,
                    prefix=f"issuer-{partner.pk}",
                    initial={"cards_registered": row.cards_registered if row else None},
                ),
            )
            for partner, row in breakdown.issuers.rows
        ]

    @staticmethod
    def _venue_initial(partner: Partner, row) -> dict:
        if row is None:
            return {"sector": partner.sector or Sector.CULTURE}
        return {"sector": row.sector, "adult": row.adult, "child": row.child}

    page_size = BREAKDOWN_PAGE_SIZE

    @property
    def is_paged(self) -> bool:
        return any(page.page.paginator.num_pages > 1 for page in (self.breakdown.venues, self.breakdown.issuers))

    def partner_ids(self) -> list[int]:
        """The partners of the rows typed right: their saved rows are the ones a save replaces (a row typed
        wrong keeps what is saved of it, and shows what was typed)."""
        return [partner.pk for partner, form in (*self.venues, *self.issuers) if not form.errors]

    def forms(self):
        return [form for _partner, form in (*self.venues, *self.issuers)]

    def is_valid(self) -> bool:
        valid = [form.is_valid() for form in self.forms()]  # every row, so that each shows its errors
        return all(valid)

    @property
    def is_given(self) -> bool:
        """Something is in a breakdown row (as typed, or as saved on any page): the page opens the breakdown
        section."""
        rest = (*self.breakdown.venues.rest.values(), *self.breakdown.issuers.rest.values())
        return any(rest) or any(
            form[name].value() not in (None, "", "0", 0)
            for form in self.forms()
            for name in form.fields
            if name != "sector"
        )

    def venue_rows(self) -> list[validation.VenueRow]:
        rows = [
            validation.VenueRow(
                partner.pk,
                form.cleaned_data["sector"],
                form.cleaned_data["adult"] or 0,
                form.cleaned_data["child"] or 0,
            )
            for partner, form in self.venues
            if not form.errors
        ]
        return [row for row in rows if row.adult or row.child]

    def issuer_rows(self) -> list[validation.IssuerRow]:
        rows = [
            validation.IssuerRow(partner.pk, form.cleaned_data["cards_registered"] or 0)
            for partner, form in self.issuers
            if not form.errors
        ]
        return [row for row in rows if row.cards_registered]

    def checks(self, form: ReportForm) -> dict:
        """The breakdowns' sums as typed, beside the totals (the script updates them while typing)."""
        venue_sums = dict(self.breakdown.venues.rest)
        for _partner, row in self.venues:
            sector = row["sector"].value()
            for age in AGE_GROUPS:
                name = f"{age}_{sector}"
                if name in venue_sums:
                    venue_sums[name] += _as_int(row[age].value())
        venues_given = any(venue_sums.values())
        issuers_rest = self.breakdown.issuers.rest["cards_registered"]
        issuers = issuers_rest + sum(_as_int(row["cards_registered"].value()) for _partner, row in self.issuers)
        venues_rest = self.breakdown.venues.rest
        return {
            "venues": [
                SumCheck(name, form[name].label, venue_sums[name], form.typed(name), venues_given, venues_rest[name])
                for name in USE_FIELDS
            ],
            "issuers": [
                SumCheck(
                    "cards_registered",
                    form["cards_registered"].label,
                    issuers,
                    form.typed("cards_registered"),
                    bool(issuers),
                    issuers_rest,
                )
            ],
        }

    def error_links(self) -> list[tuple[str, str]]:
        """(field id, "partner, field: error") for the page's error summary."""
        return [
            (form[name].auto_id, f"{partner.name}, {form.fields[name].label}: {error}")
            for partner, form in (*self.venues, *self.issuers)
            for name, errors in form.errors.items()
            for error in errors
        ]
