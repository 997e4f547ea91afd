from django.urls import path

from stats.views import downloads, exports, portal, public

app_name = "stats"

# Portal pages live under portal/localities/<slug>/statistics/, public pages under statistics/.
REPORTS = "portal/localities/<slug:slug>/statistics/"

urlpatterns: list = [
    path(REPORTS, portal.report_list, name="report-list"),
    path(f"{REPORTS}reports.<str:file_format>", downloads.report_download, name="report-download"),
    path(f"{REPORTS}<int:pk>/", portal.report_edit, name="report-edit"),
    path("statistics/", public.public_index, name="public-index"),
    path("statistics/<int:year>/", public.public_year, name="public-year"),
    path(
        "statistics/<int:year>/download.<str:file_format>",
        exports.public_download,
        name="public-download",
    ),
]
