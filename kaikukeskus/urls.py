from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from communications.urls import page_urlpatterns
from kaikukeskus import api, views
from localities.views import home  # the front page searches localities (this file wires the apps together)

handler400 = views.bad_request

admin.site.site_header = "Kaikukeskus"
admin.site.site_title = "Kaikukeskus"

# Language-neutral: health check and the open data API.
urlpatterns = [
    path("health/", views.health, name="health"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("api/v1/schema/", api.SchemaView.as_view(), name="api-schema"),
    path("api/v1/docs/", api.DocsView.as_view(), name="api-docs"),
    path("api/v1/", include("localities.api_urls")),
    path("api/v1/", include("networks.api_urls")),
    path("api/v1/", include("stats.api_urls")),
    path("api/v1/", include("materials.api_urls")),
    path("api/v1/", include("communications.api_urls")),
]

if settings.BENCH:
    urlpatterns.append(path("bench/minimal/", views.bench_minimal))

urlpatterns += i18n_patterns(
    path("", home, name="home"),
    # The site's own pages (communications.models.pages.PAGE_ROUTES): contact, accessibility, privacy, about…
    path("", include(page_urlpatterns)),
    path("portal/", views.portal_home, name="portal"),
    path("portal/account/", views.account, name="account"),
    path("jobs/<uuid:pk>/", views.job_detail, name="job-detail"),
    path("jobs/<uuid:pk>/download/", views.job_download, name="job-download"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("localities.urls")),
    path("", include("networks.urls")),
    path("", include("stats.urls")),
    path("", include("trainings.urls")),
    path("", include("materials.urls")),
    path("", include("communications.urls")),
    path("", include("support.urls")),
    path("", include("cooperation.urls")),
    prefix_default_language=False,
)
