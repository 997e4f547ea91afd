"""Every rule of stats/validation.py: the hard errors and the warnings, the thresholds at their edges."""

import datetime

import pytest

from stats import validation
from stats.models import FIGURES, USE_FIELDS
from stats.validation import IssuerRow, VenueRow, check_figures, check_period, check_warnings
from tests.stats.factories import FILLED as FILLED_REPORT

FILLED = {name: FILLED_REPORT[name] for name in FIGURES}  # the figures alone


def figures(**changes):
    return {**FILLED, **changes}


def codes(findings):
    return sorted((finding.code, finding.field) for finding in findings)


# --- Hard errors --------------------------------------------------------------------------------------------


def test_complete_figures_pass():
    assert check_figures(figures()) == []


@pytest.mark.parametrize("name", FIGURES)
def test_a_missing_figure_is_an_error_when_required(name):
    assert codes(check_figures(figures(**{name: None}))) == [("required", name)]
    assert codes(check_figures(figures(**{name: ""}))) == [("required", name)]


def test_a_draft_may_leave_figures_blank():
    assert check_figures(dict.fromkeys(FIGURES), required=False) == []


@pytest.mark.parametrize("value", [1.5, "12", True, [1]])
def test_a_figure_must_be_a_whole_number(value):
    assert codes(check_figures(figures(cards_activated=value))) == [("integer", "cards_activated")]


def test_a_figure_cannot_be_negative_but_zero_is_fine():
    assert codes(check_figures(figures(child_sports=-1))) == [("negative", "child_sports")]
    assert check_figures(figures(child_sports=0)) == []


def test_every_problem_is_reported_at_once_but_a_bad_figures_sum_is_not_checked():
    rows = [VenueRow(1, "culture", 1, 200), *venue_rows_matching()[1:]]
    found = check_figures(figures(adult_culture=-5, child_sports=None), venue_rows=rows)
    assert codes(found) == [("negative", "adult_culture"), ("required", "child_sports")]
    found = check_figures(figures(adult_culture=-5, child_culture=199), venue_rows=rows)
    assert codes(found) == [("negative", "adult_culture"), ("venue_sum", "child_culture")]


def venue_rows_matching(values=FILLED):
    """One venue per sector carrying its sector's totals."""
    return [
        VenueRow(index, sector, values[f"adult_{sector}"], values[f"child_{sector}"])
        for index, sector in enumerate(("culture", "education", "science", "sports"), start=1)
    ]


def test_venue_breakdown_equal_to_the_totals_passes():
    assert check_figures(figures(), venue_rows=venue_rows_matching(), allowed_venues={1, 2, 3, 4}) == []


def test_venue_breakdown_may_split_a_sector_over_venues():
    rows = [*venue_rows_matching()[1:], VenueRow(1, "culture", 100, 50), VenueRow(5, "culture", 200, 150)]
    assert check_figures(figures(), venue_rows=rows) == []


def test_venue_breakdown_sum_differing_from_a_total_is_an_error_on_that_figure():
    rows = venue_rows_matching()
    rows[0] = VenueRow(1, "culture", 299, 200)
    found = check_figures(figures(), venue_rows=rows)
    assert codes(found) == [("venue_sum", "adult_culture")]
    assert "299" in found[0].message and "300" in found[0].message


def test_venue_breakdown_missing_a_sector_is_an_error_for_each_of_its_figures():
    found = check_figures(figures(), venue_rows=venue_rows_matching()[:3])  # no sports venue
    assert codes(found) == [("venue_sum", "adult_sports"), ("venue_sum", "child_sports")]


def test_a_venue_outside_the_network_is_an_error():
    found = check_figures(figures(), venue_rows=venue_rows_matching(), allowed_venues={1, 2, 3})
    assert codes(found) == [("venue_outside", None)]


def test_issuer_breakdown_must_add_up_to_the_cards_registered():
    assert check_figures(figures(), issuer_rows=[IssuerRow(7, 100), IssuerRow(8, 20)], allowed_issuers={7, 8}) == []
    found = check_figures(figures(), issuer_rows=[IssuerRow(7, 100), IssuerRow(8, 21)])
    assert codes(found) == [("issuer_sum", "cards_registered")]


def test_an_issuer_outside_the_network_is_an_error():
    found = check_figures(figures(), issuer_rows=[IssuerRow(7, 120)], allowed_issuers={8})
    assert codes(found) == [("issuer_outside", None)]


@pytest.mark.parametrize(
    ("venue_rows", "issuer_rows"),
    [
        ([VenueRow(1, "culture", -10, 0), VenueRow(2, "culture", 310, 200)], []),
        ([], [IssuerRow(7, -1), IssuerRow(8, 121)]),
        ([VenueRow(1, "culture", 1.5, 0)], []),
    ],
)
def test_a_breakdown_row_must_be_a_whole_number_of_zero_or_more(venue_rows, issuer_rows):
    # A negative row could otherwise make the sum come out right, and the database refuses it anyway.
    found = check_figures(figures(), venue_rows=venue_rows, issuer_rows=issuer_rows)
    assert codes(found) == [("breakdown_value", None)]


