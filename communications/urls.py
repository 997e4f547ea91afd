from django.urls import path

from communications import views

app_name = "communications"

urlpatterns = [
    path("news/", views.news_list, name="news-list"),
    path("news/feed/", views.news_feed, name="news-feed"),
    path("news/<int:pk>/dismiss/", views.news_dismiss, name="news-dismiss"),
    path("news/<slug:slug>/", views.news_detail, name="news-detail"),
    path("news/<slug:slug>/acknowledge/", views.news_acknowledge, name="news-acknowledge"),
]
