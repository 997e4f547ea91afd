import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from localities.models import Side
from tests.localities.factories import CoordinatorFactory


def pdf(name: str = "liite.pdf", text: str = "Kaikukortti") -> SimpleUploadedFile:
    content = f"%PDF-1.4\n% {text}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".encode()
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def second_coordinator(locality):
    """The locality's other coordinator (social and health side), who reads Swedish."""
    return CoordinatorFactory(
        locality=locality,
        side=Side.SOCIAL_HEALTH,
        user__email="toinen@kajaani.example.fi",
        user__preferred_language="sv",
    ).user


@pytest.fixture
def at(monkeypatch):
    """`at(datetime)`: the clock stands at that moment (Helsinki time) for the services."""

    def stand(moment: datetime.datetime) -> datetime.datetime:
        aware = timezone.make_aware(moment) if timezone.is_naive(moment) else moment
        monkeypatch.setattr(timezone, "now", lambda: aware)
        return aware

    return stand
