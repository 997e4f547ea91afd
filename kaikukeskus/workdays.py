"""Finnish working days: Monday to Friday, not a public holiday of Finland. The one rule for every deadline that
is counted in working days (a support question's first reply, an interest submission's next step).

Public holidays come from the `holidays` package (Finland: New Year, Epiphany, Easter, May Day, Ascension,
Midsummer, All Saints', Independence Day, Christmas…), never from a hand-written list. Midsummer Eve and Christmas
Eve are not public holidays by law but nobody answers on them: they count as days off too."""

import datetime
from functools import lru_cache

import holidays

# De facto days off that the law does not list (holidays' Finland marks them as such only in its "unofficial" set).
EVES = ("Midsummer Eve", "Christmas Eve")


@lru_cache(maxsize=64)
def _days_off(year: int) -> frozenset[datetime.date]:
    official = holidays.Finland(years=year, language="en_US")
    days = set(official)
    # Midsummer Eve is the Friday before Midsummer Day (Saturday 20–26 June); Christmas Eve is 24 December.
    midsummer_day = next(day for day, name in official.items() if name == "Midsummer Day")
    days.add(midsummer_day - datetime.timedelta(days=1))
    days.add(datetime.date(year, 12, 24))
    return frozenset(days)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _days_off(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The day `days` working days after `start` (`start` itself not counted): a question asked on Friday before
    Midsummer with a target of 3 working days is due on the Wednesday after."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    remaining = days
    while remaining:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not after `start`)."""
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
