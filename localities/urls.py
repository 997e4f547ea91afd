from django.urls import include, path

from localities import staff_views, views

app_name = "localities"

# A locality's pages in the coordinator portal, below portal/localities/<slug>/.
portal_locality_patterns = [
    path("", views.portal_locality, name="portal-detail"),
    path("public-facts/", views.public_facts_edit, name="public-facts"),
    path("pilot/", views.pilot_checklist, name="pilot"),
    path("pilot/milestones/<int:pk>/", views.milestone_done, name="milestone-done"),
    path("pilot/milestones/<int:pk>/reopen/", views.milestone_reopen, name="milestone-reopen"),
    path("meetings/plan/", views.feedback_meeting_plan, name="meeting-plan"),
    path("meetings/<int:pk>/", views.feedback_meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/guests/", views.feedback_meeting_guests, name="meeting-guests"),
    path("meetings/<int:pk>/record/", views.feedback_meeting_record, name="meeting-record"),
    path("meetings/<int:pk>/move/", views.feedback_meeting_move, name="meeting-move"),
    path("meetings/<int:pk>/cancel/", views.feedback_meeting_cancel, name="meeting-cancel"),
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
    path("portal/workspace/access-requests/", staff_views.access_requests, name="staff-access-requests"),
    path(
        "portal/workspace/access-requests/<int:pk>/decide/",
        staff_views.access_request_decide,
        name="staff-access-request-decide",
    ),
    path("portal/access-requests/new/", views.access_request_create, name="access-request-create"),
    path("join/", views.join, name="join"),
    path("join/sent/", views.join_sent, name="join-sent"),
    path("portal/outreach/", views.pipeline, name="pipeline"),
    path("portal/outreach/coverage/", views.pipeline_coverage, name="pipeline-coverage"),
    path("portal/outreach/<slug:slug>/lost/", views.prospect_lost, name="prospect-lost"),
]
