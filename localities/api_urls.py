from django.urls import path  # noqa: F401 - the localities API joins here (issue: localities and pilots)

app_name = "localities-api"

urlpatterns: list = []
