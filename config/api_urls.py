"""REST API v1: every app's viewsets on one router under /api/v1/, the OpenAPI schema and Swagger UI."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from commitments.api import urls as commitments_api
from config import api_schema  # noqa: F401  (registers the token security scheme)
from proposals.api import urls as proposals_api
from responses.api import urls as responses_api
from search.api import urls as search_api

router = DefaultRouter()
router.include_root_view = False
for app in (proposals_api, responses_api, commitments_api):
    for prefix, viewset, basename in app.routes:
        router.register(prefix, viewset, basename=basename)

v1 = [
    *router.urls,
    *responses_api.urlpatterns,
    *commitments_api.urlpatterns,
    *search_api.urlpatterns,
]

urlpatterns = [
    path("api/v1/", include((v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
