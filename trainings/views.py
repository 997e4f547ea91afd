from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kaikukeskus import pdf as pdf_files
from kaikukeskus import ratelimit, spreadsheets
from kaikukeskus.forms import add_service_errors
from kaikukeskus.public_cache import public_page
from localities.permissions import require_national_staff_or_404
from trainings import links, pdf, selectors, services
from trainings.forms import AttendanceForm, CancelForm, RegistrationForm
from trainings.models import Registration

ARCHIVE_PAGE_SIZE = 20


# --- Public pages -----------------------------------------------------------------------------------------


@public_page(params=("page",))
@require_safe
def training_list(request):
    archive = Paginator(selectors.public_archive(), ARCHIVE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "trainings/training_list.html",
        {"upcoming": list(selectors.public_upcoming()), "archive": archive},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def training_detail(request, pk: int):
    training = selectors.public_training_or_404(pk=pk)
    registration = selectors.own_registration(user=request.user, training=training)
    form = None
    if training.is_registration_open and registration is None:
        form = RegistrationForm(request.POST or None, user=request.user, training=training)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.registration_throttle(
                    actor=request.user,
                    training=training,
                    client=ratelimit.client_key(request),
                    email=data.get("email", ""),
                    submission_key=data["submission"],
                )
                registration = services.registration_create(
                    actor=request.user,
                    training=training,
                    name=data["name"],
                    email=data.get("email", ""),
                    organisation=data["organisation"],
                    locality=data["locality"],
                    language=get_language(),
                    accessibility_needs=data["accessibility_needs"],
                    dietary_needs=data.get("dietary_needs", ""),
                    submission_key=data["submission"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("trainings:registration-manage", token=links.registration_token(registration))
    elif request.method == "POST":
        messages.error(request, _("Registration for this training is not open."))
        return redirect("trainings:detail", pk=training.pk)
    return render(
        request,
        "trainings/training_detail.html",
        {
            "training": training,
            "form": form,
            "registration": registration,
            "materials": list(selectors.materials_for(user=request.user, training=training)),
            "needs_erased_after_days": settings.TRAININGS_NEEDS_ERASED_AFTER_DAYS,
        },
    )


def _registration_by_token_or_404(token: str) -> Registration:
    registration = links.registration_from_token(
        token, queryset=Registration.objects.select_related("training", "locality")
    )
    if registration is None:
        raise Http404("the link is altered, expired or its registration gone")
    return registration


@never_cache
@require_http_methods(["GET", "POST"])
def registration_manage(request, token: str):
    """The signed link's page: the registration's status, the meeting link for those with a place, cancelling
    (a POST, so that a link checker opening the e-mail's link cancels nothing) and the certificate."""
    try:
        registration = _registration_by_token_or_404(token)
    except Http404:
        return render(request, "trainings/link_invalid.html", status=404)
    if request.method == "POST":
        confirming = not CancelForm(request.POST).is_valid()
    else:
        confirming = request.GET.get("cancel") == "1"
    if confirming and registration.is_cancellable:
        # "Cancel my registration" asks first: the training, its time, and a button that cancels (a POST).
        return render(
            request,
            "trainings/registration_cancel_confirm.html",
            {"registration": registration, "training": registration.training, "token": token, "form": CancelForm()},
        )
    if request.method == "POST" and CancelForm(request.POST).is_valid():
        try:
            services.registration_cancel(actor=request.user, registration=registration, token=token)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your registration has been cancelled."))
        return redirect("trainings:registration-manage", token=token)
    return render(
        request,
        "trainings/registration_manage.html",
        {"registration": registration, "training": registration.training, "token": token},
    )


@never_cache
@require_safe
def registration_certificate(request, token: str):
    registration = _registration_by_token_or_404(token)
    return _certificate_response(registration)


def _certificate_response(registration: Registration) -> HttpResponse:
    if not registration.has_certificate:
        raise Http404("certificates are for attendees only")
    return pdf_files.response(pdf.certificate(registration), filename=f"certificate-{registration.training_id}.pdf")


# --- Portal -----------------------------------------------------------------------------------------------


@login_required
@require_safe
def my_trainings(request):
    return render(
        request,
        "trainings/my_trainings.html",
        {
            "registrations": list(selectors.registrations_of(user=request.user)),
            "upcoming": list(selectors.upcoming_for_coordinators()),
        },
    )


@login_required
@require_POST
def my_registration_cancel(request, pk: int):
    registration = selectors.own_registration_or_404(user=request.user, pk=pk)
    try:
        services.registration_cancel(actor=request.user, registration=registration)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Your registration has been cancelled."))
    return redirect("trainings:mine")


@login_required
@never_cache
@require_safe
def my_certificate(request, pk: int):
    return _certificate_response(selectors.own_registration_or_404(user=request.user, pk=pk))


# --- Staff ------------------------------------------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def attendance(request, pk: int):
    require_national_staff_or_404(request.user)
    training = selectors.training_for_staff_or_404(pk=pk)
    form = AttendanceForm(request.POST or None, training=training)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.attendance_mark(
                actor=request.user,
                training=training,
                registration_ids=[row.pk for row in form.cleaned_data["registrations"]],
                status=form.cleaned_data["status"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Attendance saved (%(count)d changed).") % {"count": changed})
            return redirect("trainings:attendance", pk=training.pk)
    return render(
        request,
        "trainings/attendance.html",
        {"training": training, "form": form, "registrations": list(selectors.participants(training=training))},
    )


@login_required
@never_cache
@require_safe
def participants_pdf(request, pk: int):
    require_national_staff_or_404(request.user)
    training = selectors.training_for_staff_or_404(pk=pk)
    content = pdf.participant_list(training, list(selectors.participants(training=training)))
    return pdf_files.response(content, filename=f"participants-{training.pk}.pdf")


@login_required
@require_safe
def coverage(request):
    require_national_staff_or_404(request.user)
    return render(request, "trainings/coverage.html", {"localities": selectors.coverage()})


@login_required
@never_cache
@require_safe
def coverage_export(request, file_format: str):
    """The coverage table as CSV or XLSX: one row per coordinator, with the locality's untrained sides."""
    require_national_staff_or_404(request.user)
    header = [
        _("Locality"),
        _("Coordinator"),
        _("E-mail address"),
        _("Side"),
        _("Onboarding training attended"),
        _("National meeting last attended"),
        _("Sides without a trained coordinator"),
    ]
    rows = [
        [
            entry.locality.name,
            row.coordinator.user.display_name,
            row.coordinator.user.email,
            row.coordinator.get_side_display(),
            row.onboarding_on.isoformat() if row.onboarding_on else "",
            row.national_meeting_on.isoformat() if row.national_meeting_on else "",
            ", ".join(str(side) for side in entry.untrained_sides),
        ]
        for entry in selectors.coverage()
        for row in entry.rows
    ]
    return spreadsheets.file_response(
        rows, file_format=file_format, header=header, title=_("Training coverage"), filename="training-coverage"
    )
