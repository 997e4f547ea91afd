from django.urls import include, path

from localities import staff_views, views

app_name = "localities"

# A locality's pages in the coordinator portal, below portal/localities/<slug>/.
portal_locality_patterns = [
    path("", views.portal_locality, name="portal-detail"),
    path("pilot/", views.pilot_checklist, name="pilot"),
    path("pilot/milestones/<int:pk>/", views.milestone_done, name="milestone-done"),
    path("pilot/milestones/<int:pk>/reopen/", views.milestone_reopen, name="milestone-reopen"),
    path("meetings/<int:pk>/", views.feedback_meeting_detail, name="meeting-detail"),
    path("actions/<int:pk>/done/", views.follow_up_action_done, name="action-done"),
    path("agreements/<int:pk>/", views.agreement_download, name="agreement-download"),
]

urlpatterns = [
    path("localities/", views.public_list, name="public-list"),
    path("localities/<slug:slug>/", views.public_detail, name="public-detail"),
    path("accounts/invitation/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("portal/localities/<slug:slug>/", include(portal_locality_patterns)),
    # The staff workspace (national staff only).
    path("portal/workspace/pilots/", staff_views.pilot_board, name="staff-pilots"),
    path("portal/workspace/localities/<slug:slug>/", staff_views.locality_page, name="staff-locality"),
    path("portal/access-requests/new/", views.access_request_create, name="access-request-create"),
]