def test_the_period_must_be_the_rounds():
    start, end = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
    assert check_period(period_start=start, period_end=end, round_start=start, round_end=end) == []
    assert codes(
        check_period(period_start=start, period_end=datetime.date(2025, 6, 30), round_start=start, round_end=end)
    ) == [("period_outside", "period_start")]
    assert codes(check_period(period_start=end, period_end=start, round_start=start, round_end=end)) == [
        ("period_order", "period_end")
    ]
    assert codes(
        check_period(
            period_start=datetime.date(2025, 7, 1),
            period_end=datetime.date(2026, 6, 30),
            round_start=start,
            round_end=end,
        )
    ) == [("period_year", "period_end")]


# --- Warnings -----------------------------------------------------------------------------------------------


def test_no_warnings_without_a_previous_period_and_with_venues():
    assert check_warnings(figures(), previous=None, venues=10) == []


@pytest.mark.parametrize(
    ("before", "now", "warned"),
    [
        (100, 150, False),  # +50 %: not over half
        (100, 151, True),  # just over half and over 20
        (100, 49, True),  # a fall of 51
        (100, 50, False),  # a fall of exactly half
        (40, 60, False),  # +50 % and +20: neither is over
        (40, 61, True),  # over half and over 20
        (30, 50, False),  # +67 % but only +20
        (30, 51, True),  # +70 % and +21
        (2, 22, False),  # ten-fold, but only +20: a small locality's figures jump
        (10000, 10030, False),  # +30 but far from half
        (0, 20, False),  # from nothing, but only 20
        (0, 21, True),  # from nothing to 21
    ],
)
def test_a_change_is_warned_when_over_half_and_over_twenty(before, now, warned):
    previous = figures(cards_registered=before)
    found = check_warnings(figures(cards_registered=now), previous=previous, venues=10)
    assert [finding.code for finding in found] == (["change:cards_registered"] if warned else [])
    if warned:
        assert found[0].field == "cards_registered"


@pytest.mark.parametrize("name", FIGURES)
def test_every_figure_is_compared_with_a_year_earlier(name):
    previous = figures(**{name: 1000})
    found = check_warnings(figures(**{name: 100}), previous=previous, venues=10)
    assert [(finding.code, finding.field) for finding in found] == [(f"change:{name}", name)]


def test_a_figure_unknown_now_or_then_is_not_compared():
    assert check_warnings(figures(adult_sports=None), previous=figures(adult_sports=1000), venues=5) == []
    assert check_warnings(figures(), previous=figures(adult_sports=None), venues=5) == []


def test_uses_without_venues_are_warned():
    found = check_warnings(figures(), previous=None, venues=0)
    assert codes(found) == [("uses_without_venues", "venues")]
    assert codes(check_warnings(figures(), previous=None, venues=None)) == [("uses_without_venues", "venues")]
    no_uses = figures(**dict.fromkeys(USE_FIELDS, 0))
    assert check_warnings(no_uses, previous=None, venues=0) == []


@pytest.mark.parametrize(("activated", "warned"), [(14, False), (13, True)])
def test_more_than_fifty_uses_per_activated_card_is_warned(activated, warned):
    # 700 uses: 14 activated cards make 50 a card (not over), 13 make 53.8.
    uses = dict.fromkeys(USE_FIELDS, 0) | {"adult_culture": 700}
    found = check_warnings(figures(**uses, cards_activated=activated), previous=None, venues=3)
    assert [finding.code for finding in found] == (["uses_per_card"] if warned else [])


def test_exactly_fifty_uses_per_card_is_not_warned():
    uses = dict.fromkeys(USE_FIELDS, 0) | {"child_sports": 500}
    assert check_warnings(figures(**uses, cards_activated=10), previous=None, venues=3) == []
    uses["child_sports"] = 501
    assert codes(check_warnings(figures(**uses, cards_activated=10), previous=None, venues=3)) == [
        ("uses_per_card", "cards_activated")
    ]


def test_uses_with_no_activated_cards_are_warned():
    assert codes(check_warnings(figures(cards_activated=0), previous=None, venues=3)) == [
        ("uses_per_card", "cards_activated")
    ]


def test_every_warning_code_is_known_to_the_form():
    previous = dict.fromkeys(FIGURES, 1000)
    found = check_warnings(figures(cards_activated=0), previous=previous, venues=0)
    assert {finding.code for finding in found} == set(validation.WARNING_CODES)


def test_findings_list_the_unexplained_warnings_and_errors_by_field():
    found = validation.Findings(
        errors=check_figures(figures(cards_registered=None, adult_culture=-1)),
        warnings=check_warnings(figures(), previous=None, venues=0),
    )
    assert set(found.error_dict()) == {"cards_registered", "adult_culture"}
    assert [w.code for w in found.unexplained({})] == ["uses_without_venues"]
    assert found.unexplained({"uses_without_venues": "  "}) != []
    assert found.unexplained({"uses_without_venues": "Venues are counted in the county's report."}) == []
