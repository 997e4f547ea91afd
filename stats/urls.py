from django.urls import path

from stats.views import exports

app_name = "stats"

# Portal pages live under portal/localities/<slug>/statistics/, public pages under statistics/.
urlpatterns: list = [
    path(
        "statistics/<int:year>/download.<str:file_format>",
        exports.public_download,
        name="public-download",
    ),
]
