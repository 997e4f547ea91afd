"""`manage.py import_reports PATH [--dry-run]` and the plan behind it (and the admin's import page): every bad
row named by its line and reason, dry-run and a refused run change nothing, the rounds chosen or created by the
period, approved reports with their event, the overwrite rule, hostile files."""

import datetime
import io
import time

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from stats import imports, services
from stats.models import FIGURES, LocalityReport, ReportEvent, ReportingRound
from tests.networks.factories import PartnerFactory
from tests.networks.test_import_safety import bomb
from tests.spreadsheet_bombs import bounded
from tests.stats.factories import ReportFactory, RoundFactory

pytestmark = pytest.mark.django_db

S = LocalityReport.Status
HEADER = ",".join(imports.HEADER)
GOOD = "100,60,40,10,5,20,30,4,6,15"  # the ten figures, in the header's order


@pytest.fixture
def default_language():
    return "en"


def csv_file(tmp_path, *lines, name="reports.csv", header=HEADER, encoding="utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(("\n".join([header, *lines]) + "\n").encode(encoding))
    return str(path)


def run(path, *, dry_run=False):
    out, err = io.StringIO(), io.StringIO()
    args = [path, "--dry-run"] if dry_run else [path]
    try:
        call_command("import_reports", *args, stdout=out, stderr=err)
    except CommandError as error:
        return error, out.getvalue(), err.getvalue()
    return None, out.getvalue(), err.getvalue()


def snapshot():
    return (
        list(LocalityReport.objects.order_by("pk").values()),
        list(ReportingRound.objects.order_by("pk").values()),
        ReportEvent.objects.count(),
        LocalityReport.history.count(),
    )


def test_a_good_file_arrives_approved_in_a_new_round_with_its_event_and_network(locality, other_locality, tmp_path):
    PartnerFactory(locality=locality, role="venue", joined_on=datetime.date(2020, 1, 1))
    path = csv_file(tmp_path, f"kajaani,2025-01-01,2025-12-31,{GOOD}", f"tornio,2025-01-01,2025-06-30,{GOOD}")
    error, out, err = run(path)
    assert error is None, err
    assert "imported 2 approved report(s)" in out
    kajaani = LocalityReport.objects.get(locality=locality)
    assert kajaani.status == S.APPROVED and kajaani.round.title == "2025"
    assert kajaani.round.status == ReportingRound.Status.CLOSED
    assert [kajaani.figures()[name] for name in FIGURES] == [int(value) for value in GOOD.split(",")]
    assert kajaani.venues == 1  # counted from the network at the period's end
    assert LocalityReport.objects.get(locality=other_locality).round.title == "2025 H1"
    event = kajaani.events.get()
    assert event.action == ReportEvent.Action.IMPORTED and "reports.csv" in event.comment
    assert kajaani.history.first().history_change_reason == "imported: reports.csv"
    # The new round went through the rounds' service: validated, and its history says where it came from.
    created = kajaani.round.history.get()
    assert created.history_type == "+" and created.history_change_reason == "round.imported"
    assert kajaani.round.created_by is None  # the command line: the system


def test_rows_go_to_the_round_of_their_period(locality, tmp_path):
    existing = RoundFactory(title="Vuosi 2025")
    draft = ReportFactory(round=existing, locality=locality, status=S.DRAFT, cards_registered=None)
    error, _out, err = run(csv_file(tmp_path, f"kajaani,2025-01-01,2025-12-31,{GOOD}"))
    assert error is None, err
    draft.refresh_from_db()
    # The overwrite rule: a report not yet approved takes the file's figures and is approved.
    assert (draft.status, draft.cards_registered, draft.version) == (S.APPROVED, 100, 2)
    assert ReportingRound.objects.count() == 1


@pytest.mark.parametrize(
    ("period", "title"),
    [
        (("2025-01-01", "2025-12-31"), "2025"),
        (("2025-07-01", "2025-12-31"), "2025 H2"),
        (("2025-04-01", "2025-06-30"), "2025 Q2"),
        (("2025-03-01", "2025-03-31"), "2025-03"),
        (("2025-03-05", "2025-03-31"), "2025-03-05 – 2025-03-31"),
    ],
)
def test_round_titles(period, title):
    start, end = (datetime.date.fromisoformat(day) for day in period)
    assert imports.round_title(start, end) == title


def test_dry_run_lists_every_bad_row_by_line_and_changes_nothing(locality, other_locality, tmp_path):
    approved = ReportFactory(locality=other_locality, approved=True, round=RoundFactory(title="2025"))
    lines = [
        f"kajaani,2025-01-01,2025-12-31,{GOOD}",  # 2: overlaps line 13
        f"nowhere,2025-01-01,2025-12-31,{GOOD}",  # 3: unknown locality
        f"kajaani,2025-01-01,2025-12-31,{GOOD}",  # 4: same as line 2
        f"kajaani,2025/01/01,2025-12-31,{GOOD}",  # 5: date format
        f"kajaani,20240101,2024-12-31,{GOOD}",  # 6: date format (ISO basic is not accepted)
        "kajaani,2024-01-01,2024-12-31,-1,60,40,10,5,20,30,4,6,15",  # 7: negative
        "kajaani,2024-01-01,2024-12-31,1.5,60,40,10,5,20,30,4,6,15",  # 8: not whole
        "kajaani,2024-01-01,2024-12-31,,60,40,10,5,20,30,4,6,15",  # 9: missing figure
        f"kajaani,2024-07-01,2025-06-30,{GOOD}",  # 10: across a year's end
        f"kajaani,2024-12-31,2024-01-01,{GOOD}",  # 11: ends before it starts
        f"tornio,2025-01-01,2025-12-31,{GOOD}",  # 12: approved already
        f"kajaani,2025-01-01,2025-06-30,{GOOD}",  # 13: overlaps line 2's period
        f"kajaani,2023-01-01,2023-12-31,{GOOD},extra",  # 14: a cell beyond the header
    ]
    before = snapshot()
    error, _out, err = run(csv_file(tmp_path, *lines), dry_run=True)
    assert error is not None and error.returncode == 1
    assert snapshot() == before
    reported = {int(line.split(":")[1].removeprefix(" Line ")) for line in err.splitlines()}
    assert reported == set(range(2, 15)), err
    assert "Line 2: The period overlaps the period on line 13 of the same locality." in err
    assert "Line 3: There is no locality with the identifier “nowhere”." in err
    assert "Line 4: The same locality and period as on line 2." in err
    assert "Line 5: period_start must be a date written YYYY-MM-DD" in err
    assert "Line 6: period_start must be a date written YYYY-MM-DD" in err
    assert "Line 7: Cards registered cannot be negative." in err
    assert "Line 8: Cards registered must be a whole number." in err
    assert "Line 9: Give cards registered (0 if none)." in err
    assert "Line 10: A period must lie within one calendar year." in err
    assert "Line 11: The period ends before it starts." in err
    assert f"Line 12: The report of {other_locality} for 2025 is already approved." in err
    assert "Line 13: The period overlaps the period on line 2 of the same locality." in err
    assert "Line 14: The row has more cells than the header." in err
    approved.refresh_from_db()
    assert approved.version == 1


def test_a_real_run_with_one_bad_row_changes_nothing_and_fails(locality, tmp_path):
    before = snapshot()
    path = csv_file(
        tmp_path, f"kajaani,2025-01-01,2025-12-31,{GOOD}", f"kajaani,2024-01-01,2024-12-31,{GOOD}", "nowhere"
    )
    error, _out, err = run(path)
    assert error is not None and error.returncode == 1 and "nothing was imported" in str(error)
    assert "Line 4:" in err
    assert snapshot() == before


def test_a_dry_run_of_a_good_file_changes_nothing_and_succeeds(locality, tmp_path):
    before = snapshot()
    error, out, _err = run(csv_file(tmp_path, f"kajaani,2025-01-01,2025-12-31,{GOOD}"), dry_run=True)
    assert error is None and "would import 1 approved report(s)" in out and "new rounds: 2025" in out
    assert snapshot() == before


def test_overlapping_an_existing_report_of_another_round(locality, tmp_path):
    ReportFactory(locality=locality, round=RoundFactory(title="2025 H1", period_end=datetime.date(2025, 6, 30)))
    error, _out, err = run(csv_file(tmp_path, f"kajaani,2025-01-01,2025-12-31,{GOOD}"))
    assert error is not None and f"Line 2: {locality} already has a report for 2025 H1" in err


def test_warnings_are_listed_and_do_not_block(locality, tmp_path):
    ReportFactory(
        locality=locality,
        round=RoundFactory(period_start=datetime.date(2024, 1, 1)),
        approved=True,
        cards_registered=10,
    )
    error, out, _err = run(csv_file(tmp_path, f"kajaani,2025-01-01,2025-12-31,{GOOD}"))
    assert error is None
    assert "warning: Line 2: Cards registered changed from 10 to 100" in out
    assert LocalityReport.objects.filter(status=S.APPROVED, round__title="2025").count() == 1


def test_the_header_must_be_exact(locality, tmp_path):
    header = HEADER.replace("cards_activated,", "")
    error, _out, err = run(csv_file(tmp_path, f"kajaani,2025-01-01,2025-12-31,{GOOD}", header=header))
    assert error is not None and "The header row must be exactly: locality,period_start" in err


def test_semicolons_a_bom_and_windows_encoding_are_read(locality, tmp_path):
    path = tmp_path / "raportit.csv"
    text = HEADER.replace(",", ";") + "\n" + f"kajaani;2025-01-01;2025-12-31;{GOOD.replace(',', ';')}\n"
    path.write_bytes("\ufeff".encode() + text.encode("cp1252"))
    error, _out, err = run(str(path))
    assert error is None, err


def test_utf16_with_its_byte_order_mark_is_read(locality, tmp_path):
    path = tmp_path / "raportit.csv"
    path.write_bytes((HEADER + "\n" + f"kajaani,2025-01-01,2025-12-31,{GOOD}\n").encode("utf-16"))
    error, _out, err = run(str(path))
    assert error is None, err


def test_xlsx_with_dates_and_numbers_as_excel_stores_them(locality, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(imports.HEADER))
    sheet.append(["kajaani", datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), *map(int, GOOD.split(","))])
    path = tmp_path / "reports.xlsx"
    workbook.save(path)
    error, _out, err = run(str(path))
    assert error is None, err
    assert LocalityReport.objects.get().cards_activated == 60


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("reports.csv", HEADER.encode() + b"\nkajaani,\x81\x8d\x8f\x90\x9d\n", "text encoding is not UTF-8"),
        ("reports.csv", (HEADER + "\nkajaani," + "9" * 20_000 + "\n").encode(), "longer than 10000 characters"),
        ("reports.xlsx", b"not a zip at all", "not a valid Excel"),
        ("reports.txt", b"anything", "Upload a CSV or an Excel"),
        ("reports.xlsx", "one giant cell", "longer than 10000 characters"),
        ("reports.xlsx", "millions of empty rows", "unpacks to too much data"),
        ("reports.xlsx", "fifty thousand empty parts", "Save only the sheet of locality reports"),
        ("reports.xlsx", "one shared string in every cell", "characters of text in all"),
    ],
)
def test_hostile_files_are_refused_fast_with_a_message(locality, tmp_path, name, content, message):
    if isinstance(content, str):
        content = bomb(content)
    path = tmp_path / name
    path.write_bytes(content)
    before = snapshot()
    started = time.perf_counter()
    error, _out, err = run(str(path))
    assert time.perf_counter() - started < 8
    assert error is not None and message in err
    assert snapshot() == before


