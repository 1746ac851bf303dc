"""The web UI's search results page (the header's search box submits here)."""

from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("", views.search_page, name="results"),
]
