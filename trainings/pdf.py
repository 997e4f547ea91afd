"""PDFs (WeasyPrint): staff's participant list and an attendee's certificate of participation, each rendered
from a template in the reader's language (kaikukeskus/pdf.py renders them and makes the response, which no
cache keeps)."""

from django.utils import translation

from kaikukeskus import pdf as pdf_files
from trainings.models import Registration, Training


def participant_list(training: Training, registrations) -> bytes:
    return pdf_files.render("trainings/pdf/participants.html", {"training": training, "registrations": registrations})


def certificate(registration: Registration) -> bytes:
    """In the registrant's language, whatever page it was asked from."""
    with translation.override(registration.language):
        return pdf_files.render(
            "trainings/pdf/certificate.html", {"registration": registration, "training": registration.training}
        )
