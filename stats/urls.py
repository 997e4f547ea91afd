from django.urls import path  # noqa: F401  (routes join as the pages are built)

app_name = "stats"

# Portal pages live under portal/localities/<slug>/statistics/, public pages under statistics/.
urlpatterns: list = []
