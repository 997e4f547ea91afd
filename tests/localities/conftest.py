import datetime

import pytest
from django.utils import timezone


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture(autouse=True)
def finnish_by_default():
    """Every test starts in Finnish, the default language: a request to /en/ or /sv/ leaves its language active
    in the thread, and reverse() would otherwise build the next test's URLs in it."""
    from django.utils import translation

    translation.activate("fi")
    yield
    translation.deactivate()
