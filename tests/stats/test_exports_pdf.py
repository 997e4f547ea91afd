"""The annual report PDF: its text holds the year's totals, the localities and the trend, in the reader's
language; a visitor asks for it, follows the job and downloads it; a second request is served from storage;
`manage.py export_statistics` writes the same files."""

import datetime
import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from kaikukeskus.models import Job
from stats import pdf
from tests.localities.factories import LocalityFactory
from tests.stats.factories import LocalityYearFactory, NationalYearFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    national_year = NationalYearFactory(year=2031)
    LocalityYearFactory(
        national_year=national_year, locality=LocalityFactory(name_fi="Kajaani", name_sv="", slug="kajaani")
    )
    LocalityYearFactory(
        national_year=national_year,
        locality=LocalityFactory(name_fi="Tornio", name_sv="Torneå", slug="tornio"),
        child_sports=None,
    )
    return national_year


def text_of(content: bytes) -> str:
    """The PDF's text with every run of white space (also the no-break spaces of 12 345) as one space."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", " ", text)


def render(year: int, language: str) -> str:
    with translation.override(language):
        return text_of(pdf.annual_report(year))


def test_the_pdf_holds_the_totals_the_sectors_the_localities_and_the_trend(year):
    text = render(2031, "fi")
    assert text.startswith("Kaikukortti Kaikukortin tilastot 2031 Vuosiraportti")
    assert "Rekisteröidyt kortit 1 200" in text and "Käyttöönotetut kortit 900" in text
    assert "Aikuisten käyttökerrat 6 000" in text and "Lasten käyttökerrat 5 000" in text
    assert "Käyttökerrat yhteensä 11 000" in text
    assert "Liikunta 1 500 2 500 4 000 36 %" in text  # sector: adults, children, total, share
    assert "2 niistä 3 paikkakunnasta" in text  # completeness
    assert "2023 51 188" in text and "2031 11 000" in text  # the trend, history included
    assert "Kajaani 600 450 3 000 200 300 2 000 3 000 2 500 5 500" in text
    assert "Tornio 600 450 3 000 200 300 750 3 000 1 250 4 250" in text  # an unknown figure counts as none
    assert "Viiva (–) merkitsee lukua, jota ei tiedetä." in text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sv", ["Kaikukortets statistik 2031", "Användningar totalt 11 000", "Torneå"]),
        ("en", ["Kaikukortti statistics 2031", "Uses in total 11,000", "Figures by locality"]),
    ],
)
def test_the_pdf_is_in_the_readers_language(year, language, expected):
    text = render(2031, language)
    for words in expected:
        assert words in text


def test_the_trend_is_the_public_pages_svg_chart_with_its_figures_as_text(client, year):
    text = render(2031, "fi")
    # Drawn from the SVG: the value axis and a label under each year's column, as text.
    assert "0 25 000 50 000 75 000 100 000 2015 2016 2017 2018 2019 2020 2021 2022 2023 2031" in text
    assert "Vuosi Käyttökerrat yhteensä 2015 610 2016 2 117" in text  # and the table beside it
    with translation.override("fi"):
        report = pdf.render_html(year)
        page = client.get(reverse("stats:public-index")).content.decode()
    page = page[page.index('<svg class="chart chart-columns"') :]
    page = page[: page.index("</svg>")]
    # One geometry (stats.charts) and one template (stats/includes/chart_columns.html) for the page and the PDF.
    columns = re.findall(r'<rect class="chart-bar"[^>]*>', report)
    assert len(columns) == 10 and columns == re.findall(r'<rect class="chart-bar"[^>]*>', page)
    assert 'fill="#0b5d4b"' in columns[0]  # WeasyPrint colours inline SVG by its attributes only


def test_a_locality_is_a_line_of_text_its_figures_each_in_its_column():
    """Each figure right-aligned in its characters, a long name going on on the next line (the columns of the
    header are as wide: column_widths)."""
    with translation.override("fi"):
        short = pdf.locality_line("Kajaani", [1234, None, 5])
        long = pdf.locality_line("Kaikukortti Pohjois-Pohjanmaan ja Kainuun yhteistoiminta-alue", [5])
    width = pdf.FIGURE_WIDTH
    assert short == "Kajaani".ljust(pdf.NAME_WIDTH) + "1\xa0234".rjust(width) + "–".rjust(width) + "5".rjust(width)
    first, *rest = long.split("\n")
    assert first == "Kaikukortti Pohjois-".ljust(pdf.NAME_WIDTH) + "5".rjust(width) and len(rest) == 2
    assert pdf.column_widths(9) == {"name": "16.857em", "figure": "8.429em", "table": "92.716em"}


def test_a_history_year_says_its_figures_are_as_published_and_has_no_locality_table():
    text = render(2023, "en")
    assert "Uses in total 51,188" in text
    assert "national statistics as Kaikukeskus published them" in text
    assert "Figures by locality" not in text


def test_a_second_request_is_served_from_storage_until_the_year_is_published_again(year, monkeypatch):
    first = pdf.annual_report(2031)
    monkeypatch.setattr(pdf.pdf_files, "html_to_pdf", lambda html, **kwargs: pytest.fail("rendered again"))
    assert pdf.annual_report(2031) == first
    year.published_at = timezone.now()
    year.save()
    with pytest.raises(pytest.fail.Exception, match="rendered again"):
        pdf.annual_report(2031)


def pdf_url(year: int, language: str = "fi") -> str:
    with translation.override(language):
        return reverse("stats:public-download", kwargs={"year": year, "file_format": "pdf"})


def test_a_visitor_asks_for_the_pdf_follows_the_job_and_downloads_it(client, year):
    page = client.get(pdf_url(2031, "sv"))
    assert page.status_code == 200 and "Skapa PDF-filen" in page.content.decode()
    response = client.post(pdf_url(2031, "sv"))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/sv/jobs/{job.pk}/"
    assert (job.status, job.params) == (Job.Status.DONE, {"language": "sv", "year": 2031, "edition": pdf.edition(year)})
    assert job.result.name == pdf.cache_name(year).replace("-fi-", "-sv-")  # the kept file itself, no copy
    page = client.get(response["Location"])
    assert "Ladda ner kaikukortti-arsrapport-2031.pdf" in page.content.decode()
    download = client.get(reverse("job-download", kwargs={"pk": job.pk}))
    assert download["Content-Type"] == "application/pdf"
    assert "Kaikukortets statistik 2031" in text_of(b"".join(download.streaming_content))
    # Now made in Swedish, the next visitor gets the file at once, without a job.
    again = client.get(pdf_url(2031, "sv"))
    assert again["Content-Type"] == "application/pdf"
    assert again["Content-Disposition"] == 'attachment; filename="kaikukortti-arsrapport-2031.pdf"'
    assert Job.objects.count() == 1
    assert client.get(pdf_url(2031, "fi")).headers["Content-Type"].startswith("text/html")  # not yet in Finnish


@pytest.mark.parametrize("method", ["get", "post"])
def test_no_pdf_of_a_year_that_is_not_published(client, method):
    NationalYearFactory(year=2032, published_at=None)
    assert getattr(client, method)(pdf_url(2032)).status_code == 404
    assert getattr(client, method)(pdf_url(1999)).status_code == 404
    assert not Job.objects.exists()


def test_export_command_writes_pdf_xlsx_and_csv(year, tmp_path):
    call_command("export_statistics", year=2031, format="pdf", output=tmp_path / "report.pdf", language="en")
    assert "Uses in total 11,000" in text_of((tmp_path / "report.pdf").read_bytes())
    call_command("export_statistics", year=2031, format="xlsx", output=tmp_path / "table.xlsx", language="sv")
    sheet = load_workbook(tmp_path / "table.xlsx").active
    assert [cell.value for cell in sheet["A"]] == ["Ort", "Hela landet", "Kajaani", "Torneå"]
    call_command("export_statistics", "--year=2031", "--format=csv", f"--output={tmp_path / 'table.csv'}")
    assert (tmp_path / "table.csv").read_text(encoding="utf-8-sig").startswith("Paikkakunta;Tunniste;")


def test_export_command_refuses_a_year_that_is_not_published(tmp_path):
    NationalYearFactory(year=2032, published_at=None)
    with pytest.raises(CommandError, match="2032 is not a published year"):
        call_command("export_statistics", year=2032, format="csv", output=tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_no_english_on_the_pdf_and_job_pages(client, year, language, settings, monkeypatch):
    from kaikukeskus import tasks
    from tests.test_translations import english_msgids, english_on

    msgids = english_msgids()
    pages = {"prepare": client.get(pdf_url(2031, language))}
    for status in (Job.Status.RUNNING, Job.Status.DONE, Job.Status.FAILED):
        job = Job.objects.create(
            session_key=client.session.session_key or "x", kind=pdf.JOB_KIND, status=status, result_name="a.pdf"
        )
        if status == Job.Status.DONE:
            job.result.save("a.pdf", ContentFile(b"%PDF-"), save=True)
        with translation.override(language):
            pages[status] = client.get(reverse("job-detail", kwargs={"pk": job.pk}))
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(tasks.run_job, "apply_async", lambda *args, **kwargs: 1 / 0)
    pages["unavailable"] = client.post(pdf_url(2031, language))
    assert pages["unavailable"].status_code == 503
    for name, response in pages.items():
        assert response.status_code in (200, 503), name
        assert not english_on(response.content.decode(), msgids=msgids, language=language), name


@pytest.mark.parametrize("page", ["stats:public-index", "stats:public-year"])
def test_the_public_pages_offer_the_annual_report_pdf_beside_the_tables(client, year, page):
    kwargs = {"year": year.year} if page == "stats:public-year" else {}
    with translation.override("fi"):
        html = client.get(reverse(page, kwargs=kwargs)).content.decode()
        pdf_url = reverse("stats:public-download", kwargs={"year": year.year, "file_format": "pdf"})
    assert f'href="{pdf_url}"' in html
    assert f"Tilastot {year.year} (PDF)" in html


# --- A flood of requests: one job, the kept file, a limit per client ----------------------------------------


@pytest.fixture
def queued_only(settings, monkeypatch):
    """Jobs are queued but no worker takes them (yet)."""
    from kaikukeskus import tasks

    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(tasks.run_job, "apply_async", lambda *args, **kwargs: None)


def test_a_hundred_identical_pdf_requests_make_one_job_and_no_copies(year, queued_only, settings):
    """The flood of issue 15 came without cookies: each request a new visitor, from one address."""
    from django.test import Client

    from kaikukeskus import jobs
    from kaikukeskus.storage import private_storage

    locations = set()
    for _request in range(100):
        visitor = Client()
        response = visitor.post(pdf_url(2031))
        assert response.status_code == 302
        locations.add(response["Location"])
        assert visitor.get(response["Location"]).status_code == 200  # the shared job's page opens for each
    job = Job.objects.get()
    assert locations == {f"/jobs/{job.pk}/"} and job.status == Job.Status.QUEUED
    jobs.job_run(str(job.pk), job.attempt)  # a worker takes it
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.result.name == pdf.cache_name(year)
    for _request in range(100):
        response = Client().post(pdf_url(2031))
        assert response.status_code == 302 and response["Location"] == pdf_url(2031)  # the kept file
    assert Job.objects.count() == 1
    assert not private_storage.exists(job.result_folder)  # nothing copied
    download = Client().get(response["Location"])
    assert download["Content-Type"] == "application/pdf"
    # Purging the job leaves the kept file.
    Job.objects.update(created_at=timezone.now() - datetime.timedelta(days=8))
    assert jobs.jobs_purge() == 1
    assert private_storage.exists(pdf.cache_name(year))


@pytest.mark.parametrize(("language", "expected"), [("fi", "Liian monta pyyntöä"), ("sv", "För många förfrågningar")])
def test_a_client_over_the_limit_of_jobs_gets_a_clear_429(client, queued_only, monkeypatch, language, expected):
    from kaikukeskus import jobs, ratelimit

    monkeypatch.setattr(jobs, "JOB_RATE", ratelimit.Rate(2, 600))
    for number in (2041, 2042, 2043):
        NationalYearFactory(year=number)
    assert client.post(pdf_url(2041, language)).status_code == 302
    assert client.post(pdf_url(2041, language)).status_code == 302  # the same job: not counted
    assert client.post(pdf_url(2042, language)).status_code == 302
    refused = client.post(pdf_url(2043, language))
    assert refused.status_code == 429
    assert expected in refused.content.decode()
    assert Job.objects.count() == 2
