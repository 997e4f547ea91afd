"""The coordinators' report form and pages (stats/views/portal.py), without JavaScript: a draft, hard errors by
field, warnings to explain, submitting, the lost-update guard, the read-only report, the list and the to-do
panel."""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from stats import services, validation
from stats.models import FIGURES, IssuerFigure, LocalityReport, ReportEvent, ReportingRound, VenueFigure
from tests.kaikukeskus.factories import StaffFactory
from tests.networks.factories import IssuerFactory, PartnerFactory
from tests.stats.factories import FILLED, ReportFactory, yearly_round

pytestmark = pytest.mark.django_db


def finnish(name, prefix="", **kwargs):
    """The page's address in Finnish (no prefix), or under `prefix` ("/sv", "/en")."""
    with translation.override("fi"):
        return prefix + reverse(name, kwargs=kwargs)


def edit_url(report, prefix=""):
    return finnish("stats:report-edit", prefix, slug=report.locality.slug, pk=report.pk)


def list_url(locality):
    return finnish("stats:report-list", slug=locality.slug)


def form_data(report, **changes):
    data = {name: "" if value is None else str(value) for name, value in FILLED.items()}
    data.update({"highlights": "", "challenges": "", "version": str(report.version)})
    data.update({name: str(value) for name, value in changes.items()})
    return data


@pytest.fixture
def last_year(locality):
    return ReportFactory(round=yearly_round(2024), locality=locality, status=LocalityReport.Status.APPROVED, **FILLED)


# --- The form -----------------------------------------------------------------------------------------------


def test_the_form_groups_the_figures_and_shows_a_year_earlier_beside_each(coordinator_client, report, last_year):
    LocalityReport.objects.filter(pk=last_year.pk).update(cards_registered=1234)
    page = coordinator_client.get(edit_url(report, prefix="")).content.decode()
    for legend in ("Kortit", "Aikuisten käyttökerrat toimialoittain", "Lasten käyttökerrat toimialoittain"):
        assert f"<legend>{legend}</legend>" in page
    for name in FIGURES:
        assert f'name="{name}"' in page
    assert "Vuotta aiemmin: 1\xa0234" in page  # Finnish grouping
    assert "Vuotta aiemmin: 300" in page
    english = coordinator_client.get(edit_url(report, prefix="/en")).content.decode()
    assert "A year earlier: 1,234" in english


def test_the_form_is_prefilled_with_the_network_and_its_rows(coordinator_client, report, locality):
    LocalityReport.objects.filter(pk=report.pk).update(municipalities=2, issuers=1, venues=1)
    venue = PartnerFactory(locality=locality, name="Kajaanin teatteri", joined_on=datetime.date(2024, 1, 1))
    issuer = IssuerFactory(locality=locality, name="Sosiaalitoimi", joined_on=datetime.date(2024, 1, 1))
    gone = PartnerFactory(locality=locality, name="Lopettanut", left_on=datetime.date(2024, 6, 1))
    later = PartnerFactory(locality=locality, name="Aloittaa myöhemmin", joined_on=datetime.date(2026, 2, 1))
    page = coordinator_client.get(edit_url(report, prefix="/en")).content.decode()
    assert 'name="municipalities" value="2"' in page and 'name="venues" value="1"' in page
    assert f'name="venue-{venue.pk}-adult"' in page and f'name="issuer-{issuer.pk}-cards_registered"' in page
    assert f"venue-{gone.pk}-" not in page and f"venue-{later.pk}-" not in page


def test_the_page_loads_its_script_from_a_static_file_with_live_sums(coordinator_client, report):
    page = coordinator_client.get(edit_url(report, prefix="/en")).content.decode()
    assert "/static/js/stats-report.js" in page
    assert "<script>" not in page and " on" + "input=" not in page and "style=" not in page
    assert 'aria-live="polite"' in page and "data-sum=" in page
    script = Path(finders.find("js/stats-report.js")).read_text(encoding="utf-8")
    assert "data-sum" in script and "Intl.NumberFormat" in script


def test_a_draft_is_saved_without_javascript(coordinator_client, report, coordinator):
    data = form_data(report, cards_registered="", highlights="Hyvä alku", save="1")
    response = coordinator_client.post(edit_url(report), data)
    assert response.status_code == 302 and response.url == edit_url(report)
    report.refresh_from_db()
    assert report.cards_registered is None and report.adult_culture == 300 and report.highlights == "Hyvä alku"
    assert report.status == LocalityReport.Status.DRAFT and report.version == 2
    page = coordinator_client.get(response.url).content.decode()
    assert "Luonnos tallennettiin." in page


