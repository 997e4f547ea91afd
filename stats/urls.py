from django.urls import path

from stats.views import downloads, exports, portal, public, workspace

app_name = "stats"

# Portal pages live under portal/localities/<slug>/statistics/, public pages under statistics/.
REPORTS = "portal/localities/<slug:slug>/statistics/"
# The staff workspace's statistics pages (national staff only).
STAFF = "portal/workspace/statistics/"

urlpatterns: list = [
    path(REPORTS, portal.report_list, name="report-list"),
    path(f"{REPORTS}reports.<str:file_format>", downloads.report_download, name="report-download"),
    path(f"{REPORTS}<int:pk>/", portal.report_edit, name="report-edit"),
    path(f"{STAFF}rounds/", workspace.round_list, name="staff-rounds"),
    path(f"{STAFF}rounds/<int:pk>/", workspace.round_detail, name="staff-round"),
    path(f"{STAFF}rounds/<int:pk>/remind/", workspace.round_remind, name="staff-round-remind"),
    path(f"{STAFF}reports/<int:pk>/", workspace.report_review, name="staff-report"),
    path(f"{STAFF}years/", workspace.year_list, name="staff-years"),
    path(f"{STAFF}years/<int:year>/", workspace.year_detail, name="staff-year"),
    path(f"{STAFF}years/<int:year>/aggregate/", workspace.year_aggregate, name="staff-year-aggregate"),
    path(f"{STAFF}years/<int:year>/publish/", workspace.year_publish, name="staff-year-publish"),
    path("statistics/", public.public_index, name="public-index"),
    path("statistics/<int:year>/", public.public_year, name="public-year"),
    path(
        "statistics/<int:year>/download.<str:file_format>",
        exports.public_download,
        name="public-download",
    ),
]
