from django.urls import path

from communications import views
from communications.models.pages import PAGE_ROUTES

app_name = "communications"

urlpatterns = [
    path("news/", views.news_list, name="news-list"),
    path("news/feed/", views.news_feed, name="news-feed"),
    path("news/<int:pk>/dismiss/", views.news_dismiss, name="news-dismiss"),
    path("news/<slug:slug>/", views.news_detail, name="news-detail"),
    path("news/<slug:slug>/acknowledge/", views.news_acknowledge, name="news-acknowledge"),
    path("newsletter/", views.newsletter_subscribe, name="newsletter-subscribe"),
    path("newsletter/check-your-email/", views.newsletter_check_email, name="newsletter-check-email"),
    path("newsletter/confirm/<str:token>/", views.newsletter_confirm, name="newsletter-confirm"),
    path("newsletter/unsubscribe/<str:token>/", views.newsletter_unsubscribe, name="newsletter-unsubscribe"),
    path("newsletter/<int:pk>/", views.newsletter_issue, name="newsletter-issue"),
    path("portal/account/newsletter/", views.newsletter_preference, name="newsletter-preference"),
    path("portal/newsletters/<int:pk>/", views.newsletter_review, name="newsletter-review"),
    path("portal/newsletters/<int:pk>/test/", views.newsletter_test, name="newsletter-test"),
    path("portal/newsletters/<int:pk>/send/", views.newsletter_send, name="newsletter-send"),
    path("search/", views.search, name="search"),
    path("pages/<slug:key>/preview/", views.page_preview, name="page-preview"),
    path("pages/<slug:key>/publish/", views.page_publish, name="page-publish"),
]

# The site pages at their stable addresses, un-namespaced (the composition root includes them as they are, so
# that `{% url 'contact' %}` and the other names that existed before keep working).
page_urlpatterns = [path(route, views.page, {"key": key}, name=name) for key, (route, name) in PAGE_ROUTES.items()]
