import pytest


@pytest.fixture
def default_language() -> str:
    """Services and models are tested in English, their msgids."""
    return "en"
