from django.urls import path

from cooperation import views

app_name = "cooperation"

urlpatterns = [
    path("portal/groups/", views.group_list, name="group-list"),
    path("portal/groups/annual-report.<str:file_format>", views.annual_report, name="annual-report"),
    path("portal/groups/<int:pk>/", views.group_detail, name="group-detail"),
    path("portal/groups/<int:pk>/email/", views.group_email, name="group-email"),
    path("portal/groups/<int:pk>/meetings/<int:meeting_pk>/", views.meeting_detail, name="meeting-detail"),
    path("portal/groups/documents/<int:pk>/", views.document_download, name="document-download"),
]
