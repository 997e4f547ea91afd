"""Outreach: a municipality or a wellbeing services county asks to join through `/join/`, and staff follow the
prospect pipeline (owner, lost with a reason). The interest form's one service decides what a submission becomes:

- no locality covers the municipality (or county) yet: a new prospect, the submission its first contact;
- a locality that does not run the card covers it (a prospect, preparing, paused or ended: in the pipeline): a new
  contact on that locality, never a second prospect (the municipality's row is locked while it is decided, and a
  `ProspectClaim` per municipality or county lets the database refuse a second one);
- a locality that runs the card covers it: the sender is answered with its public page and public contact, and
  staff are told.

The submission is owned by a member of staff (`OUTREACH_OWNER_EMAIL`, else staff in turn), whose next step falls
due in `OUTREACH_NEXT_STEP_WORKING_DAYS` working days; the sender's confirmation is written in the form's
language, the owner's e-mail in the owner's. The sender's contact details are erased after
`OUTREACH_ERASE_AFTER_MONTHS` unless the locality came to run the card (`interest_contacts_erase`, daily)."""

import calendar
import datetime
from typing import cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import override

from kaikukeskus import history, ratelimit
from kaikukeskus.mail import language_of, send_later, site_url
from kaikukeskus.models import User
from kaikukeskus.workdays import add_working_days
from localities.models import (
    InterestSubmission,
    Locality,
    Municipality,
    ProspectClaim,
    ProspectContact,
    WellbeingServicesCounty,
)
from localities.permissions import require_staff
from localities.services.locality import locality_transition

S = Locality.Status
Outcome = InterestSubmission.Outcome

history.register_reasons(
    {
        "interest form": _l("Sent through the interest form"),
        "erased": _l("Contact details erased"),
        "owner": _l("Owner changed"),
        "lost": _l("Marked lost"),
    }
)

# The sender's contact details: what the erasure empties (the record's other fields stay for the measures).
CONTACT_DETAIL_FIELDS = ("name", "title", "email", "phone", "message")


def interest_throttle(*, client: str, email: str) -> None:
    """Refuse a submission beyond the limits per client address and per e-mail address
    (`OUTREACH_SUBMISSIONS_PER_IP`, `_PER_EMAIL`): a bot cannot fill the pipeline nor make the portal e-mail
    strangers. `client` is `ratelimit.client_key(request)`. While the cache fails, nothing is limited."""
    if ratelimit.hit(
        "interest-submission",
        {
            "ip": (client, ratelimit.Rate(*settings.OUTREACH_SUBMISSIONS_PER_IP)),
            "email": (email.strip().lower(), ratelimit.Rate(*settings.OUTREACH_SUBMISSIONS_PER_EMAIL)),
        },
    ):
        raise ValidationError(
            _(
                "Many messages have been sent from this network or with this e-mail address in a short time. "
                "Please try again later or write to us by e-mail."
            ),
            code="throttled",
        )


def next_owner() -> User | None:
    """Who owns the next submission: the staff member `OUTREACH_OWNER_EMAIL` names, else national staff in turn
    (the one after the previous submission's owner, by account). None when there is no staff at all."""
    staff = list(User.objects.national_staff().order_by("pk"))
    if not staff:
        return None
    if settings.OUTREACH_OWNER_EMAIL:
        named = [user for user in staff if user.email.lower() == settings.OUTREACH_OWNER_EMAIL.lower()]
        if named:
            return named[0]
    previous = InterestSubmission.objects.filter(owner__isnull=False).order_by("-created_at", "-pk").first()
    if previous is None:
        return staff[0]
    later = [user for user in staff if user.pk > previous.owner_id]
    return later[0] if later else staff[0]


def _covering_localities(*, municipality: Municipality | None, county: WellbeingServicesCounty | None):
    if municipality is not None:
        return Locality.objects.filter(Q(municipalities=municipality) | Q(claims__municipality=municipality)).distinct()
    return Locality.objects.filter(Q(county=county, kind=Locality.Kind.COUNTY) | Q(claims__county=county)).distinct()


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "prospect"
    slug, n = base, 1
    while Locality.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _new_prospect(
    *, municipality: Municipality | None, county: WellbeingServicesCounty | None, owner: User | None
) -> Locality:
    area = cast("Municipality | WellbeingServicesCounty", municipality or county)
    locality = Locality(
        name_fi=area.name_fi,
        name_sv=area.name_sv,
        slug=_unique_slug(area.name_fi),
        kind=Locality.Kind.MUNICIPALITY if municipality else Locality.Kind.COUNTY,
        county=municipality.county if municipality else county,
        status=S.PROSPECT,
        owner=owner,
    )
    history.save(locality, actor=None, reason="interest form")
    if municipality is not None:
        locality.municipalities.add(municipality)
    return locality


