"""PDFs with WeasyPrint, one way for every app: a template rendered in the active language, laid out with an
optional stylesheet from the static files, and the response that sends it (the annual report in stats/pdf.py,
the participant list and the certificate in trainings/pdf.py).

WeasyPrint is imported when a PDF is first asked for (its import declares Pango's C interface and parses its own
stylesheets: a third of a second, or a second when its bytecode has not been compiled at install, which the
Makefile and the Dockerfile do), and its font configuration is made once per thread and kept: by default
WeasyPrint loads Fontconfig's configuration and every font anew for each document, and shaping starts cold each
time. The documents use the
system fonts only (no `@font-face`), so one configuration serves them all; one per thread, as Pango's font map
is not for sharing between threads. A stylesheet is parsed once per thread too (again after the file changes).

`warm_up()` pays the start (the import, Fontconfig, the first layout of a few words) before anybody waits for
a PDF: the Celery worker calls it when its process starts (kaikukeskus/celery.py), so a visitor's first annual
report does not.
"""

import logging
import os
import threading
import time

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string

from kaikukeskus import spreadsheets

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/pdf"
WARM_UP_HTML = '<html lang="fi"><p>Kaikukortti 1 234 – <b>Käyttökerrat</b> <i>åäö</i></p></html>'

_kept = threading.local()  # font_config, and stylesheets: {filename: (modified, CSS)}


def _shared_font_config():
    if getattr(_kept, "font_config", None) is None:
        from weasyprint.text.fonts import FontConfiguration

        _kept.font_config = FontConfiguration()
        _kept.stylesheets = {}
    return _kept.font_config


def _stylesheet(path: str):
    """The static file `path` parsed once per thread (and again when the file changes)."""
    from weasyprint import CSS

    font_config = _shared_font_config()
    filename = finders.find(path)
    if filename is None:
        raise FileNotFoundError(f"no static file {path!r}")
    modified = os.path.getmtime(filename)
    cached = _kept.stylesheets.get(filename)
    if cached is None or cached[0] != modified:
        cached = (modified, CSS(filename=filename, font_config=font_config))
        _kept.stylesheets[filename] = cached
    return cached[1]


def html_to_pdf(html: str, *, stylesheet: str | None = None) -> bytes:
    """The HTML as PDF bytes; `stylesheet` is a static file's path (as for `{% static %}`)."""
    from weasyprint import HTML

    stylesheets = [_stylesheet(stylesheet)] if stylesheet else []
    document = HTML(string=html, base_url=str(settings.BASE_DIR))
    return document.write_pdf(stylesheets=stylesheets, font_config=_shared_font_config())


def render(template: str, context: dict, *, stylesheet: str | None = None) -> bytes:
    """The template rendered in the active language, as PDF bytes."""
    return html_to_pdf(render_to_string(template, context), stylesheet=stylesheet)


def warm_up() -> float:
    """Import WeasyPrint, load the fonts and lay out a line, so that the next PDF of this process starts warm.
    Returns the seconds it took. A failure is logged, not raised: a PDF asked for later would show it."""
    started = time.perf_counter()
    try:
        html_to_pdf(WARM_UP_HTML)
    except Exception:
        logger.exception("WeasyPrint could not be warmed up")
    return time.perf_counter() - started


def response(content: bytes, *, filename: str, private: bool = True) -> HttpResponse:
    """The PDF as a download; `private` (a personal document) keeps it out of every cache."""
    answer = spreadsheets.attachment(content, content_type=CONTENT_TYPE, filename=filename)
    if private:
        answer["Cache-Control"] = "private, no-store"
    return answer
