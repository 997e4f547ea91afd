"""A locality of any size fills in its report: the breakdowns come a page at a time, each page saving its own
rows, so the form opens with the same queries and the same few rows for 10 partners as for 10,000, and its post
stays far under Django's limit on a form's fields. A post over that limit is a 400 that says so."""

import datetime
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from networks.models import Partner, PartnerRole
from stats.models import IssuerFigure, LocalityReport, VenueFigure
from stats.selectors import BREAKDOWN_PAGE_SIZE
from tests.networks.factories import IssuerFactory, PartnerFactory, create_partners
from tests.stats.test_report_form import edit_url, form_data

pytestmark = pytest.mark.django_db

LARGE = 10_000


def venue_ids(locality) -> list[int]:
    return list(
        Partner.objects.filter(locality=locality, role=PartnerRole.VENUE).order_by("name").values_list("pk", flat=True)
    )


def test_the_form_makes_the_same_queries_and_shows_one_page_for_10_and_10000_partners(
    coordinator_client, report, locality
):
    create_partners(locality, 8)
    create_partners(locality, 2, role=PartnerRole.ISSUER)
    url = edit_url(report, prefix="/en")
    coordinator_client.get(url)  # the session's and the language's first reads
    with CaptureQueriesContext(connection) as small:
        assert coordinator_client.get(url).status_code == 200
    create_partners(locality, LARGE - 10 - 2000, first=8)
    create_partners(locality, 2000, role=PartnerRole.ISSUER, first=2)
    started = time.monotonic()
    with CaptureQueriesContext(connection) as large:
        response = coordinator_client.get(url)
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert len(large) == len(small), [query["sql"] for query in large]
    page = response.content.decode()
    assert page.count('name="venue-') == 3 * BREAKDOWN_PAGE_SIZE  # sector, adults, children
    assert page.count('name="issuer-') == BREAKDOWN_PAGE_SIZE
    assert "Rows 1–50 of 7,998 (page 1 of 160)." in page
    assert len(response.content) < 400_000
    assert elapsed < 2  # 21–25 s before the pages; well under a second on a quiet machine


def test_a_large_network_saves_its_breakdown_page_by_page(coordinator_client, report, locality):
    create_partners(locality, LARGE)
    ids = venue_ids(locality)
    first_page, second_page = ids[:BREAKDOWN_PAGE_SIZE], ids[BREAKDOWN_PAGE_SIZE : 2 * BREAKDOWN_PAGE_SIZE]
    url = edit_url(report, prefix="/en")
    rows = {}
    for pk in first_page:
        rows |= {f"venue-{pk}-sector": "culture", f"venue-{pk}-adult": "2", f"venue-{pk}-child": ""}
    data = {**form_data(report, save="1"), **rows, "venue_page": "1", "show_venue_page": "2"}
    assert len(data) < 1000 / 2
    response = coordinator_client.post(url, data)
    assert response.status_code == 302 and response.url == f"{url}?venue_page=2"
    assert VenueFigure.objects.filter(report=report).count() == BREAKDOWN_PAGE_SIZE  # a partial draft is saved

    page = coordinator_client.get(response.url)
    content = page.content.decode()
    assert f'name="venue-{second_page[0]}-adult"' in content and f'name="venue-{first_page[0]}-' not in content
    assert 'data-venue-sum="adult_culture" data-saved-elsewhere="100"' in content  # page 1's rows count
    assert "Rows 51–100 of 10,000 (page 2 of 200)." in content

    report.refresh_from_db()
    rows = {f"venue-{second_page[0]}-sector": "sports", f"venue-{second_page[0]}-adult": "5"}
    rows[f"venue-{second_page[0]}-child"] = "1"
    with CaptureQueriesContext(connection) as saving:
        response = coordinator_client.post(url, {**form_data(report, save="1"), **rows, "venue_page": "2"})
    assert response.status_code == 302 and response.url == f"{url}?venue_page=2"
    saved = VenueFigure.objects.filter(report=report)
    assert saved.count() == BREAKDOWN_PAGE_SIZE + 1  # page 1's rows are kept
    assert saved.get(partner_id=second_page[0]).sector == "sports"
    assert len(saving) < 60


def test_saving_a_page_makes_the_same_queries_for_10_and_10000_partners(coordinator_client, report, locality):
    create_partners(locality, 10)
    url = edit_url(report, prefix="/en")

    def save(version):
        pk = venue_ids(locality)[0]
        rows = {f"venue-{pk}-sector": "culture", f"venue-{pk}-adult": "3", f"venue-{pk}-child": "0"}
        with CaptureQueriesContext(connection) as queries:
            response = coordinator_client.post(url, {**form_data(report, save="1", version=version), **rows})
        assert response.status_code == 302
        return len(queries)

    small = save(1)
    create_partners(locality, LARGE - 10, first=10)
    assert save(2) == small


def test_a_saved_row_of_a_partner_that_left_the_network_goes_with_the_next_save(coordinator_client, report, locality):
    venue = PartnerFactory(locality=locality)
    gone = PartnerFactory(locality=locality)
    VenueFigure.objects.create(report=report, partner=gone, sector="culture", adult=5, child=0)
    Partner.objects.filter(pk=gone.pk).update(joined_on=datetime.date(2026, 3, 1))  # corrected: after the period
    rows = {f"venue-{venue.pk}-sector": "culture", f"venue-{venue.pk}-adult": "1", f"venue-{venue.pk}-child": ""}
    assert coordinator_client.post(edit_url(report), {**form_data(report, save="1"), **rows}).status_code == 302
    assert list(VenueFigure.objects.values_list("partner_id", flat=True)) == [venue.pk]


def test_an_issuer_page_keeps_the_venues_saved(coordinator_client, report, locality):
    venue = PartnerFactory(locality=locality)
    issuer = IssuerFactory(locality=locality)
    VenueFigure.objects.create(report=report, partner=venue, sector="culture", adult=5, child=0)
    rows = {f"issuer-{issuer.pk}-cards_registered": "7"}
    assert coordinator_client.post(edit_url(report), {**form_data(report, save="1"), **rows}).status_code == 302
    assert VenueFigure.objects.get().adult == 5 and IssuerFigure.objects.get().cards_registered == 7


@pytest.mark.parametrize(
    ("prefix", "text"),
    [
        ("", "Lomake lähetti enemmän kenttiä kuin portaali ottaa vastaan kerralla (1\xa0000)"),
        ("/sv", "Formuläret skickade fler fält än portalen tar emot på en gång (1\xa0000)"),
        ("/en", "The form sent more fields than the portal accepts at once (1,000)"),
    ],
)
def test_a_form_with_too_many_fields_is_a_400_that_names_the_cause(coordinator_client, report, prefix, text):
    data = {**form_data(report, save="1"), **{f"venue-{number}-adult": "1" for number in range(1000)}}
    response = coordinator_client.post(edit_url(report, prefix=prefix), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert text in page
    assert "characters" not in page and "merkkejä" not in page and "tecken" not in page
    report.refresh_from_db()
    assert report.version == 1 and report.status == LocalityReport.Status.DRAFT
