"""The WeasyPrint helper (kaikukeskus/pdf.py): one way to make a PDF, fonts and stylesheets kept between documents,
and the Celery worker warming it when its processes start."""

import io
import logging

from celery.signals import worker_init, worker_process_init
from pypdf import PdfReader

from kaikukeskus import celery, pdf


def text_of(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_html_to_pdf_keeps_the_fonts_and_the_stylesheet_between_documents():
    first = pdf.html_to_pdf("<p>Kaikukortti</p>", stylesheet="stats/css/annual_report.css")
    font_config, stylesheets = pdf._kept.font_config, dict(pdf._kept.stylesheets)
    second = pdf.html_to_pdf("<p>Käyttökerrat</p>", stylesheet="stats/css/annual_report.css")
    assert first.startswith(b"%PDF") and "Kaikukortti" in text_of(first) and "Käyttökerrat" in text_of(second)
    assert pdf._kept.font_config is font_config and pdf._kept.stylesheets == stylesheets and len(stylesheets) == 1


def test_the_response_is_an_attachment_kept_out_of_caches_unless_it_is_public():
    personal = pdf.response(b"%PDF-", filename="certificate-1.pdf")
    assert personal["Content-Type"] == "application/pdf" and personal["Cache-Control"] == "private, no-store"
    assert personal["Content-Disposition"] == 'attachment; filename="certificate-1.pdf"'
    assert "Cache-Control" not in pdf.response(b"%PDF-", filename="report.pdf", private=False)


def test_warm_up_lays_out_a_document(monkeypatch):
    made = []
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html, **kwargs: made.append(html) or b"%PDF-")
    assert pdf.warm_up() >= 0 and made == [pdf.WARM_UP_HTML]


def test_a_failing_warm_up_is_logged_not_raised(monkeypatch, caplog):
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html, **kwargs: 1 / 0)
    with caplog.at_level(logging.ERROR, logger="kaikukeskus.pdf"):
        pdf.warm_up()
    assert "WeasyPrint could not be warmed up" in caplog.text


def test_a_worker_warms_weasyprint_when_its_processes_start(monkeypatch):
    assert celery.warm_up_pdfs in [receiver() for _key, receiver in worker_process_init.receivers]
    assert celery.import_weasyprint in [receiver() for _key, receiver in worker_init.receivers]
    warmed = []
    monkeypatch.setattr(pdf, "warm_up", lambda: warmed.append(True) or 0.5)
    celery.warm_up_pdfs(sender="celery@test")  # not the signal itself: Celery's Django fixup may listen too
    assert warmed == [True]
