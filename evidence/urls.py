from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("upload/", views.evidence_upload, name="upload"),
    path("documents/<int:pk>/", views.evidence_document, name="document"),
    path("documents/<int:pk>/match/", views.evidence_match, name="match"),
    path("links/<int:pk>/accept/", views.evidence_accept, name="accept"),
    path("links/<int:pk>/reject/", views.evidence_reject, name="reject"),
]