def _claim(*, locality: Locality, municipality: Municipality | None, county: WellbeingServicesCounty | None) -> None:
    """The municipality (or county) is in the pipeline as this locality; a second claim is refused by the database
    (a concurrent submission that got past the lock's absence, on SQLite, rolls back and is sent again)."""
    if municipality is not None:
        ProspectClaim.objects.get_or_create(municipality=municipality, defaults={"locality": locality})
    else:
        ProspectClaim.objects.get_or_create(county=county, defaults={"locality": locality})


def _summary(submission: InterestSubmission) -> str:
    """The contact log's text: what the sender told about the organisation and the decision (no contact details:
    those are on the submission and erased with it)."""
    with override(settings.LANGUAGE_CODE):
        parts = [
            _("Interest form (%(language)s): %(organisation)s, %(sector)s.")
            % {
                "language": submission.get_language_display(),
                "organisation": submission.organisation,
                "sector": submission.get_sector_display(),
            },
            _("Decision: %(stage)s. Other sector involved: %(other)s.")
            % {
                "stage": submission.get_decision_stage_display(),
                "other": submission.get_other_sector_display(),
            },
        ]
        if submission.desired_start:
            parts.append(_("Desired start: %(date)s.") % {"date": submission.desired_start.strftime("%d.%m.%Y")})
    return " ".join(str(part) for part in parts)


@transaction.atomic
def interest_submit(
    *,
    language: str,
    municipality: Municipality | None = None,
    county: WellbeingServicesCounty | None = None,
    organisation: str,
    sector: str,
    name: str,
    title: str = "",
    email: str,
    phone: str = "",
    other_sector: str,
    decision_stage: str,
    desired_start: datetime.date | None = None,
    message: str = "",
    consent: bool,
    today: datetime.date | None = None,
) -> InterestSubmission:
    """A visitor's interest form: record it and decide what it becomes (see the module's docstring). Anybody may
    call it (the form's view limits the rate first); the consent to store the contact is required."""
    if not consent:
        raise ValidationError({"consent": _("We can answer only if you allow us to store your contact details.")})
    if (municipality is None) == (county is None):
        raise ValidationError({"municipality": _("Choose a municipality or a wellbeing services county.")})
    today = today or timezone.localdate()
    # One decision at a time per municipality or county: a second submission for it waits for the first.
    if municipality is not None:
        municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
    elif county is not None:
        county = WellbeingServicesCounty.objects.select_for_update().get(pk=county.pk)

    owner = next_owner()
    submission = InterestSubmission(
        language=language,
        municipality=municipality,
        county=county,
        organisation=organisation,
        sector=sector,
        name=name,
        title=title,
        email=email,
        phone=phone,
        other_sector=other_sector,
        decision_stage=decision_stage,
        desired_start=desired_start,
        message=message,
        consent=consent,
        owner=owner,
    )
    covering = list(_covering_localities(municipality=municipality, county=county).order_by("pk"))
    running = [locality for locality in covering if locality.is_public]
    in_pipeline = [locality for locality in covering if locality.status in Locality.PROSPECT_CONTACT_STATUSES]
    if running:
        submission.outcome = Outcome.ALREADY_RUNNING
        submission.locality = running[0]
    elif in_pipeline:
        # The furthest along: preparing before a prospect, a prospect before a paused or ended one.
        order = [S.PREPARING, S.PROSPECT, S.PAUSED, S.ENDED]
        submission.outcome = Outcome.CONTACT_ADDED
        submission.locality = sorted(in_pipeline, key=lambda loc: order.index(S(loc.status)))[0]
    else:
        submission.outcome = Outcome.NEW_PROSPECT
        try:
            with transaction.atomic():
                submission.locality = _new_prospect(municipality=municipality, county=county, owner=owner)
                _claim(locality=submission.locality, municipality=municipality, county=county)
        except IntegrityError:  # another submission claimed it between our read and our write
            area: dict[str, object] = {"municipality": municipality} if municipality else {"county": county}
            claim = ProspectClaim.objects.select_related("locality").get(**area)
            submission.outcome = Outcome.CONTACT_ADDED
            submission.locality = claim.locality

    locality = cast(Locality, submission.locality)
    if submission.outcome != Outcome.ALREADY_RUNNING:
        _claim(locality=locality, municipality=municipality, county=county)
        if locality.owner_id is None and owner is not None:
            locality.owner = owner
            history.save(locality, actor=None, reason="owner", clean=False)
        contact = ProspectContact(
            locality=locality,
            contacted_on=today,
            channel=ProspectContact.Channel.OTHER,
            summary=_summary(submission),
            next_step=_next_step_text(),
            next_step_on=add_working_days(today, settings.OUTREACH_NEXT_STEP_WORKING_DAYS),
        )
        history.save(contact, actor=None, reason="interest form")
        submission.contact = contact
        if locality.first_contact_on is None or today < locality.first_contact_on:
            locality.first_contact_on = today
            history.save(locality, actor=None, reason="interest form", clean=False)
    history.save(submission, actor=None, reason="interest form")
    _tell(submission)
    return submission


