"""REST API v1: every app's viewsets on one router under /api/v1/, the OpenAPI schema and Swagger UI."""

from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, include, path, re_path, resolve
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse
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
router.include_root_view = False  # the root is ApiRoot: it also names the endpoints outside the router
for app in (proposals_api, responses_api, commitments_api, followup_api, evidence_api):
    for prefix, viewset, basename in app.routes:
        router.register(prefix, viewset, basename=basename)


@extend_schema(exclude=True)
class ApiRoot(APIView):
    """GET /api/v1/: every endpoint by name, then the schema and the docs, as absolute URLs (session 16; it was a 404).
    Public like the schema, which names the same paths; the calendar feeds are per-token URLs (docs/api.md)."""

    permission_classes = [AllowAny]
    http_method_names = ["get", "head", "options"]

    def get(self, request):
        names = {prefix: f"api:{basename}-list" for prefix, _viewset, basename in router.registry}
        names |= {"search": "api:search", "extract": "api:extract", "schema": "api-schema", "docs": "api-docs"}
        return Response({name: reverse(route, request=request) for name, route in names.items()})


v1 = [
    path("", ApiRoot.as_view(), name="root"),
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
        # only: a redirected POST would lose its body; other methods are told the path, below).
        if request.method in ("GET", "HEAD") and self._with_slash(request.path_info):
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
        return super().dispatch(request, *args, **kwargs)

    @staticmethod
    def _with_slash(path: str) -> str | None:
        """`path` + "/" when that is a route of its own (a client forgot the trailing slash), else None."""
        if path.endswith("/"):
            return None
        try:
            match = resolve(path + "/")
        except Resolver404:
            return None
        return path + "/" if match.func is not no_such_endpoint else None

    def initial(self, request, *args, **kwargs):
        # Before authentication, throttling and method checks: every method gets the same 404. A POST without its
        # trailing slash is told the path it meant (session 15: "No such API endpoint" sent clients looking for a
        # wrong path); anything else is pointed at the list of endpoints.
        slashed = self._with_slash(request.path_info)
        if slashed:
            raise NotFound(_("接口地址须以 / 结尾：%(path)s") % {"path": slashed})
        raise NotFound(_("接口不存在，接口一览见 /api/docs/"))


_no_such_endpoint = NoSuchEndpoint.as_view()


@csrf_exempt
def no_such_endpoint(request, *args, **kwargs):
    """NoSuchEndpoint without the `cls` attribute DRF's browsable API reads: its breadcrumbs name every prefix of the
    page's path that resolves to an APIView, and every prefix resolves here (`/api/v1/commitments` without its
    slash), so “No Such Endpoint” led the crumbs of every browsable page (session 15)."""
    return _no_such_endpoint(request, *args, **kwargs)


urlpatterns = [
    path("api/v1/", include((v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Last: what nothing above matched.
    re_path(r"^api(?:/.*)?$", no_such_endpoint),
]
