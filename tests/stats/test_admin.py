"""Staff's statistics admin: rounds (created through the service, opened with the count of reports made, closed,
completeness, the reminder button) and the review queue (figures beside last year's, warnings with their
explanations, approve, return with a comment in the coordinators' language, reopen until a day with a reason,
a second review refused, read-only reports, history with who and why, export, import, query counts)."""

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from stats import imports, services
from stats.models import FIGURES, LocalityReport, ReportEvent, ReportingRound, ReportReminder
from stats.resources import COLUMNS
from tests.localities.factories import CoordinatorFactory
from tests.stats.factories import ReportFactory, RoundFactory

pytestmark = pytest.mark.django_db

S = LocalityReport.Status
QUEUE = reverse("admin:stats_localityreport_changelist")
ROUNDS = reverse("admin:stats_reportinground_changelist")


@pytest.fixture
def submitted(locality, coordinator):
    return ReportFactory(
        locality=locality,
        round=RoundFactory(title="2025"),
        status=S.SUBMITTED,
        first_submitted_at=timezone.now(),
        submitted_at=timezone.now(),
    )


def _change(report):
    return reverse("admin:stats_localityreport_change", args=[report.pk])


def _review(report):
    return reverse("admin:stats_localityreport_review", args=[report.pk])


def _texts(response) -> str:
    return response.content.decode()


# --- Rounds ------------------------------------------------------------------------------------------------


