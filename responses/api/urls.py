"""Routes of the responses app, registered on the one v1 router (config/api_urls.py).

`responses` (the replies) is routed by `commitments.api.urls`: its POST logs a reply with its commitments.
"""

from django.urls import path

from . import views

routes = [
    ("documents", views.DocumentViewSet, "document"),
]

urlpatterns = [
    path("extract", views.ExtractView.as_view(), name="extract"),
    path("extract/", views.ExtractSlashView.as_view(), name="extract-slash"),
]
