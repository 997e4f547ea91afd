"""The role fixtures' localities get real municipalities here: Kajaani and Sotkamo for `locality`, Tornio for
`other_locality`."""

import pytest

from localities.models import Municipality


@pytest.fixture
def locality(locality):
    locality.municipalities.set(Municipality.objects.filter(code__in=["205", "765"]))
    return locality


@pytest.fixture
def other_locality(other_locality):
    other_locality.municipalities.set(Municipality.objects.filter(code="851"))
    return other_locality


@pytest.fixture
def kajaani():
    return Municipality.objects.get(code="205")


@pytest.fixture
def sotkamo():
    return Municipality.objects.get(code="765")


@pytest.fixture
def tornio():
    return Municipality.objects.get(code="851")


@pytest.fixture
def default_language() -> str:
    """Services, selectors and models speak English here (the msgids); pages answer in their URL's language
    (Finnish without a prefix), as visitors see them."""
    return "en"
