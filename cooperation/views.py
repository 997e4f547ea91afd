from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from cooperation import selectors, services
from cooperation.forms import MembersEmailForm, ReportYearForm
from kaikukeskus import spreadsheets
from kaikukeskus.forms import add_service_errors
from localities.permissions import acts_as_national_staff, staff_page


@login_required
@require_safe
def group_list(request):
    return render(
        request,
        "cooperation/group_list.html",
        {
            "groups": selectors.groups_for(user=request.user),
            "is_staff": acts_as_national_staff(request.user),
            "report_form": ReportYearForm(),
        },
    )


@login_required
@require_safe
def group_detail(request, pk: int):
    group = selectors.group_for_user_or_404(user=request.user, pk=pk)
    is_staff = acts_as_national_staff(request.user)
    return render(
        request,
        "cooperation/group_detail.html",
        {
            "group": group,
            "is_staff": is_staff,
            "members": selectors.members_of(group=group),
            "memberships": selectors.members_of(group=group, current=False) if is_staff else None,
            "meetings": selectors.meetings_for(user=request.user, group=group),
        },
    )


@login_required
@require_safe
def meeting_detail(request, pk: int, meeting_pk: int):
    group = selectors.group_for_user_or_404(user=request.user, pk=pk)
    view = selectors.meeting_for_user_or_404(user=request.user, group=group, pk=meeting_pk)
    return render(
        request,
        "cooperation/meeting_detail.html",
        {"group": group, "view": view, "meeting": view.meeting, "is_staff": acts_as_national_staff(request.user)},
    )


@login_required
@never_cache
@require_safe
def document_download(request, pk: int):
    """The only way to a meeting's document: who may read it is checked, then the file as an attachment."""
    document = selectors.document_for_user_or_404(user=request.user, pk=pk)
    try:
        content = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("document missing") from error
    response = FileResponse(content, as_attachment=True, filename=document.download_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_page
@require_http_methods(["GET", "POST"])
def group_email(request, pk: int):
    group = selectors.group_for_user_or_404(user=request.user, pk=pk)
    form = MembersEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.group_members_email(actor=request.user, group=group, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The message was sent to %(count)d members.") % {"count": count})
            return redirect("cooperation:group-detail", pk=group.pk)
    return render(
        request,
        "cooperation/group_email.html",
        {"group": group, "form": form, "members": selectors.members_of(group=group)},
    )


@staff_page
@never_cache
@require_safe
def annual_report(request, file_format: str):
    """The groups that met in a year, one row per meeting held, for the annual report."""
    form = ReportYearForm(request.GET)
    year = form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year
    header = [
        _("Working group"),
        _("Domestic or international"),
        _("Host organisation"),
        _("Kaikukeskus's role"),
        _("Meeting date"),
        _("Place"),
        _("Attendees"),
        _("Minutes written"),
    ]
    rows = [
        [
            group.name,
            group.get_scope_display(),
            group.host,
            group.get_kaikukeskus_role_display(),
            meeting.held_on.isoformat(),
            meeting.place,
            meeting.attendee_count,
            _("yes") if meeting.minutes else _("no"),
        ]
        for group in selectors.groups_met_in(year=year)
        for meeting in group.meetings_in_year
    ]
    return spreadsheets.file_response(
        rows,
        file_format=file_format,
        header=header,
        title=_("Working groups %(year)s") % {"year": year},
        filename=f"working-groups-{year}",
    )
