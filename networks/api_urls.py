from django.urls import path

from networks import views

app_name = "networks-api"

urlpatterns = [
    path("venues/", views.venues_api, name="venues"),
]