def test_a_draft_saves_what_is_typed_right_and_keeps_the_rest_as_typed_with_every_problem(coordinator_client, report):
    data = form_data(report, cards_registered="-3", adult_sports="1,5", highlights="Säilyy", save="1")
    response = coordinator_client.post(edit_url(report), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("data-error-summary") == 1
    assert 'href="#id_adult_sports"' in page and 'href="#id_cards_registered"' in page  # both at once
    errors = response.context["form"].errors
    assert errors["adult_sports"] == ["Syötä kokonaisluku."]
    assert errors["cards_registered"] == ["Rekisteröidyt kortit: luku ei voi olla negatiivinen."]
    assert "Luonnos tallennettiin lukuun ottamatta alla merkittyjä arvoja" in page
    assert 'value="-3"' in page and 'value="1,5"' in page and "Säilyy" in page  # what was typed stays
    report.refresh_from_db()
    assert report.highlights == "Säilyy" and report.adult_culture == 300 and report.version == 2
    assert report.cards_registered is None and report.adult_sports is None
    assert f'name="version" value="{report.version}"' in page  # the next save is not a conflict
    data.update(cards_registered="3", adult_sports="15", version=str(report.version))
    assert coordinator_client.post(edit_url(report), data).status_code == 302
    report.refresh_from_db()
    assert report.cards_registered == 3 and report.adult_sports == 15


def test_a_negative_figure_is_the_validation_modules_error_on_its_field(coordinator_client, report):
    response = coordinator_client.post(edit_url(report, prefix="/en"), form_data(report, child_sports="-1", save="1"))
    assert response.status_code == 200
    assert response.context["form"].errors["child_sports"] == ["Sports, children cannot be negative."]
    assert 'href="#id_child_sports"' in response.content.decode()
    report.refresh_from_db()
    assert report.child_sports is None and report.child_culture == 200


def test_a_submission_lists_every_problem_at_once_and_saves_nothing(coordinator_client, report, locality):
    venue = PartnerFactory(locality=locality, joined_on=datetime.date(2024, 1, 1))
    data = form_data(report, submit="1", adult_sports="1,5", cards_activated="", venues="0")
    rows = {f"venue-{venue.pk}-sector": "culture", f"venue-{venue.pk}-adult": "299", f"venue-{venue.pk}-child": ""}
    response = coordinator_client.post(edit_url(report, prefix="/sv"), {**data, **rows})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["adult_sports"] == ["Fyll i ett heltal."]  # typed wrong
    assert errors["cards_activated"] == ["Ange ett tal för aktiverade kort (0 om inga)."]  # missing
    assert "Besöksmålens tal för kultur, vuxna blir sammanlagt 299, men totalen är 300." in errors["adult_culture"][0]
    assert errors["explanation_uses_without_venues"]  # a warning to explain
    report.refresh_from_db()
    assert report.status == LocalityReport.Status.DRAFT and report.version == 1
    assert not VenueFigure.objects.exists()


def test_submitting_with_a_warning_asks_for_its_explanation_then_submits(coordinator_client, report, coordinator):
    url = edit_url(report, prefix="/en")
    data = form_data(report, venues="0", submit="1")
    response = coordinator_client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Warnings to explain" in page and "no venues at the end of the period" in page
    field = "explanation_uses_without_venues"
    assert response.context["form"].errors[field]
    assert f'href="#id_{field}"' in page
    report.refresh_from_db()
    assert report.status == LocalityReport.Status.DRAFT and report.cards_registered is None  # nothing saved
    data[field] = "Kohteet ovat naapurikunnassa."
    response = coordinator_client.post(url, data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == LocalityReport.Status.SUBMITTED and report.submitted_by == coordinator
    assert report.explanations == {"uses_without_venues": "Kohteet ovat naapurikunnassa."}
    page = coordinator_client.get(url).content.decode()
    assert "The report was submitted" in page and "Kohteet ovat naapurikunnassa." in page
    assert '<form method="post" novalidate class="report-form"' not in page  # read-only now


def test_the_pages_warnings_and_the_submissions_are_one_functions(coordinator_client, report, monkeypatch):
    """The page shows, keeps the explanations of, and the submission demands an explanation for, the warnings
    of `services.report_findings`: one place judges a report."""
    judged = services.report_findings

    def with_one_more_warning(report, **kwargs):
        findings = judged(report, **kwargs)
        findings.warnings.append(validation.Finding(validation.USES_PER_CARD_CODE, None, "A rule made up here."))
        return findings

    monkeypatch.setattr(services, "report_findings", with_one_more_warning)
    url = edit_url(report, prefix="/en")
    assert "A rule made up here." in coordinator_client.get(url).content.decode()
    data = form_data(report, submit="1")
    response = coordinator_client.post(url, data)
    assert response.status_code == 400
    assert "Explain this before submitting: A rule made up here." in response.content.decode()
    data["explanation_uses_per_card"] = "Selitetty."
    assert coordinator_client.post(url, data).status_code == 302
    report.refresh_from_db()
    assert report.status == LocalityReport.Status.SUBMITTED
    assert report.explanations == {"uses_per_card": "Selitetty."}
    assert "A rule made up here." in coordinator_client.get(url).content.decode()  # the read-only page's too


def test_a_saved_explanation_is_kept_while_its_warning_stands(coordinator_client, report, last_year):
    data = form_data(report, cards_registered="400", explanation_change__cards_registered="Uusi jakaja.", save="1")
    assert coordinator_client.post(edit_url(report), data).status_code == 302
    report.refresh_from_db()
    assert report.explanations == {"change:cards_registered": "Uusi jakaja."}
    page = coordinator_client.get(edit_url(report)).content.decode()
    assert "Uusi jakaja." in page


def test_a_partial_breakdown_is_saved_as_a_draft_and_must_add_up_to_submit(coordinator_client, report, locality):
    venue = PartnerFactory(locality=locality, joined_on=datetime.date(2024, 1, 1))
    other = PartnerFactory(locality=locality, joined_on=datetime.date(2024, 1, 1), sector="sports")
    rows = {
        f"venue-{venue.pk}-sector": "culture",
        f"venue-{venue.pk}-adult": "300",
        f"venue-{venue.pk}-child": "199",
        f"venue-{other.pk}-sector": "sports",
        f"venue-{other.pk}-adult": "60",
        f"venue-{other.pk}-child": "50",
    }
    url = edit_url(report, prefix="/en")
    assert coordinator_client.post(url, {**form_data(report, save="1"), **rows}).status_code == 302
    assert sorted(VenueFigure.objects.values_list("partner_id", "adult", "child")) == sorted(
        [(venue.pk, 300, 199), (other.pk, 60, 50)]
    )
    report.refresh_from_db()
    response = coordinator_client.post(url, {**form_data(report, submit="1"), **rows})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "add up to 199, but the total is 200" in errors["child_culture"][0]
    assert {"adult_education", "child_science"} <= set(errors)  # sectors without a venue row
    report.refresh_from_db()
    assert report.status == LocalityReport.Status.DRAFT
    data = form_data(report, submit="1", adult_education=0, adult_science=0, child_education=0, child_science=0)
    rows[f"venue-{venue.pk}-child"] = "200"
    assert coordinator_client.post(url, {**data, **rows}).status_code == 302
    report.refresh_from_db()
    assert report.status == LocalityReport.Status.SUBMITTED
    assert sorted(VenueFigure.objects.values_list("partner_id", "adult", "child")) == sorted(
        [(venue.pk, 300, 200), (other.pk, 60, 50)]
    )


def test_a_breakdown_row_of_another_network_cannot_be_posted(coordinator_client, report, other_locality):
    stranger = PartnerFactory(locality=other_locality, joined_on=datetime.date(2024, 1, 1))
    rows = {f"venue-{stranger.pk}-sector": "culture", f"venue-{stranger.pk}-adult": "300"}
    response = coordinator_client.post(edit_url(report), {**form_data(report, save="1"), **rows})
    assert response.status_code == 302  # the row is not one of the form's: ignored
    assert not VenueFigure.objects.exists()


def test_a_negative_breakdown_row_is_an_error_on_its_row(coordinator_client, report, locality):
    issuer = IssuerFactory(locality=locality, name="Sosiaalitoimi", joined_on=datetime.date(2024, 1, 1))
    IssuerFigure.objects.create(report=report, partner=issuer, cards_registered=4)
    data = {**form_data(report, save="1"), f"issuer-{issuer.pk}-cards_registered": "-5"}
    response = coordinator_client.post(edit_url(report), data)
    assert response.status_code == 200  # the rest of the draft is saved
    assert f'href="#id_issuer-{issuer.pk}-cards_registered"' in response.content.decode()
    assert IssuerFigure.objects.get().cards_registered == 4  # the row typed wrong keeps what is saved


# --- Two people saving the same report ---------------------------------------------------------------------


def test_the_second_saver_sees_a_conflict_keeps_their_figures_and_can_compare(report, coordinator, locality):
    from tests.localities.factories import CoordinatorFactory

    colleague = CoordinatorFactory(locality=locality, user__email="toinen@kajaani.example.fi").user
    first, second = Client(), Client()
    first.force_login(coordinator)
    second.force_login(colleague)
    url = edit_url(report)
    version = re.search(r'name="version" value="(\d+)"', second.get(url).content.decode()).group(1)
    assert first.post(url, form_data(report, cards_registered="111", save="1")).status_code == 302
    response = second.post(url, {**form_data(report, cards_registered="222", save="1"), "version": version})
    assert response.status_code == 409
    page = response.content.decode()
    assert "version-conflict" in page and 'value="222"' in page
    assert ("Rekisteröidyt kortit", "111", "222") in response.context["form"].conflict_rows
    report.refresh_from_db()
    assert report.cards_registered == 111
    # Saving again (the form now carries the current version) overwrites knowingly.
    again = re.search(r'name="version" value="(\d+)"', page).group(1)
    response = second.post(url, {**form_data(report, cards_registered="222", save="1"), "version": again})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.cards_registered == 222


# --- Locked reports ----------------------------------------------------------------------------------------


@pytest.fixture
def submitted(report, coordinator):
    LocalityReport.objects.filter(pk=report.pk).update(**FILLED)
    report.refresh_from_db()
    return services.report_submit(actor=coordinator, report=report, expected_version=report.version)


def test_a_double_submit_is_harmless(coordinator_client, report):
    data = form_data(report, submit="1")
    assert coordinator_client.post(edit_url(report), data).status_code == 302
    second = coordinator_client.post(edit_url(report), data)
    assert second.status_code == 302 and second.url == edit_url(report)
    assert ReportEvent.objects.filter(report=report).count() == 1
    report.refresh_from_db()
    assert report.status == LocalityReport.Status.SUBMITTED and report.version == 2


def test_a_submitted_report_is_read_only_and_a_save_to_it_changes_nothing(coordinator_client, submitted):
    page = coordinator_client.get(edit_url(submitted)).content.decode()
    assert "Tallenna luonnos" not in page and "odottaa Kaikukeskuksen tarkastusta" in page
    response = coordinator_client.post(edit_url(submitted), form_data(submitted, cards_registered="999", save="1"))
    assert response.status_code == 409
    assert ("Rekisteröidyt kortit", "120", "999") in response.context["conflict_rows"]
    submitted.refresh_from_db()
    assert submitted.cards_registered == 120 and submitted.status == LocalityReport.Status.SUBMITTED


def test_a_returned_report_shows_who_returned_it_and_why(coordinator_client, submitted, staff):
    services.report_return(actor=staff, report=submitted, comment="Tarkista liikunta.")
    page = coordinator_client.get(edit_url(submitted)).content.decode()
    assert "Tarkista liikunta." in page and "Tallenna luonnos" in page
    assert staff.display_name in page  # the history says who returned it


def test_an_approved_report_is_locked_and_an_ended_reopening_too(coordinator_client, submitted, staff):
    approved = services.report_approve(actor=staff, report=submitted)
    page = coordinator_client.get(edit_url(approved)).content.decode()
    assert "Kaikukeskus hyväksyi raportin" in page and "Tallenna luonnos" not in page
    until = timezone.localdate()
    services.report_reopen(actor=staff, report=approved, until=until, reason="Liikunta puuttui.")
    page = coordinator_client.get(edit_url(approved)).content.decode()
    assert "Tallenna luonnos" in page and "Liikunta puuttui." in page
    LocalityReport.objects.filter(pk=approved.pk).update(reopened_until=until - datetime.timedelta(days=1))
    page = coordinator_client.get(edit_url(approved)).content.decode()
    assert "Korjausaika päättyi" in page and "Tallenna luonnos" not in page
    assert "Liikunta puuttui." in page  # the reason stays in the history


def test_a_draft_of_a_closed_round_is_read_only(coordinator_client, report):
    ReportingRound.objects.filter(pk=report.round_id).update(status=ReportingRound.Status.CLOSED)
    page = coordinator_client.get(edit_url(report)).content.decode()
    assert "Raportointikierros on sulkeutunut" in page and "Tallenna luonnos" not in page


# --- Scope and bad input ------------------------------------------------------------------------------------


def test_another_localitys_report_is_not_found_even_under_ones_own_address(coordinator_client, other_report, locality):
    own_slug = finnish("stats:report-edit", slug=locality.slug, pk=other_report.pk)
    assert coordinator_client.get(own_slug).status_code == 404
    assert coordinator_client.get(edit_url(other_report)).status_code == 404
    assert coordinator_client.post(edit_url(other_report), form_data(other_report, save="1")).status_code == 404
    other_report.refresh_from_db()
    assert other_report.cards_registered is None


def test_staff_open_any_localitys_report(staff_client, other_report):
    assert staff_client.get(edit_url(other_report)).status_code == 200


def test_a_nul_byte_is_a_bad_request_and_saves_nothing(coordinator_client, report):
    response = coordinator_client.post(edit_url(report), form_data(report, highlights="a\x00b", save="1"))
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.highlights == "" and report.version == 1


def test_a_megabyte_of_text_is_refused_beside_its_field(coordinator_client, report):
    response = coordinator_client.post(edit_url(report), form_data(report, challenges="x" * 1_000_000, save="1"))
    assert response.status_code == 200
    assert response.context["form"].errors["challenges"]
    assert 'href="#id_challenges"' in response.content.decode()
    report.refresh_from_db()
    assert report.challenges == ""


def test_a_huge_number_is_refused_beside_its_field(coordinator_client, report):
    response = coordinator_client.post(edit_url(report), form_data(report, adult_culture="9" * 30, save="1"))
    assert response.status_code == 200
    assert response.context["form"].errors["adult_culture"]


# --- The list and the to-do panel ----------------------------------------------------------------------------


def test_the_list_shows_each_rounds_report_with_its_status_and_timeliness(coordinator_client, locality, report):
    on_time = ReportFactory(
        round=yearly_round(2024),
        locality=locality,
        status=LocalityReport.Status.APPROVED,
        first_submitted_at=datetime.datetime(2025, 1, 20, 12, tzinfo=datetime.UTC),
    )
    late = ReportFactory(
        round=yearly_round(2023),
        locality=locality,
        status=LocalityReport.Status.SUBMITTED,
        first_submitted_at=datetime.datetime(2024, 3, 1, 12, tzinfo=datetime.UTC),
    )
    page = coordinator_client.get(list_url(locality)).content.decode()
    for row in (report, on_time, late):
        assert edit_url(row) in page
    assert "Ajoissa" in page and "Myöhässä" in page and "Lähettämättä, määräpäivä on mennyt" in page
    assert "30.1.2026" in page  # the due date in the Finnish short format


def test_the_list_makes_the_same_queries_for_5_and_50_rounds(coordinator_client, locality):
    def rounds(count):
        LocalityReport.objects.all().delete()
        ReportingRound.objects.all().delete()
        for index in range(count):
            ReportFactory(round=yearly_round(2000 + index), locality=locality)

    rounds(5)
    with CaptureQueriesContext(connection) as five:
        assert coordinator_client.get(list_url(locality)).status_code == 200
    rounds(50)
    with CaptureQueriesContext(connection) as fifty:
        page = coordinator_client.get(list_url(locality)).content.decode()
    assert page.count("/statistics/") >= 50
    assert len(fifty.captured_queries) == len(five.captured_queries)


def test_the_localitys_portal_page_links_to_its_reports(coordinator_client, locality):
    page = coordinator_client.get(finnish("localities:portal-detail", slug=locality.slug)).content
    assert list_url(locality).encode() in page


def test_the_todo_panel_lists_what_is_due_returned_and_reopened(coordinator_client, locality, report, staff):
    returned = ReportFactory(round=yearly_round(2024), locality=locality, **FILLED)
    returned = services.report_submit(actor=staff, report=returned, expected_version=returned.version)
    services.report_return(actor=staff, report=returned, comment="Lasten liikunta puuttuu.")
    reopened = ReportFactory(
        round=yearly_round(2023),
        locality=locality,
        status=LocalityReport.Status.REOPENED,
        reopened_until=timezone.localdate() + datetime.timedelta(days=7),
    )
    expired = ReportFactory(
        round=yearly_round(2022),
        locality=locality,
        status=LocalityReport.Status.REOPENED,
        reopened_until=timezone.localdate() - datetime.timedelta(days=1),
    )
    page = coordinator_client.get(finnish("portal")).content.decode()
    assert "Täytettävät tilastoraportit" in page
    assert edit_url(report) in page and "määräpäivä oli 30.1.2026" in page
    assert edit_url(returned) in page and "Lasten liikunta puuttuu." in page
    assert edit_url(reopened) in page and "avoinna korjauksille" in page
    assert edit_url(expired) not in page


def test_the_todo_panel_is_not_shown_to_other_coordinators_nor_staff(client, report, other_coordinator):
    for user in (other_coordinator, StaffFactory()):
        client.force_login(user)
        page = client.get(finnish("portal")).content.decode()
        assert edit_url(report) not in page
