"""The reports import (DESIGN §6): a CSV or .xlsx file with exactly the header

    locality,period_start,period_end,cards_registered,cards_activated,adult_culture,…,child_sports

(locality by slug, dates YYYY-MM-DD). Reads only: this module checks every row and plans what it would do;
`services.reports_import` applies a plan without a bad row, all or nothing. The command `import_reports` and the
admin's import page both come here.

The file is read by the core's bounded reader (`kaikukeskus.spreadsheet_reader`: size, zip parts, rows, columns,
cell length and all the text checked before and while parsing), so a hostile file gets a message, not the
server's memory. A message quotes at most an excerpt of a bad value, and the plan keeps the first
`MAX_ERRORS_SHOWN` problems and counts the rest: a small file of long bad cells cannot make a page of 100 MB.

Rules for a row, besides the figures' own (`validation.check_figures`, `check_period`):
- the locality must exist; the same locality and period may appear once in the file;
- the period chooses the round: the round of exactly that period, created when there is none (titled "2025",
  "2025 H1", "2025 Q3" or "2025-03" by its period);
- a period that overlaps another round's period in which the locality already reports, or another row of the
  same locality in the file, is refused (the year's aggregation would count the uses twice);
- **overwrite rule**: a report of that round and locality that is not approved (a draft from opening the round,
  returned, submitted, reopened) takes the file's figures and is approved; an approved one is never
  overwritten: its row is an error (reopen the report in the admin, or leave the row out).
Warnings (year-on-year change, uses per card, uses without venues) are listed and do not block a staff import.
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kaikukeskus.spreadsheet_reader import MAX_ROWS, SpreadsheetError, excerpt, read_rows
from localities.models import Locality
from stats import validation
from stats.models import FIGURES, LocalityReport, ReportingRound

HEADER = ("locality", "period_start", "period_end", *FIGURES)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^[+-]?\d{1,18}$")  # longer is not a count, and int() refuses 4,300 digits
MAX_ERRORS_SHOWN = 100


@dataclass(frozen=True)
class Problem:
    """A bad row (or the file as a whole: line None) and why."""

    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return _("Line %(line)d: %(reason)s") % {"line": self.line, "reason": self.message}


@dataclass
class PlannedRow:
    line: int
    locality: Locality
    period: tuple[datetime.date, datetime.date]
    figures: dict[str, int]
    report: LocalityReport | None  # the existing report it replaces (not approved), else None: a new one


@dataclass
class ImportPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)  # the first MAX_ERRORS_SHOWN by line
    more_errors: int = 0  # problems beyond those, counted and not kept
    warnings: list[Problem] = field(default_factory=list)
    rounds: dict[tuple[datetime.date, datetime.date], ReportingRound | None] = field(default_factory=dict)

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.more_errors

    def add_errors(self, problems: Iterable[Problem]) -> None:
        self.errors.extend(problems)
        if len(self.errors) > 2 * MAX_ERRORS_SHOWN:
            self._keep_first_errors()

    def _keep_first_errors(self) -> None:
        """The first problems by line (the sort is stable: a row's own problems stay in order)."""
        self.errors.sort(key=lambda problem: problem.line or 0)
        self.more_errors += max(0, len(self.errors) - MAX_ERRORS_SHOWN)
        del self.errors[MAX_ERRORS_SHOWN:]

    @property
    def new_rounds(self) -> list[tuple[datetime.date, datetime.date]]:
        return sorted(period for period, reporting_round in self.rounds.items() if reporting_round is None)

    @property
    def replaced(self) -> int:
        return sum(1 for row in self.rows if row.report is not None)


def round_title(period_start: datetime.date, period_end: datetime.date) -> str:
    """ "2025" for a calendar year, "2025 H1" for a half, "2025 Q3" for a quarter, "2025-03" for a month, else
    the two dates."""
    year = period_start.year
    whole_months = period_start.day == 1 and (period_end + datetime.timedelta(days=1)).day == 1
    if whole_months and period_start.year == period_end.year:
        first, last = period_start.month, period_end.month
        if (first, last) == (1, 12):
            return str(year)
        if (first, last) in ((1, 6), (7, 12)):
            return f"{year} H{1 if first == 1 else 2}"
        if last - first == 2 and first % 3 == 1:
            return f"{year} Q{(first + 2) // 3}"
        if first == last:
            return f"{year}-{first:02d}"
    return f"{period_start.isoformat()} – {period_end.isoformat()}"


def plan_import(*, name: str, content: bytes) -> ImportPlan:
    """Every row checked; `plan.errors` names each bad row by its line in the file. Nothing is written."""
    plan = ImportPlan()
    try:
        lines = list(_data_lines(name=name, content=content))
    except SpreadsheetError as error:
        plan.add_errors([Problem(None, str(error))])
        return plan
    if not lines:
        plan.add_errors([Problem(None, _("The file has a header row but no reports below it."))])
        return plan

    parsed = []
    for line, cells in lines:
        row, problems = _parse_row(line, cells)
        plan.add_errors(problems)
        if row is not None:
            parsed.append(row)

    longest = Locality._meta.get_field("slug").max_length
    slugs = {row["slug"] for row in parsed if len(row["slug"]) <= longest}
    localities = {locality.slug: locality for locality in Locality.objects.filter(slug__in=slugs)}
    periods = {row["period"] for row in parsed}
    rounds = {
        (reporting_round.period_start, reporting_round.period_end): reporting_round
        for reporting_round in ReportingRound.objects.all()
    }
    # The localities' reports in every round, to find a replaced report or an overlapping period (one query).
    existing = {}
    for report in LocalityReport.objects.filter(locality__in=localities.values()).select_related("round"):
        existing.setdefault(report.locality_id, []).append(report)
    previous = _previous_figures(localities.values(), periods)

    overlapping = _overlapping_in_file(parsed)
    seen: dict[tuple[str, tuple], int] = {}
    for row in parsed:
        line, period = row["line"], row["period"]
        locality = localities.get(row["slug"])
        problems = []
        if locality is None:
            problems.append(_("There is no locality with the identifier “%(slug)s”.") % {"slug": excerpt(row["slug"])})
        key = (row["slug"], period)
        if key in seen:
            problems.append(_("The same locality and period as on line %(line)d.") % {"line": seen[key]})
        else:
            seen[key] = line
        report = None
        if locality is not None:
            if key in overlapping:
                problems.append(
                    _("The period overlaps the period on line %(line)d of the same locality.")
                    % {"line": overlapping[key]}
                )
            for other in existing.get(locality.pk, []):
                other_period = (other.round.period_start, other.round.period_end)
                if other_period == period:
                    if other.status == LocalityReport.Status.APPROVED:
                        problems.append(
                            _(
                                "The report of %(locality)s for %(round)s is already approved. Reopen it in the admin "
                                "to replace it, or leave this row out."
                            )
                            % {"locality": locality, "round": other.round}
                        )
                    else:
                        report = other
                elif _overlaps(other_period, period):
                    problems.append(
                        _("%(locality)s already has a report for %(round)s, which overlaps this period.")
                        % {"locality": locality, "round": other.round}
                    )
        if problems:
            plan.add_errors(Problem(line, message) for message in problems)
            continue
        plan.rounds.setdefault(period, rounds.get(period))
        plan.rows.append(PlannedRow(line=line, locality=locality, period=period, figures=row["figures"], report=report))
        venues = report.venues if report is not None else None
        for warning in validation.check_warnings(
            row["figures"], previous=previous.get((locality.pk, period)), venues=venues
        ):
            if warning.code == "uses_without_venues" and report is None:
                continue  # a new report's venues are counted from the network when it is written
            plan.warnings.append(Problem(line, warning.message))
    plan._keep_first_errors()
    return plan


def _data_lines(*, name: str, content: bytes):
    """The data rows after a header that must be exactly `HEADER`."""
    rows = read_rows(name=name, content=content, subject=LocalityReport._meta.verbose_name_plural)
    header = next(rows, None)
    if header is None:
        raise SpreadsheetError(_("The file has no header row."))
    _line, titles = header
    found = tuple(title.replace("\ufeff", "").strip().lower() for title in titles)
    if found != HEADER:
        raise SpreadsheetError(_("The header row must be exactly: %(header)s") % {"header": ",".join(HEADER)})
    for count, (line, cells) in enumerate(rows, start=1):
        if count > MAX_ROWS:
            raise SpreadsheetError(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
        yield line, cells


def _parse_row(line: int, cells: list[str]):
    problems = []
    if len(cells) > len(HEADER):
        problems.append(Problem(line, _("The row has more cells than the header.")))
        return None, problems
    cells = cells + [""] * (len(HEADER) - len(cells))
    values = dict(zip(HEADER, cells, strict=True))
    slug = values["locality"].strip()
    if not slug:
        problems.append(Problem(line, _("The locality is missing.")))
    dates = {}
    for name in ("period_start", "period_end"):
        text = values[name].strip()
        try:
            if not _DATE.match(text):
                raise ValueError(text)
            dates[name] = datetime.date.fromisoformat(text)
        except ValueError:
            problems.append(
                Problem(
                    line,
                    _("%(column)s must be a date written YYYY-MM-DD, not “%(value)s”.")
                    % {"column": name, "value": excerpt(text)},
                )
            )
    figures = {}
    for name in FIGURES:
        text = values[name].strip()
        figures[name] = int(text) if _INTEGER.match(text) else (text or None)
    problems.extend(Problem(line, finding.message) for finding in validation.check_figures(figures, required=True))
    if len(dates) == 2:
        start, end = dates["period_start"], dates["period_end"]
        problems.extend(
            Problem(line, finding.message)
            for finding in validation.check_period(period_start=start, period_end=end, round_start=start, round_end=end)
        )
    if problems:
        return None, problems
    return {"line": line, "slug": slug, "period": (dates["period_start"], dates["period_end"]), "figures": figures}, []


def _overlapping_in_file(parsed: list[dict]) -> dict[tuple[str, tuple], int]:
    """(slug, period) → the line of another period of the same locality in the file that overlaps it: a sweep
    over each locality's periods in order, so a file of 10,000 rows of one locality costs no more than sorting."""
    by_slug: dict[str, dict[tuple, int]] = {}
    for row in parsed:
        by_slug.setdefault(row["slug"], {}).setdefault(row["period"], row["line"])
    result = {}
    for slug, periods in by_slug.items():
        reaching = None  # the period so far that reaches furthest
        for period in sorted(periods):
            if reaching is not None and period[0] <= reaching[1]:
                result.setdefault((slug, period), periods[reaching])
                result.setdefault((slug, reaching), periods[period])
            if reaching is None or period[1] > reaching[1]:
                reaching = period
    return result


def _overlaps(first: tuple[datetime.date, datetime.date], second: tuple[datetime.date, datetime.date]) -> bool:
    return first[0] <= second[1] and second[0] <= first[1]


def _previous_figures(localities, periods) -> dict:
    """(locality id, period) → the approved figures of the same period a year earlier (one query)."""
    earlier = {}
    for start, end in periods:
        probe = ReportingRound(period_start=start, period_end=end)
        earlier[probe.previous_period()] = (start, end)
    if not earlier:
        return {}
    reports = (
        LocalityReport.objects.approved()
        .filter(locality__in=list(localities), round__period_start__in={start for start, _end in earlier})
        .select_related("round")
    )
    result = {}
    for report in reports:
        period = earlier.get((report.round.period_start, report.round.period_end))
        if period is not None:
            result[(report.locality_id, period)] = report.figures()
    return result
