"""PDFs (WeasyPrint): staff's participant list and an attendee's certificate of participation, each rendered
from a template in the reader's language."""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from trainings.models import Registration, Training


def _pdf(template: str, context: dict) -> bytes:
    # Imported when a PDF is asked for: WeasyPrint parses its stylesheets (and logs it) on import.
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def participant_list(training: Training, registrations) -> bytes:
    return _pdf("trainings/pdf/participants.html", {"training": training, "registrations": registrations})


def certificate(registration: Registration) -> bytes:
    """In the registrant's language, whatever page it was asked from."""
    with translation.override(registration.language):
        return _pdf("trainings/pdf/certificate.html", {"registration": registration, "training": registration.training})


def response(content: bytes, *, filename: str) -> HttpResponse:
    answer = HttpResponse(content, content_type="application/pdf")
    answer["Content-Disposition"] = f'attachment; filename="{filename}"'
    answer["Cache-Control"] = "private, no-store"
    return answer
