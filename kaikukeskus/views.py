from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from kaikukeskus import portal
from kaikukeskus.health import health_report
from kaikukeskus.public_cache import public_page
from localities.forms import PublicLocalityFilterForm


@public_page
@require_safe
def home(request):
    return render(request, "kaikukeskus/home.html", {"form": PublicLocalityFilterForm(auto_id="home_%s")})


@public_page
@require_safe
def accessibility_statement(request):
    return render(request, "kaikukeskus/accessibility.html")


@public_page
@require_safe
def privacy_notice(request):
    return render(request, "kaikukeskus/privacy.html")


@public_page
@require_safe
def contact(request):
    return render(
        request,
        "kaikukeskus/contact.html",
        {
            "email": settings.KAIKUKESKUS_CONTACT_EMAIL,
            "phone": settings.KAIKUKESKUS_CONTACT_PHONE,
            "address": settings.KAIKUKESKUS_CONTACT_ADDRESS,
        },
    )


@login_required
@require_GET
def portal_home(request):
    return render(request, "kaikukeskus/portal.html", {"panels": portal.panels_for(request.user)})


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
