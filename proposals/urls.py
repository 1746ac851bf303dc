"""Item routes; `detail` (the item with its replies and commitments) is added in config/ui_urls.py."""

from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("", views.proposal_index, name="list"),
    path("import/", views.assignment_import, name="import"),
    path("import/done/", views.assignment_import_done, name="import_done"),
    path("import/<int:pk>/", views.assignment_import_result, name="import_result"),
]