def test_a_round_is_created_through_the_service(staff_client, staff):
    response = staff_client.post(
        reverse("admin:stats_reportinground_add"),
        {
            "title": "2026",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "opens_on": "2027-01-01",
            "due_on": "2027-01-31",
            "closes_on": "2027-02-28",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    reporting_round = ReportingRound.objects.get(title="2026")
    assert reporting_round.created_by == staff and reporting_round.status == ReportingRound.Status.PLANNED


def test_bad_round_dates_are_an_error_beside_the_field(staff_client):
    response = staff_client.post(
        reverse("admin:stats_reportinground_add"),
        {
            "title": "2026",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "opens_on": "2027-01-01",
            "due_on": "2026-12-01",
            "closes_on": "2027-02-28",
        },
    )
    assert response.status_code == 200
    assert "due_on" in response.context["adminform"].form.errors
    assert not ReportingRound.objects.filter(title="2026").exists()


def _this_year_round(**kwargs):
    # The factories' localities pilot from this year's first day.
    return RoundFactory(period_start=timezone.localdate().replace(month=1, day=1), **kwargs)


def test_open_tells_how_many_reports_were_made_then_close(staff_client, locality, other_locality):
    planned = _this_year_round(title="Tämä vuosi", status=ReportingRound.Status.PLANNED)
    response = staff_client.post(reverse("admin:stats_reportinground_open", args=[planned.pk]))
    page = staff_client.get(response["Location"])
    messages = [str(message) for message in page.context["messages"]]
    assert messages == ["Tämä vuosi is open: 2 reports were created."]
    planned.refresh_from_db()
    assert planned.status == ReportingRound.Status.OPEN and planned.reports.count() == 2
    staff_client.post(reverse("admin:stats_reportinground_close", args=[planned.pk]))
    planned.refresh_from_db()
    assert planned.status == ReportingRound.Status.CLOSED


def test_the_buttons_are_post_only(staff_client):
    planned = RoundFactory(status=ReportingRound.Status.PLANNED)
    assert staff_client.get(reverse("admin:stats_reportinground_open", args=[planned.pk])).status_code == 405
    planned.refresh_from_db()
    assert planned.status == ReportingRound.Status.PLANNED


def test_open_action_over_the_list(staff_client, locality):
    planned = _this_year_round(status=ReportingRound.Status.PLANNED)
    staff_client.post(ROUNDS, {"action": "open_rounds", "_selected_action": [planned.pk]})
    assert planned.reports.count() == 1


def test_the_round_page_shows_completeness_and_reminds_the_missing(
    staff_client, staff, locality, coordinator, django_capture_on_commit_callbacks
):
    reporting_round = RoundFactory(title="2025")
    ReportFactory(round=reporting_round, locality=locality)
    late = ReportFactory(round=reporting_round, status=S.SUBMITTED)
    late.first_submitted_at = timezone.make_aware(
        datetime.datetime.combine(reporting_round.due_on + datetime.timedelta(days=2), datetime.time(12))
    )
    late.save()
    page = staff_client.get(reverse("admin:stats_reportinground_change", args=[reporting_round.pk]))
    text = _texts(page)
    assert "timeliness=missing" in text and "timeliness=late" in text
    assert page.context["to_remind"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:stats_reportinground_remind", args=[reporting_round.pk]), follow=True
        )
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [coordinator.email]
    assert ReportReminder.objects.get().sent_by == staff
    messages = [str(message) for message in response.context["messages"]]
    assert any("1" in message for message in messages)
    # The list shows the counts, in one query for the rounds whatever their number.
    listing = staff_client.get(ROUNDS)
    row = next(r for r in listing.context["cl"].result_list if r.pk == reporting_round.pk)
    assert (row.expected, row.on_time, row.late, row.missing) == (2, 0, 1, 1)


def test_a_planned_round_shows_the_localities_it_will_expect(staff_client, locality, other_locality):
    planned = _this_year_round(title="Tuleva", status=ReportingRound.Status.PLANNED)
    listing = staff_client.get(ROUNDS)
    row = next(r for r in listing.context["cl"].result_list if r.pk == planned.pk)
    assert row.expected == 2
    page = _texts(staff_client.get(reverse("admin:stats_reportinground_change", args=[planned.pk])))
    assert "Ei vielä avattu: 2 paikkakunnan odotetaan raportoivan" in page


def test_rounds_list_query_count_is_constant(staff_client):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(ROUNDS).status_code == 200
        return len(queries)

    for year in range(2020, 2022):
        ReportFactory(round=RoundFactory(period_start=datetime.date(year, 1, 1)))
    few = count()
    for year in range(2000, 2020):
        ReportFactory(round=RoundFactory(period_start=datetime.date(year, 1, 1)))
    assert count() == few


# --- The review queue ----------------------------------------------------------------------------------------


def test_the_queue_filters_by_the_reports_own_vocabulary(staff_client, submitted):
    draft = ReportFactory(round=submitted.round)
    approved = ReportFactory(round=submitted.round, approved=True)
    for queue, expected in [("review", {submitted}), ("coordinators", {draft}), ("approved", {approved})]:
        response = staff_client.get(QUEUE, {"queue": queue})
        assert set(response.context["cl"].result_list) == expected, queue
    response = staff_client.get(QUEUE, {"timeliness": "missing"})
    assert set(response.context["cl"].result_list) == {draft}


def test_the_report_page_shows_last_year_warnings_explanations_and_events(staff_client, submitted):
    previous_round = RoundFactory(period_start=datetime.date(2024, 1, 1), title="2024")
    ReportFactory(locality=submitted.locality, round=previous_round, approved=True, cards_registered=20)
    submitted.explanations = {"change:cards_registered": "Uusi jakaja aloitti."}
    submitted.save()
    ReportEvent.objects.create(report=submitted, action=ReportEvent.Action.SUBMITTED, comment="")
    response = staff_client.get(_change(submitted))
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.context["figure_rows"]}
    assert (rows["cards_registered"]["value"], rows["cards_registered"]["previous"]) == (100, 20)
    assert rows["cards_registered"]["change"] == 80 and rows["cards_registered"]["flagged"]
    warnings = response.context["review_warnings"]
    assert [item["explanation"] for item in warnings if item["finding"].code == "change:cards_registered"] == [
        "Uusi jakaja aloitti."
    ]
    text = _texts(response)
    assert "Uusi jakaja aloitti." in text
    assert set(response.context["review_forms"]) == {"approve", "return"}
    # Read-only: no save button, and a POST to the change page is refused.
    assert 'name="_save"' not in text
    assert staff_client.post(_change(submitted), {"cards_registered": 1}).status_code == 403


def test_approve(staff_client, staff, submitted):
    response = staff_client.post(_review(submitted), {"action": "approve", "approve-comment": "Kiitos"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.reviewed_by) == (S.APPROVED, staff)
    event = submitted.events.get()
    assert (event.action, event.actor, event.comment) == (ReportEvent.Action.APPROVED, staff, "Kiitos")
    record = submitted.history.first()
    assert record.history_user == staff and record.history_change_reason


def test_a_second_approval_is_refused_and_says_who_was_first(client, submitted, staff):
    from tests.kaikukeskus.factories import StaffFactory

    services.report_approve(actor=staff, report=submitted)
    other = StaffFactory(email="toinen@kaikukeskus.example.fi")
    client.force_login(other)
    response = client.post(_review(submitted), {"action": "approve", "approve-comment": ""}, follow=True)
    messages = [str(message) for message in response.context["messages"]]
    assert any(staff.display_name in message for message in messages), messages
    submitted.refresh_from_db()
    assert submitted.reviewed_by == staff and submitted.events.count() == 1


def test_return_needs_a_comment_shown_beside_the_field(staff_client, submitted):
    response = staff_client.post(_review(submitted), {"action": "return", "return-comment": "  "})
    assert response.status_code == 200
    form = response.context["review_forms"]["return"]
    assert form.errors["comment"]
    text = _texts(response)
    assert 'href="#id_return-comment"' in text  # the error summary links to the field
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_return_emails_the_coordinators_each_in_their_language(
    staff_client, submitted, django_capture_on_commit_callbacks
):
    CoordinatorFactory(locality=submitted.locality, user__email="sv@kajaani.example.fi", user__preferred_language="sv")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(_review(submitted), {"action": "return", "return-comment": "Korjaa kävijät."})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == S.RETURNED and submitted.return_comment == "Korjaa kävijät."
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"coordinator@kajaani.example.fi", "sv@kajaani.example.fi"}
    assert "/sv/" in by_address["sv@kajaani.example.fi"].body
    assert "Korjaa kävijät." in by_address["sv@kajaani.example.fi"].body
    assert by_address["sv@kajaani.example.fi"].subject != by_address["coordinator@kajaani.example.fi"].subject
    assert "Korjaa kävijät." in submitted.history.first().history_change_reason


def test_reopen_until_a_day_with_a_reason(staff_client, staff, submitted, django_capture_on_commit_callbacks):
    services.report_approve(actor=staff, report=submitted)
    page = staff_client.get(_change(submitted))
    assert set(page.context["review_forms"]) == {"reopen"}
    until = timezone.localdate() + datetime.timedelta(days=10)
    # Without a reason or a day, then with a past day: errors beside the fields, nothing changed.
    response = staff_client.post(_review(submitted), {"action": "reopen", "reopen-until": "", "reopen-reason": ""})
    assert set(response.context["review_forms"]["reopen"].errors) == {"until", "reason"}
    response = staff_client.post(
        _review(submitted), {"action": "reopen", "reopen-until": "2000-01-01", "reopen-reason": "Korjaus"}
    )
    assert set(response.context["review_forms"]["reopen"].errors) == {"until"}
    submitted.refresh_from_db()
    assert submitted.status == S.APPROVED
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            _review(submitted),
            {"action": "reopen", "reopen-until": until.isoformat(), "reopen-reason": "Kävijämäärä väärin"},
        )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.reopened_until, submitted.reopen_reason) == (
        S.REOPENED,
        until,
        "Kävijämäärä väärin",
    )
    assert "Kävijämäärä väärin" in submitted.history.first().history_change_reason
    assert len(mail.outbox) == 1


