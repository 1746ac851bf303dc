"""Read-only API for reference data (bodies, sessions, agencies, proposers) and scoped proposals."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from config.api import ConditionalGetMixin
from config.api_schema import LIST_ERRORS, READ_ERRORS, error_responses
from proposals.filtersets import ProposalFilterSet
from proposals.models import Agency, Body, Proposal, Proposer, Session
from proposals.selectors import proposal_list

from . import serializers


class ReadOnlyViewSet(ConditionalGetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List and retrieve, with ETags; the queryset decides the scope."""


def _documented(viewset, tag: str):
    return extend_schema_view(
        list=extend_schema(
            tags=[tag], responses={200: viewset.serializer_class(many=True), **error_responses(*LIST_ERRORS)}
        ),
        retrieve=extend_schema(tags=[tag], responses={200: viewset.serializer_class, **error_responses(*READ_ERRORS)}),
    )(viewset)


class BodyViewSet(ReadOnlyViewSet):
    """Congresses and CPPCCs (reference data, visible to every signed-in user)."""

    queryset = Body.objects.order_by("jurisdiction", "kind", "id")
    serializer_class = serializers.BodySerializer
    filterset_fields = ["kind", "jurisdiction"]


class SessionViewSet(ReadOnlyViewSet):
    """Sessions of the bodies (reference data)."""

    queryset = Session.objects.order_by("body_id", "-term", "-meeting", "id")
    serializer_class = serializers.SessionSerializer
    filterset_fields = ["body", "term", "meeting", "year"]


class AgencyViewSet(ReadOnlyViewSet):
    """Agencies that handle items (reference data; webhook settings are not exposed)."""

    queryset = Agency.objects.order_by("name", "id")
    serializer_class = serializers.AgencySerializer
    filterset_fields = ["jurisdiction", "parent"]


class ProposerViewSet(ReadOnlyViewSet):
    """Proposers of the items the user may see."""

    serializer_class = serializers.ProposerSerializer
    filterset_fields = ["kind"]

    def get_queryset(self):
        visible = Proposal.objects.visible_to(self.request.user)
        return Proposer.objects.filter(proposals__in=visible).distinct().order_by("name", "id")


class ProposalViewSet(ReadOnlyViewSet):
    """Suggestions and proposals within the user's scope, with proposers and assignments."""

    serializer_class = serializers.ProposalSerializer
    filterset_class = ProposalFilterSet

    def get_queryset(self):
        return proposal_list(user=self.request.user)


for _viewset, _tag in (
    (BodyViewSet, "reference"),
    (SessionViewSet, "reference"),
    (AgencyViewSet, "reference"),
    (ProposerViewSet, "proposals"),
    (ProposalViewSet, "proposals"),
):
    _documented(_viewset, _tag)
