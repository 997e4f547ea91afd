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
    path("portal/support/staff/<int:pk>/article/", views.staff_article, name="staff-article"),
    path("portal/support/staff/report/", views.report, name="report"),
    path("portal/support/staff/report/questions.<str:file_format>", views.report_export, name="report-export"),
    path("portal/support/articles/", views.article_list, name="articles"),
    path("portal/support/articles/<slug:slug>/", views.article_detail, name="article"),
    path("portal/support/consultations/", views.slots, name="slots"),
    path("portal/support/consultations/<int:pk>/book/", views.slot_book, name="slot-book"),
    path("portal/support/bookings/<int:pk>/cancel/", views.booking_cancel, name="booking-cancel"),
    path("portal/support/bookings/<int:pk>/move/", views.booking_move, name="booking-move"),
    path("faq/", views.faq_list, name="faq"),
    path("faq/<slug:slug>/", views.faq_detail, name="faq-detail"),
]
