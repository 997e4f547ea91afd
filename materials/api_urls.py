from django.urls import path

from materials import api

app_name = "materials-api"

urlpatterns = [
    path("materials/", api.MaterialList.as_view(), name="material-list"),
]
