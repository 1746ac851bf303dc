"""API for evidence links: scoped list/retrieve, accept and reject actions, and ingest of a later document."""

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, parsers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.api import ConditionalGetMixin, JSONParser
from config.api_schema import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, error_responses
from responses.api.views import extraction_error, read_upload

from .. import services
from ..choices import LinkState
from ..models import EvidenceLink
from . import serializers


@extend_schema_view(
    list=extend_schema(
        tags=["evidence"],
        parameters=[
            OpenApiParameter("document", OpenApiTypes.INT, description="文档 / the later document"),
            OpenApiParameter("commitment", OpenApiTypes.INT, description="承诺 / the earlier commitment"),
            OpenApiParameter(
                "state",
                OpenApiTypes.STR,
                enum=LinkState.values,
                description="默认不含已驳回 / rejected ones only when asked for",
            ),
        ],
        responses={200: serializers.EvidenceLinkSerializer(many=True), **error_responses(*LIST_ERRORS)},
    ),
    retrieve=extend_schema(
        tags=["evidence"], responses={200: serializers.EvidenceLinkSerializer, **error_responses(*READ_ERRORS)}
    ),
)
class EvidenceLinkViewSet(
    ConditionalGetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Evidence links whose commitment and document are both in the caller's scope; others are 404."""

    serializer_class = serializers.EvidenceLinkSerializer
    filterset_fields = ["document", "commitment", "state"]
    parser_classes = [JSONParser, parsers.MultiPartParser, parsers.FormParser]

    def get_queryset(self):
        queryset = EvidenceLink.objects.visible_to(self.request.user).select_related("commitment", "target")
        if self.action == "list" and not self.request.query_params.get("state"):
            queryset = queryset.exclude(state=LinkState.REJECTED)
        return queryset.order_by("-score", "pk")

    @extend_schema(
        tags=["evidence"],
        summary="采纳 / accept (records one progress update)",
        request=None,
        responses={200: serializers.EvidenceLinkSerializer, **error_responses(*WRITE_ERRORS)},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        link = services.evidence_link_accept(link=self.get_object(), user=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=link.pk)).data)

    @extend_schema(
        tags=["evidence"],
        summary="驳回 / reject (not suggested again)",
        request=None,
        responses={200: serializers.EvidenceLinkSerializer, **error_responses(*WRITE_ERRORS)},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        link = services.evidence_link_reject(link=self.get_object(), user=request.user)
        return Response(self.get_serializer(EvidenceLink.objects.get(pk=link.pk)).data)

    @extend_schema(
        tags=["evidence"],
        summary="上传后续文档并提示佐证 / ingest a later document and suggest links",
        description="201 新文档；200 同一文件此前已上传（按内容哈希），返回其建议 / 200 when the same bytes were seen before.",
        request={"multipart/form-data": serializers.EvidenceIngestSerializer},
        responses={
            200: serializers.EvidenceIngestResultSerializer,
            201: serializers.EvidenceIngestResultSerializer,
            **error_responses(*WRITE_ERRORS, 413, 415, 422),
        },
    )
    @action(detail=False, methods=["post"])
    def ingest(self, request):
        from responses.extraction import ExtractionError

        upload = serializers.EvidenceIngestSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        data = read_upload(file)
        try:
            with transaction.atomic():
                result = services.evidence_document_ingest(data=data, filename=file.name, user=request.user)
        except ExtractionError as e:
            raise extraction_error(e)
        body = {
            "document": result.document.pk,
            "created": result.created,
            "links": serializers.EvidenceLinkSerializer(result.links, many=True).data,
        }
        return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)
