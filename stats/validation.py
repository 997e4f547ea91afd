"""The rules a report's figures must pass (DESIGN §4), written once for the portal form, the submit service, the
admin and the import.

Hard errors stop a submission or an import row: a missing, negative or non-integer figure; breakdowns whose sums
differ from the totals; a venue or issuer outside the locality's network; a period outside the round or across a
year's end. Warnings do not stop anything, but a coordinator must explain each in writing before submitting, and
staff see the explanation in the review (an import by staff lists them and goes on):

- a figure changed by more than 50 % *and* by more than 20 against the same period a year earlier (both, so
  that 2 → 4 in a small locality is not flagged, nor 10,000 → 10,030 in a big one);
- uses but no venues at the period's end;
- more than 50 uses per activated card.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from stats.models import AGE_GROUPS, FIGURES, SECTORS, USE_FIELDS, LocalityReport

CHANGE_RATIO = 0.5
CHANGE_MINIMUM = 20
USES_PER_CARD = 50


def change_code(name: str) -> str:
    return f"change:{name}"


# Every warning's code (explanations are stored by it): a form offers a text box for each, without having to
# know the rules.
USES_WITHOUT_VENUES = "uses_without_venues"
USES_PER_CARD_CODE = "uses_per_card"
WARNING_CODES = (*(change_code(name) for name in FIGURES), USES_WITHOUT_VENUES, USES_PER_CARD_CODE)


@dataclass(frozen=True)
class Finding:
    """An error or a warning. `code` is stable (explanations are stored by it); `field` names the form field it
    belongs to (None: the report as a whole)."""

    code: str
    field: str | None
    message: str


@dataclass
class Findings:
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)

    def error_dict(self) -> dict[str | None, list[str]]:
        """For `ValidationError(...)` and forms' `add_error`: messages by field (None for the whole report)."""
        errors: dict[str | None, list[str]] = {}
        for finding in self.errors:
            errors.setdefault(finding.field, []).append(finding.message)
        return errors

    def unexplained(self, explanations: Mapping[str, str]) -> list[Finding]:
        return [warning for warning in self.warnings if not (explanations.get(warning.code) or "").strip()]


@dataclass(frozen=True)
class VenueRow:
    partner_id: int
    sector: str
    adult: int
    child: int


@dataclass(frozen=True)
class IssuerRow:
    partner_id: int
    cards_registered: int


def _label(name: str, *, first: bool = False) -> str:
    label = str(LocalityReport._meta.get_field(name).verbose_name)
    return capfirst(label) if first else label


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)


