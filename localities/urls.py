from django.urls import path

from localities import views

app_name = "localities"

urlpatterns = [
    path("accounts/invitation/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("portal/localities/<slug:slug>/", views.portal_locality, name="portal-detail"),
]
