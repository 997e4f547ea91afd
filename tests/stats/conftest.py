"""The statistics tests: services and validation speak English here (the msgids); pages answer in their URL's
language (Finnish without a prefix)."""

import pytest

from tests.stats.factories import BLANK, ReportFactory, yearly_round


@pytest.fixture
def default_language() -> str:
    return "en"


@pytest.fixture
def reporting_round(db):
    return yearly_round(2025)


@pytest.fixture
def report(reporting_round, locality):
    return ReportFactory(round=reporting_round, locality=locality, **BLANK)


@pytest.fixture
def other_report(reporting_round, other_locality):
    return ReportFactory(round=reporting_round, locality=other_locality, **BLANK)
