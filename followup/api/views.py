"""API for follow-through: the 回头看 board as a scoped, filterable list of rounds (read-only)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError

from config.api import ConditionalGetMixin
from config.api_schema import LIST_ERRORS, READ_ERRORS, error_responses

from .. import selectors
from ..choices import RoundState
from . import serializers


@extend_schema_view(
    list=extend_schema(
        tags=["followup"],
        parameters=[OpenApiParameter("state", str, enum=RoundState.values, description="open / submitted / verified")],
        responses={200: serializers.ReviewRoundSerializer(many=True), **error_responses(*LIST_ERRORS)},
    ),
    retrieve=extend_schema(
        tags=["followup"], responses={200: serializers.ReviewRoundSerializer, **error_responses(*READ_ERRORS)}
    ),
)
class ReviewRoundViewSet(
    ConditionalGetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """回头看 rounds in the user's scope with their findings (promised vs done), soonest due first."""

    serializer_class = serializers.ReviewRoundSerializer

    def get_queryset(self):
        queryset = selectors.round_list(user=self.request.user)
        state = self.request.query_params.get("state")
        if state:
            if state not in RoundState.values:
                raise ValidationError({"state": [f"未知状态 / Unknown state: {state}"]})
            queryset = queryset.filter(state=state)
        return queryset