def test_an_unknown_action_or_a_get_is_refused(staff_client, submitted):
    assert staff_client.post(_review(submitted), {"action": "delete"}).status_code == 404
    assert staff_client.get(_review(submitted)).status_code == 405


def test_reports_are_neither_added_nor_deleted_here(staff_client, submitted):
    assert staff_client.get(_change(submitted).replace("/change/", "/delete/")).status_code in (302, 404)
    assert LocalityReport.objects.filter(pk=submitted.pk).exists()


def test_queue_query_count_is_the_same_for_5_and_50_reports(staff_client):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(QUEUE, {"queue": "review"}).status_code == 200
        return len(queries)

    reporting_round = RoundFactory()
    for _ in range(5):
        ReportFactory(round=reporting_round, status=S.SUBMITTED, first_submitted_at=timezone.now())
    few = count()
    for _ in range(45):
        ReportFactory(round=reporting_round, status=S.SUBMITTED, first_submitted_at=timezone.now())
    assert count() == few


# --- Export and import --------------------------------------------------------------------------------------


def test_export_has_the_import_columns_then_round_and_status(staff_client, submitted):
    submitted.round.title = "=HYPERLINK(1)"
    submitted.round.save()
    response = staff_client.post(
        reverse("admin:stats_localityreport_export"),
        {"format": "1", "resource": "0", **{f"reportresource_{name}": "on" for name in COLUMNS}},
    )
    # django-import-export's form lists the formats in our order: CSV (0), XLSX (1).
    assert response.status_code == 200, response.content[:500]
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook.active.values)
    assert list(rows[0]) == [*imports.HEADER, "round", "status"]
    assert rows[1][0] == "kajaani" and rows[1][1].date() == datetime.date(2025, 1, 1) and rows[1][3] == 100
    assert rows[1][-2] == "'=HYPERLINK(1)" and rows[1][-1] == "submitted"


def _upload(staff_client, content: bytes, *, name="reports.csv", check=False):
    data = {"file": SimpleUploadedFile(name, content)}
    data["check" if check else "import"] = "1"
    return staff_client.post(reverse("admin:stats_localityreport_import"), data)


