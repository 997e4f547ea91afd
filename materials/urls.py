from django.urls import path

from materials import views

app_name = "materials"

urlpatterns = [
    path("materials/", views.library, name="library"),
    path("materials/<slug:slug>/", views.detail, name="detail"),
    path("materials/<slug:slug>/latest/<str:language>/", views.latest, name="latest"),
    path("materials/<slug:slug>/files/<int:pk>/<str:name>", views.download, name="download"),
    path("materials/<slug:slug>/follow/", views.follow, name="follow"),
    path("portal/consultations/<int:pk>/", views.consultation, name="consultation"),
    path("portal/consultations/<int:pk>/files/<int:file_pk>/", views.consultation_file, name="consultation-file"),
    path("consultation/<str:token>/", views.consultation_partner, name="consultation-partner"),
    path(
        "consultation/<str:token>/files/<int:file_pk>/",
        views.consultation_partner_file,
        name="consultation-partner-file",
    ),
]
