from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from kaikukeskus import charts, ratelimit, site_texts
from kaikukeskus.forms import add_service_errors
from kaikukeskus.locking import StaleVersionError
from kaikukeskus.public_cache import public_page
from localities import meeting_guests, permissions, sections, selectors, services
from localities.forms import (
    AccessRequestForm,
    FeedbackMeetingCancelForm,
    FeedbackMeetingGuestsForm,
    FeedbackMeetingPlanForm,
    FeedbackMeetingRecordForm,
    FeedbackMeetingTimeForm,
    InterestForm,
    InvitationAcceptForm,
    LocalityPublicFactsForm,
    MilestoneDoneForm,
    ProspectLostForm,
    PublicLocalityFilterForm,
)
from localities.models import Locality
from localities.permissions import staff_page


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    invitation = services.invitation_by_token(token)
    if invitation is None:
        return render(request, "localities/invitation_invalid.html", status=404)
    # An invitee who already has an account accepts while logged in, with a plain confirmation.
    existing_account = request.user.is_authenticated
    form = None if existing_account else InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and (existing_account or form.is_valid()):
        try:
            user = services.invitation_accept(
                token=token,
                password=None if existing_account else form.cleaned_data["password1"],
                user=request.user if existing_account else None,
            )
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect("portal")
            form.add_error(None, error)
        else:
            if not existing_account:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("Welcome! You now coordinate %(locality)s.") % {"locality": invitation.locality}
            )
            return redirect("portal")
    return render(request, "localities/invitation_accept.html", {"invitation": invitation, "form": form})


@login_required
@require_GET
def portal_locality(request, slug: str):
    locality = permissions.locality_for_user_or_404(user=request.user, slug=slug)
    pilot = selectors.pilot_for(user=request.user, locality=locality)
    progress = selectors.pilot_progress(pilot)
    meetings = list(selectors.feedback_meetings_for(user=request.user, locality=locality))
    return render(
        request,
        "localities/portal_locality.html",
        {
            "locality": locality,
            "coordinators": selectors.active_coordinators(locality=locality),
            "former_coordinators": selectors.former_coordinators(locality=locality),
            "municipalities": locality.municipalities.all(),
            "pilot": pilot,
            "done_count": progress.done_count,
            "total_count": len(progress.milestones),
            "overdue_milestones": progress.overdue,
            "next_milestone": progress.next_milestone,
            "meetings": meetings,
            "agreements": selectors.agreements_for(user=request.user, locality=locality),
        },
    )


# --- Coordinator portal -----------------------------------------------------------------------------------


