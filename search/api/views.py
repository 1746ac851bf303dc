"""GET /api/v1/search/?q=…: one ranked, paginated, scoped search over letters, commitments, items and agencies."""

from django.db import OperationalError
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import ApiError, ConditionalGetMixin, Pagination, refuse_unknown_parameters
from config.api_schema import error_responses

from ..links import api_path, ui_path
from ..selectors import KINDS, search
from ..text import QueryError
from .serializers import SearchAnswerSerializer, SearchHitSerializer


class SearchView(ConditionalGetMixin, APIView):
    """Hits of every kind the user may see, best first, each with a highlighted snippet and its links."""

    @extend_schema(
        tags=["search"],
        parameters=[
            OpenApiParameter("q", str, required=True, description="搜索词 (1–100 characters)"),
            OpenApiParameter("kind", str, many=True, enum=list(KINDS), description="only these kinds"),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses={
            200: SearchAnswerSerializer,
            **error_responses(400, 401, 404),
        },
    )
    def get(self, request):
        # A misspelt parameter (`knd=commitment`) answered every kind, as a misspelt filter of a list once answered
        # every row (session 17's walk-through): refused as the lists refuse it (config.api.FilterBackend).
        refuse_unknown_parameters(request.query_params, {"q", "kind"})
        q = request.query_params.get("q")
        kinds = request.query_params.getlist("kind")
        unknown = [k for k in kinds if k not in KINDS]
        if unknown:
            raise ValidationError({"kind": [gettext("未知类别：%(kinds)s") % {"kinds": ", ".join(unknown)}]})
        paginator = Pagination()
        size = paginator.get_page_size(request)
        try:
            number = int(request.query_params.get("page") or 1)
        except ValueError:
            number = 0
        if number < 1 or number > 10_000:
            raise NotFound(paginator.invalid_page_message)
        try:
            result = search(user=request.user, q=q, kinds=kinds, offset=(number - 1) * size, limit=size)
        except QueryError as exc:
            raise ValidationError({"q": [str(exc)]}) from None
        except OperationalError as exc:  # statement_timeout: the query was too broad for the time allowed
            raise ApiError(
                status_code=400,
                code="search_timeout",
                message=gettext("搜索超时，请使用更具体的搜索词"),
            ) from exc
        if number > 1 and not result.hits:
            raise NotFound(paginator.invalid_page_message)
        results = [
            {
                "kind": hit.kind,
                "id": hit.pk,
                "rank": hit.rank,
                "title": hit.title,
                "snippet": str(hit.snippet),
                "url": request.build_absolute_uri(ui_path(hit.kind, hit.obj)),
                "api_url": request.build_absolute_uri(api_path(hit.kind, hit.obj)),
            }
            for hit in result.hits
        ]
        pages = -(-result.total // size)

        def link(n):
            if n < 1 or n > pages:
                return None
            params = request.query_params.copy()
            params["page"] = n
            return request.build_absolute_uri(request.path + "?" + params.urlencode())

        return Response(
            {
                "count": result.total,
                "next": link(number + 1),
                "previous": link(number - 1),
                "terms": result.terms,
                "capped": result.capped,
                "counts": result.counts,
                "results": SearchHitSerializer(results, many=True).data,
            }
        )