def check_figures(
    figures: Mapping[str, object],
    *,
    required: bool = True,
    venue_rows: Iterable[VenueRow] = (),
    issuer_rows: Iterable[IssuerRow] = (),
    allowed_venues: set[int] | None = None,
    allowed_issuers: set[int] | None = None,
) -> list[Finding]:
    """The hard errors. `required`: the report is complete (a submission or an import): every figure is given
    and the breakdowns add up to the totals. A draft may leave figures blank and a breakdown partial (it is
    filled in page by page); its values must still be right. `allowed_*`: the partner ids of the locality's
    network, when the breakdown is checked against it."""
    errors: list[Finding] = []
    for name in FIGURES:
        value = figures.get(name)
        if value is None or value == "":
            if required:
                errors.append(Finding("required", name, _("Give %(figure)s (0 if none).") % {"figure": _label(name)}))
        elif isinstance(value, bool) or not isinstance(value, int):
            errors.append(
                Finding("integer", name, _("%(figure)s must be a whole number.") % {"figure": _label(name, first=True)})
            )
        elif value < 0:
            errors.append(
                Finding("negative", name, _("%(figure)s cannot be negative.") % {"figure": _label(name, first=True)})
            )
    # Every problem at once, but a bad or missing figure's sum is not checked: it would only repeat the complaint.
    unsure = {finding.field for finding in errors}

    venue_rows, issuer_rows = list(venue_rows), list(issuer_rows)
    row_values = [row.adult for row in venue_rows] + [row.child for row in venue_rows]
    row_values += [row.cards_registered for row in issuer_rows]
    if any(isinstance(value, bool) or not isinstance(value, int) or value < 0 for value in row_values):
        # A breakdown row must be a whole number too: a negative one would otherwise cancel another out in the sum
        # and reach the database's check constraint.
        errors.append(
            Finding("breakdown_value", None, _("Each figure of a breakdown must be a whole number, 0 or more."))
        )
        return errors
    if venue_rows:
        if allowed_venues is not None and any(row.partner_id not in allowed_venues for row in venue_rows):
            errors.append(
                Finding("venue_outside", None, _("The breakdown by venue names a venue outside this network."))
            )
        for age in AGE_GROUPS if required else ():
            for sector in SECTORS:
                name = f"{age}_{sector}"
                total = figures.get(name)
                breakdown = sum(getattr(row, age) for row in venue_rows if row.sector == sector)
                if name not in unsure and total is not None and breakdown != total:
                    errors.append(
                        Finding(
                            "venue_sum",
                            name,
                            _("The venues' %(figure)s add up to %(sum)s, but the total is %(total)s.")
                            % {"figure": _label(name), "sum": _number(breakdown), "total": _number(total)},
                        )
                    )
    if issuer_rows:
        if allowed_issuers is not None and any(row.partner_id not in allowed_issuers for row in issuer_rows):
            errors.append(
                Finding("issuer_outside", None, _("The breakdown by issuer names an issuer outside this network."))
            )
        total = figures.get("cards_registered")
        breakdown = sum(row.cards_registered for row in issuer_rows)
        if required and "cards_registered" not in unsure and total is not None and breakdown != total:
            errors.append(
                Finding(
                    "issuer_sum",
                    "cards_registered",
                    _("The issuers' cards add up to %(sum)s, but the cards registered are %(total)s.")
                    % {"sum": _number(breakdown), "total": _number(total)},
                )
            )
    return errors


def check_period(
    *, period_start: datetime.date, period_end: datetime.date, round_start: datetime.date, round_end: datetime.date
) -> list[Finding]:
    """A report's period must be its round's (an import row's dates choose the round)."""
    if period_end < period_start:
        return [Finding("period_order", "period_end", _("The period ends before it starts."))]
    if period_start.year != period_end.year:
        return [Finding("period_year", "period_end", _("A period must lie within one calendar year."))]
    if (period_start, period_end) != (round_start, round_end):
        return [Finding("period_outside", "period_start", _("The period is not the reporting round's period."))]
    return []


def check_warnings(
    figures: Mapping[str, int | None], *, previous: Mapping[str, int | None] | None, venues: int | None
) -> list[Finding]:
    """The warnings, against the same period a year earlier (`previous`, None when there is none)."""
    warnings: list[Finding] = []
    if previous:
        for name in FIGURES:
            now, before = figures.get(name), previous.get(name)
            if now is None or before is None:
                continue
            change = now - before
            if abs(change) > CHANGE_MINIMUM and abs(change) > CHANGE_RATIO * before:
                warnings.append(
                    Finding(
                        change_code(name),
                        name,
                        _("%(figure)s changed from %(before)s to %(now)s against the same period a year earlier.")
                        % {"figure": _label(name, first=True), "before": _number(before), "now": _number(now)},
                    )
                )
    uses = sum(figures.get(name) or 0 for name in USE_FIELDS)
    if uses and not venues:
        warnings.append(
            Finding(
                USES_WITHOUT_VENUES,
                "venues",
                _("%(uses)s uses are reported, but no venues at the end of the period.") % {"uses": _number(uses)},
            )
        )
    activated = figures.get("cards_activated") or 0
    if uses > USES_PER_CARD * activated:
        warnings.append(
            Finding(
                USES_PER_CARD_CODE,
                "cards_activated",
                _("More than %(limit)s uses per activated card (%(uses)s uses, %(cards)s cards activated).")
                % {"limit": USES_PER_CARD, "uses": _number(uses), "cards": _number(activated)},
            )
        )
    return warnings
