"""Thin views: each authenticates, finds the locality through the scoping function (404 outside the user's
scope), validates a form and calls one service or selector."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from kaikukeskus import jobs, spreadsheets
from kaikukeskus.locking import StaleVersionError
from kaikukeskus.public_cache import public_page
from localities.permissions import locality_for_user_or_404, staff_page
from networks import import_job, imports, selectors, services
from networks.forms import (
    AccessibilityForm,
    ContactFormSet,
    IssuerDecisionForm,
    PartnerEndForm,
    PartnerFilter,
    PartnerForm,
    PartnerImportConfirmForm,
    PartnerImportForm,
    SelfAssessmentForm,
    VenueLinkForm,
    VenueSearchForm,
)
from networks.models import ChecklistVersion, Partner, PartnerImport

PAGE_SIZE = 50


def _partner_list_url(locality) -> str:
    from django.urls import reverse

    return reverse("networks:partner-list", kwargs={"slug": locality.slug})


def _add_form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _page(request, items) -> tuple:
    """The requested page of `items` (PAGE_SIZE a page) and the query string the pagination links keep."""
    query = request.GET.copy()
    query.pop("page", None)
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page")), query.urlencode()


# --- Portal: partners -------------------------------------------------------------------------------------


@login_required
@require_GET
def partner_list(request, slug: str):
    locality = locality_for_user_or_404(user=request.user, slug=slug)
    partner_filter = PartnerFilter(
        request.GET or None, queryset=selectors.partner_list(user=request.user, locality=locality)
    )
    page, query = _page(request, partner_filter.qs)
    return render(
        request,
        "networks/partner_list.html",
        {
            "locality": locality,
            "filter": partner_filter,
            "page": page,
            "query": query,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_form(request, slug: str, pk: int | None = None):
    """Add a partner (no `pk`) or edit one, with its contact persons."""
    locality = locality_for_user_or_404(user=request.user, slug=slug)
    partner = None if pk is None else selectors.partner_get(user=request.user, locality=locality, pk=pk)
    instance = partner or Partner(locality=locality)
    form = PartnerForm(request.POST or None, instance=instance, locality=locality, prefix="partner")
    formset = ContactFormSet(request.POST or None, instance=instance, prefix="contacts")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            if partner is None:
                saved = services.partner_create(
                    actor=request.user, locality=locality, values=form.values(), contacts=formset.changes()
                )
                messages.success(request, _("Partner %(name)s added.") % {"name": saved.name})
            else:
                saved = services.partner_update(
                    actor=request.user,
                    partner=partner,
                    values=form.values(),
                    contacts=formset.changes(),
                    expected_version=form.expected_version,
                )
                messages.success(request, _("Partner %(name)s saved.") % {"name": saved.name})
        except StaleVersionError as error:
            # Someone saved the partner or one of its contacts meanwhile: the page keeps what this person
            # typed and shows what the other saved beside it.
            stale = next((f for f in formset.forms if f.instance.pk == error.current.pk), None)
            (form if isinstance(error.current, Partner) or stale is None else stale).show_conflict(error)
        except ValidationError as error:
            _add_form_errors(form, error)
        else:
            return redirect(_partner_list_url(locality))
    return render(
        request,
        "networks/partner_form.html",
        {"locality": locality, "partner": partner, "form": form, "formset": formset},
        status=(409 if form.conflict_rows or any(f.conflict_rows for f in formset.forms) else 400)
        if request.method == "POST"
        else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_end(request, slug: str, pk: int):
    locality = locality_for_user_or_404(user=request.user, slug=slug)
    partner = selectors.partner_get(user=request.user, locality=locality, pk=pk)
    form = PartnerEndForm(request.POST or None, partner=partner)
    if partner.left_on is None and request.method == "POST" and form.is_valid():
        try:
            services.partner_end(actor=request.user, partner=partner, left_on=form.cleaned_data["left_on"])
        except ValidationError as error:
            _add_form_errors(form, error)
        else:
            messages.success(
                request,
                _("The partnership with %(name)s ends on %(date)s.")
                % {
                    "name": partner.name,
                    "date": date_format(partner.left_on, "SHORT_DATE_FORMAT"),
                },
            )
            return redirect(_partner_list_url(locality))
    return render(
        request,
        "networks/partner_end.html",
        {"locality": locality, "partner": partner, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def partner_history(request, slug: str, pk: int):
    locality = locality_for_user_or_404(user=request.user, slug=slug)
    partner = selectors.partner_get(user=request.user, locality=locality, pk=pk)
    return render(
        request,
        "networks/partner_history.html",
        {"locality": locality, "partner": partner, "records": selectors.partner_history(partner=partner)},
    )


# --- Portal: import and export ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def partner_import(request, slug: str):
    locality = locality_for_user_or_404(user=request.user, slug=slug)
    form = PartnerImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            partner_import_row = services.partner_import_create(
                actor=request.user, locality=locality, file_name=upload.name, content=upload.read()
            )
        except imports.SpreadsheetError as error:
            form.add_error("file", str(error))
        else:
            return redirect("networks:partner-import-preview", slug=locality.slug, pk=partner_import_row.pk)
    return render(
        request,
        "networks/partner_import.html",
        {
            "locality": locality,
            "form": form,
            "columns": imports.COLUMNS,
            "municipalities": list(locality.municipalities.order_by("name_fi")),
        },
        status=400 if request.method == "POST" else 200,
    )


PREVIEW_ROWS = 300


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def partner_import_preview(request, slug: str, pk: int):
    """The upload's preview; confirming it starts the import's background job (networks/import_job.py) and
    sends the coordinator to the job's page. A confirmation sent again (a second click, the back button) goes
    to the job the first one started; the job itself applies the file once whatever arrives."""
    locality = locality_for_user_or_404(user=request.user, slug=slug)
    upload = selectors.partner_import_get(user=request.user, locality=locality, pk=pk)
    form = PartnerImportConfirmForm(request.POST or None, initial={"sha256": upload.sha256})
    refused, status = "", 200
    job = jobs.job_find(
        request=request, kind=import_job.JOB_KIND, params=import_job.job_params(upload, sha256=upload.sha256)
    )
    if request.method == "POST" and form.is_valid():
        sha256 = form.cleaned_data["sha256"]
        if job is not None and sha256 == upload.sha256:
            return redirect("job-detail", pk=job.pk)
        try:
            services.partner_import_check(actor=request.user, upload=upload, sha256=sha256)
            job = jobs.job_start(
                request=request, kind=import_job.JOB_KIND, params=import_job.job_params(upload, sha256=sha256)
            )
        except PermissionDenied as error:
            raise Http404 from error
        except services.ImportRefusedError as error:
            refused, status = str(error), 409
        except jobs.JobRateLimitedError:
            refused, status = (
                _(
                    "You have started many imports and other background tasks in a short time, so this one was not "
                    "started. Nothing was imported: please try again in a few minutes."
                ),
                429,
            )
        except jobs.JobQueueUnavailableError:
            refused, status = (
                _(
                    "The import could not be started because the background service is not available right now. "
                    "Nothing was imported: please try again in a few minutes."
                ),
                503,
            )
        else:
            return redirect("job-detail", pk=job.pk)
    plan = upload.plan
    error_rows = [row for row in plan.get("rows", []) if row["status"] == imports.ERROR]
    other_rows = [row for row in plan.get("rows", []) if row["status"] != imports.ERROR]
    return render(
        request,
        "networks/partner_import_preview.html",
        {
            "locality": locality,
            "upload": upload,
            "form": form,
            "counts": plan.get("counts", {}),
            "error_rows": error_rows,
            "other_rows": other_rows[:PREVIEW_ROWS],
            "hidden_rows": max(0, len(other_rows) - PREVIEW_ROWS),
            "ignored_columns": plan.get("ignored_columns", []),
            "can_apply": upload.status == PartnerImport.Status.PREVIEWED
            and not error_rows
            and not upload.is_expired
            and job is None,
            "job": job,
            "refused": refused,
        },
        status=status,
    )


def _file_response(rows, *, file_format: str, filename: str) -> HttpResponse:
    """The rows under the spreadsheet's column labels, as an attachment in `file_format` (404 for a format we
    do not write)."""
    header = imports.column_labels()
    return spreadsheets.file_response(
        rows, file_format=file_format, header=header, title=_("Partners"), filename=filename
    )


@login_required
@require_GET
def partner_import_template(request, slug: str, file_format: str):
    locality = locality_for_user_or_404(user=request.user, slug=slug)
    rows = imports.example_rows()
    # The example rows use one of the locality's own municipalities.
    municipality = locality.municipalities.order_by("name_fi").first()
    if municipality is not None:
        index = imports.COLUMN_KEYS.index("municipality")
        for row in rows:
            row[index] = municipality.name_fi
    return _file_response(rows, file_format=file_format, filename=f"kaikukortti-partners-template-{locality.slug}")


@login_required
@require_GET
def partner_export(request, slug: str, file_format: str):
    locality = locality_for_user_or_404(user=request.user, slug=slug)
    rows = selectors.partner_export_rows(user=request.user, locality=locality)
    stamp = timezone.localdate().isoformat()
    return _file_response(rows, file_format=file_format, filename=f"kaikukortti-partners-{locality.slug}-{stamp}")


# --- Portal: accessibility ---------------------------------------------------------------------------------


def _venue_for_user(request, slug: str, pk: int):
    locality = locality_for_user_or_404(user=request.user, slug=slug)
    partner = selectors.partner_get(user=request.user, locality=locality, pk=pk)
    if not partner.is_venue:
        raise Http404("not a venue")
    return locality, partner


def _accessibility_form_page(request, *, form, partner, save, template: str, context: dict):
    """GET shows the form; a valid POST calls `save(values, expected_version)`. A stale save keeps what was
    typed and shows the other save beside it (409)."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.values(), form.expected_version)
        except StaleVersionError as error:
            form.show_conflict(error)
        except ValidationError as error:
            _add_form_errors(form, error)
        else:
            return None
    status = 200
    if request.method == "POST":
        status = 409 if form.conflict_rows else 400
    return render(request, template, {**context, "form": form, "partner": partner}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def accessibility_edit(request, slug: str, pk: int):
    """A coordinator edits a venue's accessibility answers, and may send the venue's contact a link to do it."""
    locality, partner = _venue_for_user(request, slug, pk)
    form = AccessibilityForm(request.POST or None, instance=selectors.accessibility_get(partner=partner))

    def save(values, expected_version):
        services.accessibility_update(
            actor=request.user, partner=partner, values=values, expected_version=expected_version
        )

    response = _accessibility_form_page(
        request,
        form=form,
        partner=partner,
        save=save,
        template="networks/accessibility_form.html",
        context={"locality": locality, "link_form": VenueLinkForm(partner=partner)},
    )
    if response is not None:
        return response
    messages.success(request, _("The accessibility of %(name)s was saved.") % {"name": partner.name})
    return redirect(_partner_list_url(locality))


@login_required
@require_http_methods(["GET", "POST"])
def venue_link_send(request, slug: str, pk: int):
    """E-mail the venue's contact person a link to the venue's own accessibility form."""
    locality, partner = _venue_for_user(request, slug, pk)
    form = VenueLinkForm(request.POST or None, partner=partner)
    if request.method == "POST" and form.is_valid():
        contact = form.cleaned_data["contact"]
        try:
            services.venue_link_send(
                actor=request.user, partner=partner, contact=contact, language=form.cleaned_data["language"]
            )
        except ValidationError as error:
            _add_form_errors(form, error)
        else:
            messages.success(
                request,
                _("A link to the accessibility form of %(name)s was sent to %(email)s.")
                % {"name": partner.name, "email": contact.email},
            )
            return redirect("networks:partner-accessibility", slug=locality.slug, pk=partner.pk)
    return render(
        request,
        "networks/venue_link_send.html",
        {"locality": locality, "partner": partner, "link_form": form},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def venue_link_accessibility(request, token: str):
    """The venue's contact person, with no account, edits the venue's accessibility through the e-mailed link.
    The token reaches its own venue only and expires (services.VENUE_LINK_MAX_AGE)."""
    try:
        partner = services.venue_from_link(token)
    except services.VenueLinkError:
        return render(request, "networks/venue_link_invalid.html", status=404)
    form = AccessibilityForm(request.POST or None, instance=selectors.accessibility_get(partner=partner))

    def save(values, expected_version):
        services.accessibility_update_by_link(token=token, values=values, expected_version=expected_version)

    response = _accessibility_form_page(
        request,
        form=form,
        partner=partner,
        save=save,
        template="networks/venue_link_accessibility.html",
        context={"token": token},
    )
    if response is not None:
        response["Cache-Control"] = "private, no-store"
        return response
    messages.success(request, _("Thank you: the accessibility of %(name)s was saved.") % {"name": partner.name})
    return redirect("networks:venue-link-accessibility", token=token)


# --- Staff: new issuers ------------------------------------------------------------------------------------


@staff_page
@require_http_methods(["GET", "POST"])
def proposed_issuers(request):
    """Issuers proposed by coordinators, each with its decision form; a decision posts here with `issuer`."""
    forms_by_pk: dict[int, IssuerDecisionForm] = {}
    status = 200
    if request.method == "POST":
        partner = get_object_or_404(Partner.objects.proposed(), pk=request.POST.get("issuer") or 0)
        form = IssuerDecisionForm(request.POST, prefix=f"issuer-{partner.pk}")
        if form.is_valid():
            try:
                services.issuer_decide(
                    actor=request.user,
                    partner=partner,
                    approve=form.cleaned_data["decision"] == "approve",
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                _add_form_errors(form, error)
            else:
                messages.success(request, _("The decision on %(name)s was saved.") % {"name": partner.name})
                return redirect("networks:proposed-issuers")
        forms_by_pk[partner.pk] = form
        status = 400
    issuers = list(selectors.proposed_issuers(user=request.user))
    rows = [
        (issuer, forms_by_pk.get(issuer.pk) or IssuerDecisionForm(prefix=f"issuer-{issuer.pk}")) for issuer in issuers
    ]
    return render(request, "networks/proposed_issuers.html", {"rows": rows}, status=status)


# --- Public -----------------------------------------------------------------------------------------------


@public_page
@require_safe
def venue_detail(request, pk: int):
    """A venue's own public page: what the card covers, the venue's commitment and its accessibility answers."""
    venue = selectors.public_venue(pk=pk)
    return render(request, "networks/venue_detail.html", {"venue": venue, "access": venue.access})


@public_page(params=(*VenueSearchForm.base_fields, "page"))
@require_safe
def venue_search(request):
    form = VenueSearchForm(request.GET or None, municipalities=selectors.municipalities_with_public_venues())
    filters = {}
    if form.is_bound:
        # A field that does not validate (an old link's database id as the municipality) is left out, with its
        # error shown; the others still apply.
        form.is_valid()
        filters = form.cleaned_data
    search = selectors.venue_search(
        municipality=selectors.public_municipality(code=filters.get("municipality", "")),
        sector=filters.get("sector", ""),
        text=filters.get("q", ""),
        accessibility=filters.get("accessibility") or (),
    )
    page, query = _page(request, search.venues)
    fallback = None if search.fallback is None else _page(request, search.fallback)[0]
    return render(
        request,
        "networks/venue_search.html",
        {
            "form": form,
            "page": fallback or page,
            "search": search,
            "fallback": fallback is not None,
            "query": query,
            "searched": bool(request.GET),
        },
    )


# --- Self-assessment -------------------------------------------------------------------------------------------


def _self_assessment_page(request, *, partner, save, template: str, context: dict):
    checklist, assessment, rows = selectors.self_assessment_rows(partner=partner)
    form = SelfAssessmentForm(request.POST or None, rows=rows, assessment=assessment)
    status = 200
    if request.method == "POST":
        status = 400
        if checklist is not None and form.is_valid():
            try:
                save(form.values(), form.expected_version)
            except StaleVersionError as error:
                form.show_conflict(error)
                status = 409
            except ValidationError as error:
                _add_form_errors(form, error)
            else:
                messages.success(request, _("The self-assessment of %(name)s was saved.") % {"name": partner.name})
                return None
    advice = [row for row in rows if row.answer == "no" and row.question.advice]
    return render(
        request,
        template,
        {**context, "partner": partner, "checklist": checklist, "form": form, "advice": advice},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def self_assessment_edit(request, slug: str, pk: int):
    """A venue's self-assessment, for its locality's coordinators and staff."""
    locality, partner = _venue_for_user(request, slug, pk)

    def save(values, expected_version):
        services.self_assessment_update(
            actor=request.user, partner=partner, values=values, expected_version=expected_version
        )

    response = _self_assessment_page(
        request,
        partner=partner,
        save=save,
        template="networks/self_assessment_form.html",
        context={"locality": locality},
    )
    if response is None:
        return redirect("networks:partner-self-assessment", slug=locality.slug, pk=partner.pk)
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def venue_link_self_assessment(request, token: str):
    """The venue itself, through its link: its own answers and the advice attached to each "no"."""
    try:
        partner = services.venue_from_link(token)
    except services.VenueLinkError:
        return render(request, "networks/venue_link_invalid.html", status=404)

    def save(values, expected_version):
        services.self_assessment_update_by_link(token=token, values=values, expected_version=expected_version)

    response = _self_assessment_page(
        request, partner=partner, save=save, template="networks/venue_link_self_assessment.html", context={}
    )
    if response is None:
        return redirect("networks:venue-link-self-assessment", token=token)
    response["Cache-Control"] = "private, no-store"
    return response


@staff_page
@require_GET
def self_assessment_totals(request):
    """National totals per question and section of the current checklist (staff); rows answered by fewer than
    five venues are suppressed."""
    checklist = ChecklistVersion.current()
    per_question, per_section, venues = (
        selectors.self_assessment_totals(checklist=checklist) if checklist is not None else ([], [], 0)
    )
    return render(
        request,
        "networks/self_assessment_totals.html",
        {
            "checklist": checklist,
            "per_question": per_question,
            "per_section": per_section,
            "venues": venues,
            "minimum": selectors.MIN_VENUES_FOR_TOTALS,
        },
    )
