from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("", views.proposal_index, name="list"),
    path("import/", views.assignment_import, name="import"),
    path("<int:pk>/", views.proposal_detail, name="detail"),
]
