from django.urls import path

from stats import api

app_name = "stats-api"

# The open data endpoints of DESIGN §6.
urlpatterns = [
    path("statistics/national/", api.NationalYearList.as_view(), name="national"),
    path("statistics/localities/", api.LocalityYearList.as_view(), name="localities"),
]
