"""REST API v1: every app's viewsets on one router under /api/v1/, the OpenAPI schema and Swagger UI."""

from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, include, path, re_path, resolve
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.exceptions import NotFound
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from commitments.api import urls as commitments_api
from config import api_schema  # noqa: F401  (registers the token security scheme)
from evidence.api import urls as evidence_api
from followup.api import urls as followup_api
from proposals.api import urls as proposals_api
from responses.api import urls as responses_api
from search.api import urls as search_api

router = DefaultRouter()
router.include_root_view = False
for app in (proposals_api, responses_api, commitments_api, followup_api, evidence_api):
    for prefix, viewset, basename in app.routes:
        router.register(prefix, viewset, basename=basename)

v1 = [
    *router.urls,
    *responses_api.urlpatterns,
    *commitments_api.urlpatterns,
    *search_api.urlpatterns,
]


@extend_schema(exclude=True)
class NoSuchEndpoint(APIView):
    """Anything under /api/ that no route matched (an unknown path, a non-integer id): the JSON 404 error body."""

    authentication_classes: list = []
    permission_classes: list = []

    def dispatch(self, request, *args, **kwargs):
        # CommonMiddleware's APPEND_SLASH redirect, which this catch-all would otherwise swallow (GET and HEAD
        # only: a redirected POST would lose its body).
        if request.method in ("GET", "HEAD") and not request.path_info.endswith("/"):
            try:
                match = resolve(request.path_info + "/")
            except Resolver404:
                match = None
            if match is not None and getattr(match.func, "view_class", None) is not NoSuchEndpoint:
                return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
        return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        # Before authentication, throttling and method checks: every method gets the same 404.
        raise NotFound("接口不存在 / No such API endpoint.")


urlpatterns = [
    path("api/v1/", include((v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Last: what nothing above matched.
    re_path(r"^api(?:/.*)?$", NoSuchEndpoint.as_view()),
]
