"""Demo statistics for `seed_demo`: a yearly reporting round for each of the last three full years and the current
year, and a report for every locality running in each period, in every status the workflow has:

- the past years' reports approved (most of them), with breakdowns by venue and issuer for Kainuu;
- last year: Vaasa's submitted with warnings and their written explanations (in the review queue), Tornio's
  returned with a comment (back with the coordinator);
- the past years after the published history aggregated; published once all their reports are approved;
- the year before: published, then Tornio's reopened for correction (a lock exception that ends in two weeks);
- the current year's round open: drafts, some half filled in (the coordinators' to-do panels).

Years and dates are counted from `timezone.localdate()`, so the demo stays sensible in later years. Figures are
plausible and grow year on year, from a random generator seeded by the locality and the year (the same figures on
every run). The demo localities' reports go through the services, as their coordinator and national staff would;
the national-scale localities' (`--scale`) are written in bulk, approved as the services would leave them (the
same fields, versions, events and history). Idempotent: a round is found by its period and a report by its round
and locality, and only what is missing is added."""

import datetime
import random

from django.db.models import Count, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from kaikukeskus.demo import DemoContext
from localities.demo import NATIONAL_SLUG_PREFIX
from localities.models import Coordinator, Locality
from networks.models import Partner, PartnerRole
from stats import aggregation, services, validation
from stats.models import (
    FIGURES,
    SECTORS,
    USE_FIELDS,
    LocalityReport,
    NationalYear,
    ReportEvent,
    ReportingRound,
)

YEARS = 3  # full years before the current one
Status = LocalityReport.Status

# Each sector's share of the uses, and the children's share of a sector's uses.
SECTOR_SHARES = {"culture": 0.48, "sports": 0.27, "education": 0.15, "science": 0.10}
CHILD_SHARES = {"culture": 0.30, "sports": 0.40, "education": 0.10, "science": 0.45}
GROWTH = 1.15  # a year on year; with the yearly jitter below a figure never moves by half (no change warnings)

EXPLANATION = "Uusia kohteita ja jakajia tuli mukaan vuoden aikana, ja kortista tiedotettiin laajasti."
VAASA_EXPLANATIONS = {
    "change:cards_registered": "Kaupungin sosiaalipalvelut alkoivat jakaa kortteja kaikissa toimipisteissään "
    "keväällä, ja kaksi uutta järjestöä tuli jakajiksi.",
    "change:cards_activated": "Uusia kortteja jaettiin paljon, ja useimmat otettiin käyttöön heti.",
}
TORNIO_RETURN = (
    "Liikunnan käyttökerroissa aikuisten ja lasten luvut näyttävät vaihtaneen paikkaa: uimahallin tilasto kertoo "
    "lasten käyneen noin 400 kertaa. Tarkistattehan luvut ja lähetätte raportin uudelleen."
)
TORNIO_REOPEN = "Kulttuurin käyttökerroista puuttui kesäfestivaalin elokuun luvut; kohde ilmoitti ne jälkikäteen."
REOPEN_DAYS = 14
HIGHLIGHTS = "Kortin käyttö kasvoi tasaisesti. Uudet kohteet toivat lisää kulttuuritarjontaa lapsiperheille."
CHALLENGES = "Korttien aktivointi on osalla asiakkaista hidasta; jakajat muistuttavat kortin käytöstä."


def seed(context: DemoContext) -> None:
    today = timezone.localdate()
    coordinators = dict(
        Coordinator.objects.active().order_by("locality_id", "started_on", "pk").values_list("locality_id", "user_id")
    )
    for year in range(today.year - YEARS, today.year + 1):
        reporting_round, created = _round(context, year=year, today=today)
        added = 0
        if year < today.year:
            added = _seed_national_reports(context, reporting_round, coordinators=coordinators)
        if created:
            services.round_open(actor=context.staff, reporting_round=reporting_round)
            _seed_demo_reports(context, reporting_round, today=today)
            if year < today.year:
                services.round_close(actor=context.staff, reporting_round=reporting_round)
        elif year == today.year and (context.reset or reporting_round.status == ReportingRound.Status.OPEN):
            # Reports for localities started since; a round staff closed stays closed.
            services.round_open(actor=context.staff, reporting_round=reporting_round)
        context.say(
            f"Statistics {year}: {reporting_round.reports.count()} reports"
            + (f" ({added} approved in bulk)" if added else "")
        )
        if year < today.year and (created or added):
            _aggregate_and_publish(context, year=year)
    _reopen_after_publication(context, year=today.year - 2, today=today)


