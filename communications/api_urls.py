from django.urls import path

from communications import api

app_name = "communications-api"

urlpatterns = [
    path("news/", api.NewsList.as_view(), name="news-list"),
]