@login_required
@require_GET
def pilot_checklist(request, slug: str):
    locality = permissions.locality_for_user_or_404(user=request.user, slug=slug)
    pilot = selectors.pilot_for(user=request.user, locality=locality)
    if pilot is None:
        raise Http404("no pilot")
    progress = selectors.pilot_progress(pilot)
    return render(
        request,
        "localities/portal_pilot.html",
        {
            "locality": locality,
            "pilot": pilot,
            "milestones": progress.milestones,
            "done_count": progress.done_count,
            "overdue_count": len(progress.overdue),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_done(request, slug: str, pk: int):
    milestone = selectors.milestone_for_user_or_404(user=request.user, slug=slug, pk=pk)
    locality = milestone.pilot.locality
    checklist = reverse("localities:pilot", kwargs={"slug": locality.slug}) + f"#milestone-{milestone.pk}"
    initial = {
        "done_on": milestone.done_on or timezone.localdate(),
        "note": milestone.note,
        "correcting": milestone.done_on is not None,
    }
    form = MilestoneDoneForm(request.POST or None, initial=initial, versioned_instance=milestone)
    if request.method == "POST" and form.is_valid():
        values = {"done_on": form.cleaned_data["done_on"], "note": form.cleaned_data["note"]}
        try:
            if form.cleaned_data["correcting"]:
                services.milestone_correct(
                    actor=request.user, milestone=milestone, expected_version=form.expected_version, **values
                )
            else:
                services.milestone_mark_done(actor=request.user, milestone=milestone, **values)
        except services.AlreadyDoneError as error:
            messages.error(request, error.message)
            return redirect(checklist)
        except StaleVersionError as error:
            # Someone corrected it meanwhile: the page keeps what this person typed, the other's values beside.
            form.show_conflict(error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Marked done: %(milestone)s.") % {"milestone": milestone.title})
            return redirect(checklist)
    return render(
        request,
        "localities/milestone_form.html",
        {"locality": locality, "milestone": milestone, "form": form},
        status=409 if form.has_error(NON_FIELD_ERRORS, "stale_version") else 200,
    )


@login_required
@require_POST
def milestone_reopen(request, slug: str, pk: int):
    milestone = selectors.milestone_for_user_or_404(user=request.user, slug=slug, pk=pk)
    services.milestone_reopen(actor=request.user, milestone=milestone)
    messages.success(request, _("Marked not done: %(milestone)s.") % {"milestone": milestone.title})
    return redirect(reverse("localities:pilot", kwargs={"slug": slug}) + f"#milestone-{milestone.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def feedback_meeting_plan(request, slug: str):
    """Staff or the locality's coordinator propose a feedback meeting; those invited get an .ics by e-mail."""
    locality = permissions.locality_for_user_or_404(user=request.user, slug=slug)
    form = FeedbackMeetingPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.feedback_meeting_plan(
                actor=request.user,
                locality=locality,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                online_link=data["online_link"],
                agenda=data["agenda"],
                staff=data["staff"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting was planned and the invitations sent."))
            return redirect("localities:meeting-detail", slug=slug, pk=meeting.pk)
    return render(request, "localities/feedback_meeting_plan.html", {"locality": locality, "form": form})


def _meeting_page(
    request, meeting, *, guests_form=None, record_form=None, move_form=None, cancel_form=None, status: int = 200
):
    """The meeting's one page: what was planned, the invitations, moving or cancelling it while it is ahead, and
    the record filled in after it."""
    if meeting.is_planned and guests_form is None:
        guests_form = FeedbackMeetingGuestsForm(candidates=meeting_guests.candidates(meeting.locality))
    if meeting.is_planned and move_form is None:
        starts_at = timezone.localtime(meeting.starts_at) if meeting.starts_at else None
        ends_at = timezone.localtime(meeting.ends_at) if meeting.ends_at else None
        move_form = FeedbackMeetingTimeForm(
            prefix="move",
            initial={
                "date": starts_at.date() if starts_at else None,
                "start_time": starts_at.time() if starts_at else None,
                "end_time": ends_at.time() if ends_at else None,
            },
        )
    if record_form is None:
        record_form = FeedbackMeetingRecordForm(
            initial={
                "participants": list(meeting.kaikukeskus_participants.all()) or list(meeting.invited_staff.all()),
                "attendance": meeting.attendance,
                "attendee_count": meeting.attendee_count,
                "summary": meeting.summary,
            }
        )
    return render(
        request,
        "localities/portal_meeting.html",
        {
            "locality": meeting.locality,
            "meeting": meeting,
            "guests_form": guests_form,
            "record_form": record_form,
            "move_form": move_form,
            "cancel_form": cancel_form or FeedbackMeetingCancelForm(prefix="cancel"),
            "has_begun": meeting.starts_at is None or meeting.starts_at <= timezone.now(),
            "invited_coordinators": selectors.active_coordinators(locality=meeting.locality),
        },
        status=status,
    )


@login_required
@require_GET
def feedback_meeting_detail(request, slug: str, pk: int):
    meeting = selectors.feedback_meeting_for_user_or_404(user=request.user, slug=slug, pk=pk)
    return _meeting_page(request, meeting)


@login_required
@require_POST
def feedback_meeting_guests(request, slug: str, pk: int):
    meeting = selectors.feedback_meeting_for_user_or_404(user=request.user, slug=slug, pk=pk)
    form = FeedbackMeetingGuestsForm(request.POST, candidates=meeting_guests.candidates(meeting.locality))
    if form.is_valid():
        try:
            count = services.feedback_meeting_invite_guests(
                actor=request.user, meeting=meeting, addresses=form.addresses, language=form.cleaned_data["language"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(count)d guests were invited.") % {"count": count})
            return redirect("localities:meeting-detail", slug=slug, pk=meeting.pk)
    return _meeting_page(request, meeting, guests_form=form)


@login_required
@require_POST
def feedback_meeting_move(request, slug: str, pk: int):
    meeting = selectors.feedback_meeting_for_user_or_404(user=request.user, slug=slug, pk=pk)
    form = FeedbackMeetingTimeForm(request.POST, prefix="move")
    if form.is_valid():
        try:
            services.feedback_meeting_move(
                actor=request.user,
                meeting=meeting,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting was moved and everyone invited was told."))
            return redirect("localities:meeting-detail", slug=slug, pk=meeting.pk)
    return _meeting_page(request, meeting, move_form=form, status=400)


@login_required
@require_POST
def feedback_meeting_cancel(request, slug: str, pk: int):
    meeting = selectors.feedback_meeting_for_user_or_404(user=request.user, slug=slug, pk=pk)
    form = FeedbackMeetingCancelForm(request.POST, prefix="cancel")
    if form.is_valid():
        try:
            services.feedback_meeting_cancel(actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The meeting was cancelled and everyone invited was told."))
        return redirect("localities:meeting-detail", slug=slug, pk=meeting.pk)
    return _meeting_page(request, meeting, cancel_form=form, status=400)


@login_required
@require_POST
def feedback_meeting_record(request, slug: str, pk: int):
    meeting = selectors.feedback_meeting_for_user_or_404(user=request.user, slug=slug, pk=pk)
    form = FeedbackMeetingRecordForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.feedback_meeting_record(
                actor=request.user,
                meeting=meeting,
                participants=data["participants"],
                attendance=data["attendance"],
                attendee_count=data["attendee_count"],
                summary=data["summary"],
                action=form.action,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting's record was saved."))
            return redirect("localities:meeting-detail", slug=slug, pk=meeting.pk)
    return _meeting_page(request, meeting, record_form=form)


@login_required
@require_POST
def follow_up_action_done(request, slug: str, pk: int):
    action = selectors.follow_up_action_for_user_or_404(user=request.user, slug=slug, pk=pk)
    try:
        services.follow_up_action_mark_done(actor=request.user, action=action)
    except services.AlreadyDoneError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Action marked done."))
    return redirect("localities:meeting-detail", slug=slug, pk=action.meeting_id)


@login_required
@never_cache
@require_GET
def agreement_download(request, slug: str, pk: int):
    """The only way to an agreement: scoped lookup, then the file as an attachment, never cached."""
    agreement = selectors.agreement_for_user_or_404(user=request.user, slug=slug, pk=pk)
    try:
        document = agreement.document.open("rb")
    except FileNotFoundError as error:
        raise Http404("document missing") from error
    response = FileResponse(document, as_attachment=True, filename=agreement.download_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def access_request_create(request):
    if not permissions.is_coordinator(user=request.user):
        raise Http404("only coordinators ask for access")
    form = AccessRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.access_request_create(
                actor=request.user,
                locality=form.cleaned_data["locality"],
                side=form.cleaned_data["side"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your request was sent to Kaikukeskus. You will get an e-mail when it has been decided."),
            )
            return redirect("portal")
    return render(request, "localities/access_request_form.html", {"form": form})


# --- Public pages -----------------------------------------------------------------------------------------


@public_page
@require_safe
def home(request):
    """The front page: what Kaikukortti is, and the search for a locality that runs it."""
    return render(request, "kaikukeskus/home.html", {"form": PublicLocalityFilterForm(auto_id="home_%s")})


@public_page(params=PublicLocalityFilterForm.base_fields)
@require_safe
def public_list(request):
    form = PublicLocalityFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    query = (filters.get("q") or "").strip()
    localities, matched = selectors.public_locality_list(
        region=filters.get("region"), county=filters.get("county"), query=query
    )
    localities = list(localities)
    covered, not_covered = selectors.municipality_coverage(localities=localities, municipalities=matched)
    return render(
        request,
        "localities/public_list.html",
        {
            "form": form,
            "localities": localities,
            "query": query,
            "matched_covered": covered,
            "matched_not_covered": not_covered,
        },
    )


@public_page(params=sections.query_params)
@require_safe
def public_detail(request, slug: str):
    locality = permissions.public_locality_or_404(slug=slug)
    page_sections = sections.sections_for(request, locality)
    return render(
        request,
        "localities/public_detail.html",
        {
            "locality": locality,
            "municipalities": locality.municipalities.all(),
            "sections": page_sections,
            "stylesheets": sections.stylesheets(page_sections),
        },
    )


# --- Outreach: /join/ and the staff's pipeline ------------------------------------------------------------

# The session remembers the visitor's own last submission for the thank-you page (nobody else's is shown).
JOIN_SESSION_KEY = "localities.interest_submission"


@never_cache
@require_http_methods(["GET", "POST"])
def join(request):
    """For a municipality or a county thinking of the card: the page and its interest form. Private (the form
    carries a token and a signed time), so never in the public cache."""
    form = InterestForm(request.POST or None, language=get_language())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.interest_throttle(client=ratelimit.client_key(request), email=data["email"])
            submission = services.interest_submit(
                language=data["language"],
                municipality=data["municipality"],
                county=data["county"],
                organisation=data["organisation"],
                sector=data["sector"],
                name=data["name"],
                title=data["title"],
                email=data["email"],
                phone=data["phone"],
                other_sector=data["other_sector"],
                decision_stage=data["decision_stage"],
                desired_start=data["desired_start"],
                message=data["message"],
                consent=data["consent"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session[JOIN_SESSION_KEY] = submission.pk
            return redirect("localities:join-sent")
    return render(
        request,
        "localities/join.html",
        {
            "form": form,
            "regions": selectors.running_by_region(),
            "municipality_names": selectors.municipality_names(),
            "contact_email": settings.KAIKUKESKUS_CONTACT_EMAIL,
            "text": site_texts.published("join"),
        },
    )


@never_cache
@require_safe
def join_sent(request):
    """The thank-you page of the visitor's own submission (from their session); anybody else is sent to /join/."""
    submission = selectors.own_interest_submission(pk=request.session.get(JOIN_SESSION_KEY))
    if submission is None:
        return redirect("localities:join")
    return render(request, "localities/join_sent.html", {"submission": submission})


@staff_page
@require_safe
def pipeline(request):
    on = timezone.localdate()
    stale_after = settings.OUTREACH_STALE_AFTER_DAYS
    return render(
        request,
        "localities/pipeline.html",
        {
            "rows": selectors.pipeline(user=request.user, on=on, stale_after_days=stale_after),
            "by_owner": selectors.pipeline_by_stage_and_owner(user=request.user),
            "conversion": selectors.conversion_by_year(user=request.user),
            "lost": list(selectors.lost_prospects(user=request.user)),
            "stale_after": stale_after,
        },
    )


@staff_page
@require_safe
def pipeline_coverage(request):
    rows, country = selectors.coverage(user=request.user)
    stage_labels = [Locality.Status(stage).label for stage in selectors.COVERAGE_STAGES]
    chart = None
    if country is not None:
        chart = charts.bar_chart(
            [
                (str(label), cell.population)
                for label, cell in zip([*stage_labels, _("Not yet")], country.ordered, strict=True)
            ]
        )
    return render(
        request,
        "localities/pipeline_coverage.html",
        {"rows": rows, "country": country, "stage_labels": stage_labels, "chart": chart},
    )


@staff_page
@require_http_methods(["GET", "POST"])
def prospect_lost(request, slug: str):
    """Staff close a prospect that will not pilot, with the reason."""
    locality = get_object_or_404(Locality.objects.filter(status__in=selectors.PIPELINE_STATUSES), slug=slug)
    form = ProspectLostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.prospect_mark_lost(
                actor=request.user, locality=locality, reason=form.cleaned_data["reason"], on=form.cleaned_data["on"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(locality)s was marked lost.") % {"locality": locality.name})
            return redirect("localities:pipeline")
    return render(request, "localities/prospect_lost.html", {"locality": locality, "form": form})


# --- A locality's public facts, kept by its coordinators ------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def public_facts_edit(request, slug: str):
    """The description, local web page, feedback address and how to get the card here, as the public page shows
    them; saved through `locality_public_facts_update` with history and the version the form was opened with."""
    locality = permissions.locality_for_user_or_404(user=request.user, slug=slug)
    form = LocalityPublicFactsForm(request.POST or None, instance=locality)
    if request.method == "POST" and form.is_valid():
        try:
            services.locality_public_facts_update(
                actor=request.user,
                locality=locality,
                expected_version=form.expected_version,
                **{name: form.cleaned_data[name] for name in Locality.PUBLIC_FACT_FIELDS},
            )
        except StaleVersionError as error:
            form.show_conflict(error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The public facts have been saved."))
            return redirect("localities:portal-detail", slug=locality.slug)
    return render(
        request,
        "localities/public_facts_form.html",
        {"locality": locality, "form": form},
        status=409 if form.conflict_rows else (400 if request.method == "POST" else 200),
    )