# --- Rounds -----------------------------------------------------------------------------------------------


def round_dates(year: int, today: datetime.date) -> dict:
    """A yearly round's period and dates: it opens when the year ends, is due a month later and closes two months
    after that. The current year's round is open already (the to-do panels have something to show)."""
    opens_on = datetime.date(year + 1, 1, 1)
    if year >= today.year:
        opens_on = min(opens_on, today - datetime.timedelta(days=7))
    return {
        "title": str(year),
        "period_start": datetime.date(year, 1, 1),
        "period_end": datetime.date(year, 12, 31),
        "opens_on": opens_on,
        "due_on": datetime.date(year + 1, 1, 31),
        "closes_on": datetime.date(year + 1, 3, 31),
    }


def _round(context: DemoContext, *, year: int, today: datetime.date) -> tuple[ReportingRound, bool]:
    dates = round_dates(year, today)
    existing = ReportingRound.objects.filter(period_start=dates["period_start"], period_end=dates["period_end"]).first()
    if existing is not None:
        return existing, False
    return services.round_create(actor=context.staff, **dates), True


# --- Figures ----------------------------------------------------------------------------------------------


def demo_figures(locality: Locality, year: int, *, scale: float = 1.0) -> dict[str, int]:
    """The locality's plausible figures for a year: its size from its slug (times `scale`), growing by about
    `GROWTH` a year since its pilot started, with a few per cent of jitter that the year's own generator decides."""
    own = random.Random(locality.slug)  # noqa: S311 - demo figures, not secrets
    size = own.randint(60, 320) * max(1, locality.municipalities_count) * scale
    uses_per_card = own.uniform(7.0, 10.0)
    started = locality.pilot_start_on.year if locality.pilot_start_on else year
    rng = random.Random(f"{locality.slug}:{year}")  # noqa: S311
    registered = round(size * GROWTH ** max(0, year - started) * rng.uniform(0.96, 1.04))
    activated = round(registered * rng.uniform(0.8, 0.84))
    uses = activated * uses_per_card * rng.uniform(0.97, 1.03)
    figures = {"cards_registered": registered, "cards_activated": activated}
    for sector in SECTORS:
        sector_uses = uses * SECTOR_SHARES[sector] * rng.uniform(0.97, 1.03)
        figures[f"child_{sector}"] = round(sector_uses * CHILD_SHARES[sector])
        figures[f"adult_{sector}"] = round(sector_uses) - figures[f"child_{sector}"]
    return figures


def year_scale(reporting_round: ReportingRound) -> float:
    """What the localities' figures are multiplied by so that the country's add up to the published history of
    the year (or its last year's, growing by `GROWTH` a year): plausible national totals whether the demo has a
    handful of localities or, with `--scale`, hundreds."""
    history = NationalYear.objects.filter(source=NationalYear.Source.PUBLISHED, total_uses__isnull=False)
    last = history.filter(year__lte=reporting_round.year).order_by("-year").first()
    if last is None:
        return 1.0
    target = last.total_uses * GROWTH ** (reporting_round.year - last.year)
    running = _localities(Locality.objects.running_during(reporting_round.period_start, reporting_round.period_end))
    base = sum(sum(demo_figures(locality, reporting_round.year)[name] for name in USE_FIELDS) for locality in running)
    return target / base if base else 1.0


def _localities(queryset):
    return queryset.annotate(municipalities_count=Count("municipalities")).order_by("slug")


# --- National scale: approved in bulk ----------------------------------------------------------------------


