from django.urls import path

from support import views

app_name = "support"

urlpatterns = [
    path("portal/support/", views.question_list, name="list"),
    path("portal/support/new/", views.question_create, name="create"),
    path("portal/support/<int:pk>/", views.question_detail, name="detail"),
    path("portal/support/attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("portal/support/staff/", views.inbox, name="inbox"),
    path("portal/support/staff/<int:pk>/", views.staff_detail, name="staff-detail"),
    path("portal/support/staff/<int:pk>/update/", views.staff_update, name="staff-update"),
]
