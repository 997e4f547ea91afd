from django.urls import path

from networks import views

app_name = "networks"

PARTNERS = "portal/localities/<slug:slug>/partners/"

urlpatterns = [
    path(PARTNERS, views.partner_list, name="partner-list"),
    path(f"{PARTNERS}new/", views.partner_form, name="partner-create"),
    path(f"{PARTNERS}<int:pk>/", views.partner_form, name="partner-edit"),
    path(f"{PARTNERS}<int:pk>/end/", views.partner_end, name="partner-end"),
    path(f"{PARTNERS}<int:pk>/history/", views.partner_history, name="partner-history"),
    path(f"{PARTNERS}import/", views.partner_import, name="partner-import"),
    path(f"{PARTNERS}import/<int:pk>/", views.partner_import_preview, name="partner-import-preview"),
    path(f"{PARTNERS}import/template.<str:file_format>", views.partner_import_template, name="partner-import-template"),
    path(f"{PARTNERS}export.<str:file_format>", views.partner_export, name="partner-export"),
    path("venues/", views.venue_search, name="venue-search"),
]