def test_admin_import_checks_then_imports_with_the_same_code(staff_client, staff, locality):
    header = ",".join(imports.HEADER)
    good = f"{header}\nkajaani,2025-01-01,2025-12-31,100,60,40,10,5,20,30,4,6,15\n".encode()
    response = _upload(staff_client, good, check=True)
    assert response.status_code == 200 and response.context["plan"].rows and not response.context["plan"].errors
    assert not LocalityReport.objects.exists()
    response = _upload(staff_client, good)
    assert response.status_code == 302
    report = LocalityReport.objects.get()
    assert report.status == S.APPROVED and report.reviewed_by == staff
    assert report.events.get().actor == staff
    created = report.round.history.get()
    assert report.round.created_by == staff and created.history_change_reason == "round.imported"


def test_admin_import_lists_bad_rows_by_line_and_imports_nothing(staff_client, locality):
    header = ",".join(imports.HEADER)
    content = (
        f"{header}\nkajaani,2025-01-01,2025-12-31,100,60,40,10,5,20,30,4,6,15\nnowhere,2025-01-01,2025-12-31,1,1,1,1,1,1,1,1,1,1\n"
    ).encode()
    response = _upload(staff_client, content)
    assert response.status_code == 200
    problems = [str(problem) for problem in response.context["plan"].errors]
    assert len(problems) == 1 and problems[0].startswith(("Line 3", "Rivi 3"))
    assert not LocalityReport.objects.exists()


def test_admin_import_quotes_excerpts_and_counts_the_problems_it_leaves_out(staff_client, locality):
    """A small file of long bad cells once made a page of 101 MB (each error quoted its value whole): now each
    quote is an excerpt, the first 100 problems are listed and the rest counted."""
    header = ",".join(imports.HEADER)
    figures = ",1" * len(FIGURES)
    rows = "".join(
        f"{'x' * 200}{number},2025-01-01,2025-12-31{figures}\nkajaani,{'9' * 200},2025-12-31{figures}\n"
        for number in range(2_500)
    )
    content = (header + "\n" + rows).encode()
    response = _upload(staff_client, content, check=True)
    assert response.status_code == 200
    plan = response.context["plan"]
    assert len(plan.errors) == imports.MAX_ERRORS_SHOWN and plan.error_count == 5_000
    assert plan.more_errors == 5_000 - imports.MAX_ERRORS_SHOWN
    assert all(len(problem.message) < 200 for problem in plan.errors)
    assert [problem.line for problem in plan.errors] == sorted(problem.line for problem in plan.errors)
    assert plan.errors[0].line == 2
    html = response.content.decode()
    assert len(html) < 100_000
    assert "5000 problems: nothing was imported." in html and "… and 4900 more problems." in html
    assert f"“{'x' * 59}…”" in html and f"“{'9' * 59}…”" in html


def test_admin_import_refuses_a_wrong_file_type_beside_the_field(staff_client):
    response = _upload(staff_client, b"MZ", name="reports.exe")
    assert response.status_code == 200 and response.context["form"].errors["file"]


def test_admin_pages_answer_in_every_language(staff_client, submitted):
    with translation.override("fi"):  # the paths without a language prefix
        urls = [_change(submitted), reverse("admin:stats_localityreport_import")]
        urls += [QUEUE, ROUNDS, reverse("admin:stats_reportinground_change", args=[submitted.round.pk])]
    for prefix in ("", "/sv", "/en"):
        for url in urls:
            assert staff_client.get(prefix + url).status_code == 200, prefix + url


def test_other_localities_reports_are_reached_by_staff_only(client, coordinator, submitted):
    client.force_login(coordinator)
    response = client.get(_change(submitted))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


class _UndoError(Exception):
    pass


@pytest.mark.parametrize("status", LocalityReport.Status.values)
def test_the_report_page_offers_exactly_what_the_services_accept(staff_client, staff, status):
    report = ReportFactory(round=RoundFactory(title="2025"), status=status, first_submitted_at=timezone.now())
    offered = set(staff_client.get(_change(report)).context["review_forms"])
    tries = {
        "approve": lambda: services.report_approve(actor=staff, report=report),
        "return": lambda: services.report_return(actor=staff, report=report, comment="Korjaa", notify=False),
        "reopen": lambda: services.report_reopen(
            actor=staff, report=report, until=timezone.localdate(), reason="Korjaus", notify=False
        ),
    }
    accepted = set()
    for action, attempt in tries.items():
        try:
            with transaction.atomic():
                attempt()
                raise _UndoError
        except _UndoError:
            accepted.add(action)
        except ValidationError:
            pass
    assert offered == accepted
