from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kaikukeskus import portal
from kaikukeskus.health import health_report


@require_GET
def home(request):
    return render(request, "kaikukeskus/home.html")


@require_GET
def accessibility_statement(request):
    return render(request, "kaikukeskus/accessibility.html")


@require_GET
def privacy_notice(request):
    return render(request, "kaikukeskus/privacy.html")


@login_required
@require_GET
def portal_home(request):
    return render(request, "kaikukeskus/portal.html", {"panels": portal.panels_for(request.user)})


@never_cache
@require_GET
def health(request):
    report = health_report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
