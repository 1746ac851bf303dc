"""Routes of the evidence app, registered on the one v1 router (config/api_urls.py)."""

from . import views

routes = [
    ("evidence-links", views.EvidenceLinkViewSet, "evidence-link"),
]

urlpatterns: list = []
