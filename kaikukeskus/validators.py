"""Validators every app uses on what people type."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

# A date people type is within Kaikukortti's lifetime: nothing in the portal happened before 2000, and nothing is
# planned more than ten years ahead. A year 1 or 9999 is a typing slip, and it would sort first or last forever.
EARLIEST_DATE = datetime.date(2000, 1, 1)
YEARS_AHEAD = 10


def latest_date() -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year + YEARS_AHEAD, day=28 if (today.month, today.day) == (2, 29) else today.day)


def validate_reasonable_date(value: datetime.date | None) -> None:
    """The one rule for a typed date (model fields, and the plain forms' date fields through `DateField`)."""
    if value is None:
        return
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not EARLIEST_DATE <= value <= latest_date():
        raise ValidationError(
            _("Check the date: it should be between %(earliest)s and %(latest)s."),
            code="unreasonable_date",
            params={
                "earliest": formats.date_format(EARLIEST_DATE, "SHORT_DATE_FORMAT"),
                "latest": formats.date_format(latest_date(), "SHORT_DATE_FORMAT"),
            },
        )
