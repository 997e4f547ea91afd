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
    path(f"{PARTNERS}<int:pk>/accessibility/", views.accessibility_edit, name="partner-accessibility"),
    path(f"{PARTNERS}<int:pk>/venue-link/", views.venue_link_send, name="partner-venue-link"),
    path(f"{PARTNERS}<int:pk>/self-assessment/", views.self_assessment_edit, name="partner-self-assessment"),
    path(f"{PARTNERS}import/", views.partner_import, name="partner-import"),
    path(f"{PARTNERS}import/<int:pk>/", views.partner_import_preview, name="partner-import-preview"),
    path(f"{PARTNERS}import/template.<str:file_format>", views.partner_import_template, name="partner-import-template"),
    path(f"{PARTNERS}export.<str:file_format>", views.partner_export, name="partner-export"),
    path("portal/issuers/proposed/", views.proposed_issuers, name="proposed-issuers"),
    path("portal/self-assessments/", views.self_assessment_totals, name="self-assessment-totals"),
    path("venues/", views.venue_search, name="venue-search"),
    path("venues/<int:pk>/", views.venue_detail, name="venue-detail"),
    path("venues/link/<str:token>/", views.venue_link_accessibility, name="venue-link-accessibility"),
    path(
        "venues/link/<str:token>/self-assessment/",
        views.venue_link_self_assessment,
        name="venue-link-self-assessment",
    ),
]
