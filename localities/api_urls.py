from django.urls import path

from localities import api

app_name = "localities-api"

urlpatterns = [
    path("localities/", api.locality_list, name="locality-list"),
]
