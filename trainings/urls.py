from django.urls import path

from trainings import views

app_name = "trainings"

urlpatterns = [
    path("trainings/", views.training_list, name="list"),
    path("trainings/<int:pk>/", views.training_detail, name="detail"),
    path("trainings/registration/<str:token>/", views.registration_manage, name="registration-manage"),
    path(
        "trainings/registration/<str:token>/certificate.pdf",
        views.registration_certificate,
        name="registration-certificate",
    ),
    path("portal/trainings/", views.my_trainings, name="mine"),
    path("portal/trainings/registrations/<int:pk>/cancel/", views.my_registration_cancel, name="my-cancel"),
    path("portal/trainings/registrations/<int:pk>/certificate.pdf", views.my_certificate, name="my-certificate"),
    path("portal/trainings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("portal/trainings/<int:pk>/participants.pdf", views.participants_pdf, name="participants-pdf"),
    path("portal/trainings/coverage/", views.coverage, name="coverage"),
    path("portal/trainings/coverage.<str:file_format>", views.coverage_export, name="coverage-export"),
]
