from django.urls import path  # noqa: F401

# The open data endpoints of DESIGN §6: statistics/national/ and statistics/localities/.
urlpatterns: list = []
