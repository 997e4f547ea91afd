from django.urls import path

from localities import views

app_name = "localities"

urlpatterns = [
    path("localities/", views.public_list, name="public-list"),
    path("localities/<slug:slug>/", views.public_detail, name="public-detail"),
    path("accounts/invitation/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("portal/localities/<slug:slug>/", views.portal_locality, name="portal-detail"),
    path("portal/localities/<slug:slug>/pilot/", views.pilot_checklist, name="pilot"),
    path("portal/localities/<slug:slug>/pilot/milestones/<int:pk>/", views.milestone_done, name="milestone-done"),
    path(
        "portal/localities/<slug:slug>/pilot/milestones/<int:pk>/reopen/",
        views.milestone_reopen,
        name="milestone-reopen",
    ),
    path("portal/localities/<slug:slug>/meetings/<int:pk>/", views.feedback_meeting_detail, name="meeting-detail"),
    path("portal/localities/<slug:slug>/actions/<int:pk>/done/", views.follow_up_action_done, name="action-done"),
    path(
        "portal/localities/<slug:slug>/agreements/<int:pk>/",
        views.agreement_download,
        name="agreement-download",
    ),
    path("portal/access-requests/new/", views.access_request_create, name="access-request-create"),
]
