import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from kaikukeskus.forms import ReasonableDateField
from kaikukeskus.validators import EARLIEST_DATE, latest_date, validate_reasonable_date


def test_dates_from_2000_to_ten_years_ahead_are_accepted():
    for value in (EARLIEST_DATE, timezone.localdate(), latest_date(), None):
        validate_reasonable_date(value)
    assert latest_date().year == timezone.localdate().year + 10


@pytest.mark.parametrize(
    "value",
    [datetime.date(1, 1, 1), datetime.date(1999, 12, 31), datetime.date(9999, 12, 31)],
)
def test_a_typing_slip_of_a_year_is_refused_with_a_translated_message(value):
    with translation.override("sv"):
        with pytest.raises(ValidationError) as error:
            validate_reasonable_date(value)
        assert error.value.messages[0].startswith("Kontrollera datumet: det ska vara mellan 1.1.2000 och")
    with pytest.raises(ValidationError):
        validate_reasonable_date(latest_date() + datetime.timedelta(days=1))


def test_the_plain_forms_date_field_carries_the_rule():
    with pytest.raises(ValidationError):
        ReasonableDateField().clean("9999-12-31")
    assert ReasonableDateField().clean("2026-03-01") == datetime.date(2026, 3, 1)
