from django.urls import path  # noqa: F401 - the app's pages join here

app_name = "cooperation"

urlpatterns: list = []
