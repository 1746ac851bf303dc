"""Routes of the search app under /api/v1/ (config/api_urls.py)."""

from django.urls import path

from . import views

routes: list = []

urlpatterns = [
    path("search/", views.SearchView.as_view(), name="search"),
]