def _seed_national_reports(context: DemoContext, reporting_round: ReportingRound, *, coordinators: dict) -> int:
    """The national-scale localities' approved reports for a past round, in a few queries, as the services would
    have left them: saved (version 2), submitted by the coordinator, approved by staff (version 3), the two
    events, a history row, and each warning explained."""
    missing = _localities(
        Locality.objects.running_during(reporting_round.period_start, reporting_round.period_end)
        .filter(slug__startswith=NATIONAL_SLUG_PREFIX)
        .exclude(reports__round=reporting_round)
    )
    reports = [LocalityReport(round=reporting_round, locality=locality) for locality in missing]
    if not reports:
        return 0
    services.prefill_network(reports, on=reporting_round.period_end)
    previous = _previous_figures(reporting_round, [report.locality_id for report in reports])
    scale = year_scale(reporting_round)
    events = []
    for report in reports:
        figures = demo_figures(report.locality, reporting_round.year, scale=scale)
        for name, value in figures.items():
            setattr(report, name, value)
        warnings = validation.check_warnings(figures, previous=previous.get(report.locality_id), venues=report.venues)
        report.explanations = {warning.code: EXPLANATION for warning in warnings}
        submitted_at, reviewed_at = _review_times(reporting_round, report.locality.slug)
        coordinator = coordinators.get(report.locality_id)
        report.first_submitted_at = report.submitted_at = submitted_at
        report.submitted_by_id = coordinator
        services.mark_approved(report, actor=context.staff, at=reviewed_at)
        report.version = 3
        events += [
            ReportEvent(action=ReportEvent.Action.SUBMITTED, actor_id=coordinator, at=submitted_at),
            ReportEvent(action=ReportEvent.Action.APPROVED, actor=context.staff, at=reviewed_at),
        ]
    bulk_create_with_history(
        reports, LocalityReport, batch_size=500, default_user=context.staff, default_change_reason="report.approved"
    )
    for number, event in enumerate(events):
        event.report = reports[number // 2]
    ReportEvent.objects.bulk_create(events, batch_size=1000)
    return len(reports)


def _previous_figures(reporting_round: ReportingRound, locality_ids: list[int]) -> dict[int, dict]:
    """The approved figures of the same period a year earlier, by locality (one query)."""
    start, end = reporting_round.previous_period()
    rows = (
        LocalityReport.objects.approved()
        .filter(locality_id__in=locality_ids, round__period_start=start, round__period_end=end)
        .values("locality_id", *FIGURES)
    )
    return {row.pop("locality_id"): row for row in rows}


def _review_times(reporting_round: ReportingRound, slug: str, *, late: bool = False):
    """When a report was submitted (most a few days before the due date, one in ten late) and reviewed."""
    rng = random.Random(f"review:{slug}:{reporting_round.year}")  # noqa: S311
    late = late or rng.random() < 0.1
    days = rng.randint(1, 25) if late else -rng.randint(0, 20)
    submitted_on = reporting_round.due_on + datetime.timedelta(days=days)
    reviewed_on = submitted_on + datetime.timedelta(days=rng.randint(2, 12))
    return _at(submitted_on, 10 + rng.randint(0, 6)), _at(reviewed_on, 9 + rng.randint(0, 6))


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 17)))


# --- The demo localities: through the services -------------------------------------------------------------


def _seed_demo_reports(context: DemoContext, reporting_round: ReportingRound, *, today: datetime.date) -> None:
    """The demo localities' reports of a round just opened, each in the status its story gives it."""
    years_ago = today.year - reporting_round.year
    reports = (
        reporting_round.reports.exclude(locality__slug__startswith=NATIONAL_SLUG_PREFIX)
        .filter(status=Status.DRAFT)
        .select_related("round", "locality")
        .order_by("locality__slug")
    )
    localities = {locality.pk: locality for locality in _localities(Locality.objects.filter(reports__in=reports))}
    scale = year_scale(reporting_round)
    for report in reports:
        locality = localities[report.locality_id]
        coordinator = Coordinator.objects.active().filter(locality=locality).select_related("user").first()
        if coordinator is None:
            continue
        user, figures = coordinator.user, demo_figures(locality, reporting_round.year, scale=scale)
        slug = locality.slug
        if years_ago == 0:
            if slug in ("kainuu", "nokia"):  # half filled in: the cards counted so far
                _save(user, report, {name: figures[name] for name in ("cards_registered", "cards_activated")})
        elif years_ago == 1 and slug == "vaasa":
            # New issuers: far more cards than a year earlier, which the coordinator explains.
            figures["cards_registered"] = round(figures["cards_registered"] * 1.8) + 40
            figures["cards_activated"] = round(figures["cards_activated"] * 1.7) + 30
            _submit(user, report, figures, explanations=VAASA_EXPLANATIONS)
            _backdate(report, *_review_times(reporting_round, slug))
            LocalityReport.objects.filter(pk=report.pk).update(reviewed_at=None)
        elif years_ago == 1 and slug == "tornio":
            _submit(user, report, figures)
            services.report_return(actor=context.staff, report=report, comment=TORNIO_RETURN, notify=False)
            _backdate(report, *_review_times(reporting_round, slug, late=True))
        else:
            with_breakdowns = slug == "kainuu"
            _submit(user, report, figures, breakdowns=with_breakdowns)
            services.report_approve(actor=context.staff, report=report)
            _backdate(report, *_review_times(reporting_round, slug))


def _save(user, report: LocalityReport, data: dict) -> LocalityReport:
    return services.report_save(actor=user, report=report, data=data, expected_version=report.version)


