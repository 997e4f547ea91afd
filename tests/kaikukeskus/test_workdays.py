import datetime

import pytest

from kaikukeskus.workdays import add_working_days, is_working_day, working_days_between

D = datetime.date


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 6, 19), False),  # Midsummer Eve (Friday)
        (D(2026, 6, 20), False),  # Midsummer Day (Saturday)
        (D(2026, 6, 22), True),
        (D(2026, 12, 24), False),
        (D(2026, 12, 25), False),
        (D(2026, 12, 28), True),
        (D(2026, 12, 6), False),  # Independence Day, a Sunday
        (D(2027, 12, 6), False),  # Independence Day, a Monday
        (D(2026, 4, 3), False),  # Good Friday
        (D(2026, 4, 6), False),  # Easter Monday
        (D(2026, 5, 14), False),  # Ascension Day
        (D(2026, 5, 1), False),
        (D(2026, 12, 7), True),
    ],
)
def test_working_days_follow_finnish_public_holidays(day, expected):
    assert is_working_day(day) is expected


def test_three_working_days_over_midsummer():
    # Thursday 18 June 2026: Friday is Midsummer Eve, the weekend is Midsummer, so Mon, Tue, Wed.
    assert add_working_days(D(2026, 6, 18), 3) == D(2026, 6, 24)


def test_three_working_days_over_christmas():
    # Tuesday 22 December 2026: 23rd, then 24–26 off, weekend, 28th, 29th.
    assert add_working_days(D(2026, 12, 22), 3) == D(2026, 12, 29)


def test_five_working_days_over_new_year_and_epiphany():
    # Wednesday 30 December 2026: 31st, (1 Jan holiday), weekend, 4th, 5th, (6th Epiphany), 7th, 8th.
    assert add_working_days(D(2026, 12, 30), 5) == D(2027, 1, 8)


def test_zero_days_is_the_same_day_and_negative_is_refused():
    assert add_working_days(D(2026, 12, 7), 0) == D(2026, 12, 7)
    with pytest.raises(ValueError):
        add_working_days(D(2026, 12, 7), -1)


def test_working_days_between_counts_what_add_working_days_adds():
    start = D(2026, 12, 18)
    for days in range(30):
        assert working_days_between(start, add_working_days(start, days)) == days
    assert working_days_between(D(2026, 12, 10), D(2026, 12, 1)) == 0