def _next_step_text() -> str:
    with override(settings.LANGUAGE_CODE):
        return str(_("Answer the interest form"))


def _tell(submission: InterestSubmission) -> None:
    """The sender's confirmation in the form's language, and the owner's e-mail (all staff when nobody owns it)."""
    locality = submission.locality
    running = submission.outcome == Outcome.ALREADY_RUNNING
    context = {
        "submission": submission,
        "locality": locality,
        "running": running,
        "locality_url": site_url(
            "localities:public-detail", language=submission.language, kwargs={"slug": locality.slug}
        )
        if running and locality is not None
        else "",
        "join_url": site_url("localities:join", language=submission.language),
        "contact_email": settings.KAIKUKESKUS_CONTACT_EMAIL,
    }
    send_later(
        to=submission.email,
        template="localities/email/interest_confirmation.txt",
        context=context,
        language=submission.language,
    )
    recipients = [submission.owner] if submission.owner else list(User.objects.national_staff())
    for person in recipients:
        language = language_of(person)
        send_later(
            to=person.email,
            template="localities/email/interest_for_staff.txt",
            context={
                **context,
                "pipeline_url": site_url("localities:pipeline", language=language),
                "owner": submission.owner,
            },
            language=language,
        )


# --- Staff's pipeline ------------------------------------------------------------------------------------


@transaction.atomic
def prospect_mark_lost(
    *, actor: User | None, locality: Locality, reason: str, on: datetime.date | None = None
) -> Locality:
    """Staff close a prospect that will not pilot, with the reason (the pipeline's "lost"): the locality ends
    (it may become a prospect again later) and keeps the reason."""
    require_staff(actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the prospect was lost.")})
    if locality.status not in (S.PROSPECT, S.PREPARING):
        raise ValidationError(_("Only a prospect or a locality preparing a pilot can be marked lost."))
    on = on or timezone.localdate()
    locality_transition(actor=actor, locality=locality, to_status=S.ENDED, ended_on=on, note=reason.strip())
    locality = Locality.objects.get(pk=locality.pk)
    locality.lost_reason = reason.strip()
    history.save(locality, actor=actor, reason="lost")
    return locality


# --- Erasure ---------------------------------------------------------------------------------------------


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day and time `months` calendar months earlier (the month's last day when it is shorter)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@transaction.atomic
def interest_contacts_erase(*, now: datetime.datetime | None = None) -> int:
    """Erase the sender's contact details (name, title, e-mail, phone, message) of submissions older than
    `OUTREACH_ERASE_AFTER_MONTHS` whose locality never came to run the card (no pilot start, never piloting or
    permanent), also from their history rows; the rest of the record stays. Returns how many were erased."""
    now = now or timezone.now()
    cutoff = months_before(now, settings.OUTREACH_ERASE_AFTER_MONTHS)
    ran = Q(locality__status__in=Locality.PUBLIC_STATUSES) | Q(locality__pilot_start_on__isnull=False)
    ran |= Q(locality__status_changes__to_status__in=Locality.PUBLIC_STATUSES)
    submissions = list(
        InterestSubmission.objects.select_for_update()
        .filter(created_at__lt=cutoff, erased_at__isnull=True)
        .exclude(pk__in=InterestSubmission.objects.filter(ran).values("pk"))
    )
    for submission in submissions:
        for field in CONTACT_DETAIL_FIELDS:
            setattr(submission, field, "")
        submission.erased_at = now
    if submissions:
        history.bulk_update(
            submissions, InterestSubmission, [*CONTACT_DETAIL_FIELDS, "erased_at"], actor=None, reason="erased"
        )
        # The history keeps what was: its copies of the details go too.
        InterestSubmission.history.filter(id__in=[s.pk for s in submissions]).update(
            **dict.fromkeys(CONTACT_DETAIL_FIELDS, "")
        )
    return len(submissions)