def _submit(user, report: LocalityReport, figures: dict, *, explanations=None, breakdowns=False) -> LocalityReport:
    report.refresh_from_db()
    data = {**figures, "highlights": HIGHLIGHTS, "challenges": CHALLENGES}
    venue_rows, issuer_rows = _breakdowns(report, figures) if breakdowns else (None, None)
    # The warnings a coordinator would see on the page for these figures, each explained.
    warnings = services.report_findings(report, data={**figures, "venues": report.venues}, complete=False).warnings
    explanations = {warning.code: (explanations or {}).get(warning.code, EXPLANATION) for warning in warnings}
    return services.report_submit(
        actor=user,
        report=report,
        data=data,
        venue_rows=venue_rows,
        issuer_rows=issuer_rows,
        explanations=explanations,
        expected_version=report.version,
    )


def _breakdowns(report: LocalityReport, figures: dict):
    """Each sector's uses spread over the locality's venues in that sector, and the cards over its issuers (the
    partners in the network during the period): the sums match the totals, as validation requires."""
    partners = list(
        Partner.objects.filter(locality_id=report.locality_id)
        .active_during(report.round.period_start, report.round.period_end)
        .order_by("name")
        .values_list("pk", "role", "sector")
    )
    venues = {
        sector: [pk for pk, role, s in partners if role == PartnerRole.VENUE and s == sector] for sector in SECTORS
    }
    issuers = [pk for pk, role, _sector in partners if role == PartnerRole.ISSUER]
    if not issuers or not all(venues.values()):
        return None, None
    venue_rows = []
    for sector, ids in venues.items():
        adults = _spread(figures[f"adult_{sector}"], len(ids))
        children = _spread(figures[f"child_{sector}"], len(ids))
        venue_rows += [validation.VenueRow(pk, sector, a, c) for pk, a, c in zip(ids, adults, children, strict=True)]
    cards = _spread(figures["cards_registered"], len(issuers))
    issuer_rows = [validation.IssuerRow(pk, count) for pk, count in zip(issuers, cards, strict=True)]
    return venue_rows, issuer_rows


def _spread(total: int, parts: int) -> list[int]:
    """`total` in `parts` uneven whole parts (the first venue the busiest) that add up to it."""
    weights = [parts - index + 1 for index in range(parts)]
    shares = [total * weight // sum(weights) for weight in weights]
    shares[0] += total - sum(shares)
    return shares


def _backdate(report: LocalityReport, submitted_at: datetime.datetime, reviewed_at: datetime.datetime) -> None:
    """The workflow's times as they would have been (the services stamp the moment the seed runs)."""
    LocalityReport.objects.filter(pk=report.pk).update(
        first_submitted_at=submitted_at, submitted_at=submitted_at, reviewed_at=reviewed_at
    )
    events = ReportEvent.objects.filter(report_id=report.pk)
    events.filter(action=ReportEvent.Action.SUBMITTED).update(at=submitted_at)
    events.filter(~Q(action=ReportEvent.Action.SUBMITTED)).update(at=reviewed_at)


def _aggregate_and_publish(context: DemoContext, *, year: int) -> None:
    """A past year aggregated, and published once every report of it is approved, as staff would do (last year's
    waits for the reports in review: staff see its completeness); the published history (up to 2023) stays as
    Kaikukeskus published it."""
    if NationalYear.objects.filter(year=year, source=NationalYear.Source.PUBLISHED).exists():
        return
    reviewed = not LocalityReport.objects.within_year(year).exclude(status=Status.APPROVED).exists()
    result = aggregation.aggregate_year(year=year, actor=context.staff, publish=reviewed)
    context.say(
        f"Statistics {year} aggregated{' and published' if reviewed else ''}: {result.localities} of "
        f"{result.national_year.localities_expected} localities reporting"
    )


def _reopen_after_publication(context: DemoContext, *, year: int, today: datetime.date) -> None:
    """After the year was published, a venue reported late figures: staff reopen Tornio's report for two weeks
    (a lock exception), once."""
    report = (
        LocalityReport.objects.filter(locality__slug="tornio", round__period_start=datetime.date(year, 1, 1))
        .filter(status=Status.APPROVED)
        .exclude(events__action=ReportEvent.Action.REOPENED)
        .first()
    )
    if report is not None:
        services.report_reopen(
            actor=context.staff,
            report=report,
            until=today + datetime.timedelta(days=REOPEN_DAYS),
            reason=TORNIO_REOPEN,
            notify=False,
        )