def test_a_statistics_file_is_not_called_a_partner_list(locality):
    plan = imports.plan_import(name="reports.xlsx", content=bomb("fifty thousand empty parts"))
    assert [problem.message for problem in plan.errors] == [
        "The Excel file unpacks to too much data. Save only the sheet of locality reports, or save it as CSV."
    ]


def test_the_amplified_file_is_refused_by_the_plan_within_bounds(locality):
    with bounded():
        plan = imports.plan_import(name="reports.xlsx", content=bomb("one shared string in every cell"))
    assert len(plan.errors) == 1 and "characters of text in all" in plan.errors[0].message


def test_a_file_over_the_size_limit_is_not_read_whole(tmp_path, locality):
    path = tmp_path / "huge.csv"
    with path.open("wb") as stream:
        stream.write((HEADER + "\n").encode())
        stream.truncate(50 * 1024 * 1024)  # sparse: 50 MB said, nothing stored
    error, _out, err = run(str(path))
    assert error is not None and "larger than 5 MB" in err


def test_the_service_is_for_staff_only(coordinator):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.reports_import(actor=coordinator, name="r.csv", content=b"x")


def test_a_report_approved_between_plan_and_write_is_not_overwritten(locality, staff, monkeypatch):
    draft = ReportFactory(locality=locality)
    real_plan = imports.plan_import

    def plan_then_approve(**kwargs):
        plan = real_plan(**kwargs)
        LocalityReport.objects.filter(pk=draft.pk).update(status=S.APPROVED)
        return plan

    monkeypatch.setattr(imports, "plan_import", plan_then_approve)
    content = f"{HEADER}\nkajaani,2025-01-01,2025-12-31,{GOOD}\n".encode()
    plan = services.reports_import(actor=staff, name="r.csv", content=content)
    assert [str(problem) for problem in plan.errors] == [
        "Line 2: The report was approved meanwhile; nothing was imported."
    ]
    draft.refresh_from_db()
    assert draft.version == 1 and not draft.events.exists()
