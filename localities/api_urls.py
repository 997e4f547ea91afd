from django.urls import path

from localities import api

app_name = "localities-api"

urlpatterns = [
    path("localities/", api.LocalityList.as_view(), name="locality-list"),
]
