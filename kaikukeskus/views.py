from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from kaikukeskus import jobs, portal, services, sitemaps
from kaikukeskus.forms import AccountForm
from kaikukeskus.health import health_report
from kaikukeskus.middleware import NulByteInRequest
from kaikukeskus.public_cache import public_page


@public_page
@require_safe
def sitemap(request):
    """`/sitemap.xml`: the Sitemap classes the apps registered (`kaikukeskus.sitemaps`), every page in its three
    languages with its `hreflang` alternates."""
    return sitemap_view(request, sitemaps=sitemaps.registered())


@login_required
@require_GET
def portal_home(request):
    return render(request, "kaikukeskus/portal.html", {"panels": portal.panels_for(request.user)})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def account(request):
    """ "My account": the person's own name, e-mail language and reminders, saved through `account_update`."""
    form = AccountForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.account_update(
            actor=request.user, user=request.user, **{name: form.cleaned_data[name] for name in form.fields}
        )
        messages.success(request, _("Your account has been saved."))
        return redirect("account")
    return render(request, "kaikukeskus/account.html", {"form": form})


@never_cache
@require_GET
def health(request):
    report = health_report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


def bench_minimal(request):
    """The load test's yardstick: the least a Django view can do, behind the same middleware (mounted only when
    `settings.BENCH` is on)."""
    return HttpResponse("ok")


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico when a page names no icon (a JSON document, a PDF, an error page of a
    proxy): send them to the site's icon rather than a 404."""
    return redirect(static("img/favicon.svg"))


# --- Background jobs --------------------------------------------------------------------------------------


def job_start_response(request, *, kind: str, params: dict) -> HttpResponse:
    """Start a job for the person and send them to its page; a page that says why not when the client has
    started too many (429) or the broker does not answer (503), instead of an error."""
    try:
        job = jobs.job_start(request=request, kind=kind, params=params)
    except jobs.JobRateLimitedError:
        heading, status = _("Too many requests"), 429
        message = _(
            "Many files have been asked for from your connection in a short time, so no new one was started. "
            "Please wait a few minutes and try again."
        )
    except jobs.JobQueueUnavailableError:
        heading, status = _("Please try again later"), 503
        message = _(
            "The service that makes files is not available right now, so your file could not be started. Nothing "
            "was lost: please try again in a few minutes."
        )
    else:
        return redirect("job-detail", pk=job.pk)
    return render(request, "kaikukeskus/job_not_started.html", {"heading": heading, "message": message}, status=status)


@require_safe
def job_detail(request, pk):
    """The job's progress, and its download (or its outcome) when finished. Until it finishes the page reloads
    itself with `<meta http-equiv="refresh">`: no JavaScript, and CSP (which governs what a page loads, not
    where it navigates) lets it through."""
    job = jobs.job_for_request_or_404(request=request, pk=pk)
    context = {
        "job": job,
        "title": jobs.title(job),
        "status_text": jobs.status_text(job),
        "waiting_text": jobs.waiting_text(job),
        "outcome": jobs.outcome(job),
        "refresh_seconds": jobs.refresh_seconds(job),
        "stalled": jobs.is_stalled(job),
    }
    return render(request, "kaikukeskus/job.html", context)


@require_safe
def job_download(request, pk):
    job = jobs.job_for_request_or_404(request=request, pk=pk)
    if not job.is_ready:
        raise Http404
    return FileResponse(job.result.open("rb"), as_attachment=True, filename=job.result_name)


# The causes of a 400 the page names (anything else is "could not be read"): Django's limits on a form and our
# refusal of NUL bytes. The page says no more than the cause and the limit, never the request's content.
BAD_REQUEST_CAUSES = (
    (TooManyFieldsSent, "too_many_fields"),
    (TooManyFilesSent, "too_many_files"),
    (RequestDataTooBig, "too_big"),
    (NulByteInRequest, "nul_byte"),
)


def bad_request(request, exception):
    """The 400 page (`handler400`), in the language of the address, naming which limit the request met."""
    cause = next((name for kind, name in BAD_REQUEST_CAUSES if isinstance(exception, kind)), "unreadable")
    context = {
        "cause": cause,
        "max_fields": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        "max_files": settings.DATA_UPLOAD_MAX_NUMBER_FILES,
        "max_size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
    }
    return render(request, "400.html", context, status=400)
