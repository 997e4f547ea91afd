from django.urls import path

from networks import api

app_name = "networks-api"

urlpatterns = [
    path("venues/", api.VenueList.as_view(), name="venues"),
]
