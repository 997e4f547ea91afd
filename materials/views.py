"""The public library, material pages, stable links and downloads; following; commenting on drafts. Every lookup
goes through `materials.selectors`, which applies the one visibility rule (404 outside it)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kaikukeskus.forms import add_service_errors
from kaikukeskus.public_cache import public_page
from localities.permissions import acts_as_national_staff, is_coordinator
from materials import selectors, services
from materials.forms import CommentForm, LibraryFilterForm
from materials.models import Language, MaterialFile

# Public files may be kept by browsers and proxies but are checked again each time (the count stays right and a
# withdrawn version is not served from a cache); a private material's file is never stored.
PUBLIC_FILE_CACHE = "public, no-cache"
PRIVATE_FILE_CACHE = "private, no-store"


@public_page(params=LibraryFilterForm.base_fields)
@require_safe
def library(request):
    form = LibraryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    materials = list(
        selectors.library(
            user=request.user,
            kind=filters.get("kind", ""),
            audience=filters.get("audience", ""),
            language=filters.get("language", ""),
            query=(filters.get("q") or "").strip(),
        )
    )
    return render(
        request,
        "materials/library.html",
        {"form": form, "materials": materials, "language": filters.get("language", "")},
    )


@public_page
@require_safe
def detail(request, slug: str):
    material, current, older = selectors.material_detail(user=request.user, slug=slug)
    is_staff = acts_as_national_staff(request.user)
    can_follow = is_staff or is_coordinator(user=request.user)
    context = {
        "material": material,
        "current": current,
        "older": older,
        "languages": Language.choices,
        "is_staff": is_staff,
        "can_follow": can_follow,
        "following": can_follow and selectors.is_following(user=request.user, material=material),
        "translations": selectors.translation_status(current=current, older=older) if is_staff else [],
    }
    return render(request, "materials/detail.html", context)


@require_safe
def latest(request, slug: str, language: str):
    """The stable link to the current file in a language: a redirect to it, or, when the current version lacks
    the language, a page offering the newest older file with a note that a newer version exists in others."""
    if language not in Language.values:
        raise Http404("unknown language")
    try:
        material, material_file, is_fallback = selectors.latest_file(
            user=request.user, slug=slug, language=language, fmt=request.GET.get("format", "")
        )
    except Http404:
        # No file in this language: never a bare "not found" when the material has files in other languages.
        material = selectors.material_for_user_or_404(user=request.user, slug=slug)
        others = selectors.current_files(material=material)
        if not others:
            raise
        return render(
            request,
            "materials/latest_missing.html",
            {
                "material": material,
                "language_label": Language(language).label,
                "files": [(file, download_url(file)) for file in others],
            },
            status=404,
        )
    if not is_fallback:
        return redirect(download_url(material_file))
    return render(
        request,
        "materials/latest_fallback.html",
        {"material": material, "file": material_file, "language_label": material_file.get_language_display()},
    )


def download_url(material_file: MaterialFile) -> str:
    return reverse(
        "materials:download",
        kwargs={
            "slug": material_file.version.material.slug,
            "pk": material_file.pk,
            "name": material_file.download_name,
        },
    )


def file_response(request, material_file: MaterialFile, *, private: bool, count: bool = True):
    """The file with its content type, `Content-Disposition` (SVG and office files as attachments), an ETag from
    its SHA-256 and caching headers; a daily count per file when the file itself is sent."""
    etag = f'"{material_file.sha256}"'
    cache_control = PRIVATE_FILE_CACHE if private else PUBLIC_FILE_CACHE
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
        response["ETag"] = etag
        response["Cache-Control"] = cache_control
        return response
    try:
        handle = material_file.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("file missing") from error
    response = FileResponse(
        handle,
        as_attachment=not material_file.is_inline,
        filename=material_file.download_name,
        content_type=material_file.content_type,
    )
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    if not material_file.is_inline:
        # An attachment (SVG above all) must run nothing and load nothing, should a browser render it after all.
        # Inline PDFs and images keep the site's policy: Chromium's PDF viewer refuses to open in a sandbox.
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if count and request.method == "GET":
        services.download_count(material_file=material_file)
    return response


@require_safe
def download(request, slug: str, pk: int, name: str):
    material_file = selectors.downloadable_file_or_404(user=request.user, slug=slug, pk=pk)
    if name != material_file.download_name:
        return redirect(download_url(material_file))
    return file_response(request, material_file, private=not material_file.version.material.is_public)


@login_required
@require_POST
def follow(request, slug: str):
    material = selectors.material_for_user_or_404(user=request.user, slug=slug)
    following = request.POST.get("following") == "1"
    try:
        services.material_follow_set(actor=request.user, material=material, following=following)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("You follow this material: you get an e-mail when a new version is published.")
            if following
            else _("You no longer follow this material."),
        )
    return redirect("materials:detail", slug=material.slug)


# --- Consultation -----------------------------------------------------------------------------------------


def _consultation_page(request, consultation, *, comments, form, file_url, partner=None):
    version = consultation.version
    return render(
        request,
        "materials/consultation.html",
        {
            "consultation": consultation,
            "version": version,
            "material": version.material,
            "files": [(file, file_url(file)) for file in version.files.order_by("language", "format")],
            "comments": comments,
            "form": form,
            "partner": partner,
        },
    )


def _comment(request, form, consultation, **who) -> bool:
    if not form.is_valid():
        return False
    try:
        services.consultation_comment_add(consultation=consultation, **form.cleaned_data, **who)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(request, _("Thank you. Your comment was saved; Kaikukeskus will answer it here."))
    return True


@login_required
@require_http_methods(["GET", "POST"])
def consultation(request, pk: int):
    consultation = selectors.consultation_for_user_or_404(user=request.user, pk=pk)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and _comment(request, form, consultation, actor=request.user):
        return redirect("materials:consultation", pk=consultation.pk)
    return _consultation_page(
        request,
        consultation,
        comments=selectors.consultation_comments(consultation=consultation, user=request.user),
        form=form,
        file_url=lambda file: reverse(
            "materials:consultation-file", kwargs={"pk": consultation.pk, "file_pk": file.pk}
        ),
    )


@login_required
@require_safe
def consultation_file(request, pk: int, file_pk: int):
    consultation = selectors.consultation_for_user_or_404(user=request.user, pk=pk)
    material_file = _draft_file_or_404(consultation, file_pk)
    return file_response(request, material_file, private=True, count=False)


def _draft_file_or_404(consultation, file_pk: int) -> MaterialFile:
    material_file = consultation.version.files.filter(pk=file_pk).select_related("version__material").first()
    if material_file is None:
        raise Http404("no such file")
    return material_file


def _partner_or_404(token: str):
    partner = services.partner_from_token(token)
    if partner is None:
        raise Http404("invalid link")
    return partner


@require_http_methods(["GET", "POST"])
def consultation_partner(request, token: str):
    """A named partner's page, reached by the signed link in their e-mail (no account)."""
    partner = _partner_or_404(token)
    consultation = partner.consultation
    form = CommentForm(request.POST or None)
    if request.method == "POST" and _comment(request, form, consultation, partner=partner):
        return redirect("materials:consultation-partner", token=token)
    response = _consultation_page(
        request,
        consultation,
        comments=selectors.consultation_comments(consultation=consultation, partner=partner),
        form=form,
        file_url=lambda file: reverse(
            "materials:consultation-partner-file", kwargs={"token": token, "file_pk": file.pk}
        ),
        partner=partner,
    )
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
def consultation_partner_file(request, token: str, file_pk: int):
    partner = _partner_or_404(token)
    return file_response(request, _draft_file_or_404(partner.consultation, file_pk), private=True, count=False)
