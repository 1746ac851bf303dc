"""API for documents and replies: scoped reads, creating a reply from an upload, and extraction without saving."""

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, parsers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response as ApiResponse
from rest_framework.views import APIView

from config.api import ApiError, ConditionalGetMixin
from config.api_schema import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, error_responses
from proposals import scoping
from proposals.selectors import agency_find
from responses import files
from responses.filtersets import DocumentFilterSet, ResponseFilterSet
from responses.models import Document, Response
from responses.services import document_ingest, extraction_budgets, response_find_duplicate, satisfaction_record

from . import examples, serializers


def read_upload(upload) -> bytes:
    """The uploaded bytes, refusing an oversized file (the one limit, responses.files) before reading it."""
    if files.upload_too_large(upload):
        zh, en = files.upload_too_large_message(upload.size)
        raise ApiError(status_code=413, code="file_too_large", message=f"{zh} / {en}")
    return upload.read()


def extraction_error(error) -> ApiError:
    """The pipeline's own status, code and bilingual message."""
    return ApiError(status_code=error.http_status, code=error.code, message=f"{error.message_zh} / {error.message_en}")


@extend_schema_view(
    list=extend_schema(
        tags=["replies"], responses={200: serializers.DocumentSerializer(many=True), **error_responses(*LIST_ERRORS)}
    ),
    retrieve=extend_schema(
        tags=["replies"], responses={200: serializers.DocumentDetailSerializer, **error_responses(*READ_ERRORS)}
    ),
)
class DocumentViewSet(ConditionalGetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Ingested documents (reply letters, news, reports) the user may see; the text only in the detail."""

    filterset_class = DocumentFilterSet

    def get_queryset(self):
        queryset = Document.objects.visible_to(self.request.user).select_related("response").order_by("-id")
        if self.action == "list":
            return queryset.defer("text", "extraction", "extraction_detail")
        return queryset

    def get_serializer_class(self):
        return serializers.DocumentDetailSerializer if self.action == "retrieve" else serializers.DocumentSerializer


@extend_schema_view(
    list=extend_schema(
        tags=["replies"], responses={200: serializers.ResponseSerializer(many=True), **error_responses(*LIST_ERRORS)}
    ),
    retrieve=extend_schema(
        tags=["replies"], responses={200: serializers.ResponseSerializer, **error_responses(*READ_ERRORS)}
    ),
)
class ResponseViewSet(ConditionalGetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reply letters within the user's scope; POST a letter to log it with the commitments extraction finds."""

    filterset_class = ResponseFilterSet
    serializer_class = serializers.ResponseSerializer

    def get_queryset(self):
        return (
            Response.objects.visible_to(self.request.user)
            .select_related("agency")
            .annotate(commitment_count=Count("commitments"))
        )

    @extend_schema(
        tags=["replies"],
        summary="上传答复函并登记 / log a reply from an uploaded letter",
        request={"multipart/form-data": serializers.ReplyUploadSerializer},
        responses={201: serializers.ResponseSerializer, **error_responses(*WRITE_ERRORS, 409, 413, 415, 422)},
    )
    def create(self, request, *args, **kwargs):
        from responses.extraction import ExtractionError

        user = request.user
        if not (scoping.is_clerk(user) or scoping.is_supervisor(user)):
            raise exceptions.PermissionDenied(
                "只有办理人员或督办人员可以登记答复 / Only clerks and supervisors log replies."
            )
        upload = serializers.ReplyUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        data = read_upload(file)
        try:
            with transaction.atomic():
                response = self._log(data=data, filename=file.name, source=upload.validated_data.get("source", ""))
        except ExtractionError as e:
            raise extraction_error(e)
        response = self.get_queryset().get(pk=response.pk)
        return ApiResponse(self.get_serializer(response).data, status=status.HTTP_201_CREATED)

    def _log(self, *, data: bytes, filename: str, source: str) -> Response:
        from commitments.services import reply_input_from_extraction, reply_log

        user = self.request.user
        ingested = document_ingest(data=data, filename=filename, user=user, source=source)
        document = ingested.document
        existing = Response.objects.filter(document=document).first()
        if existing is None and document.kind != "reply":
            raise ApiError(
                status_code=422,
                code="not_a_reply",
                message="未识别为答复函（无文号、建议编号或标题）/ Not recognised as a reply letter.",
            )
        if existing is None:
            reply = reply_input_from_extraction(ingested.extraction)
            agency = agency_find(reply.agency_name)
            if agency is not None:
                existing = response_find_duplicate(agency=agency, doc_number=reply.doc_number, document=document)
        if existing is not None:
            raise self._conflict(existing)
        response = reply_log(document=document, reply=reply, user=user)
        if not Response.objects.visible_to(user).filter(pk=response.pk).exists():
            # Rolls the whole upload back: a clerk may log only their own agencies' replies.
            raise exceptions.PermissionDenied("该答复不属于您的单位 / This reply is outside your agencies.")
        return response

    def _conflict(self, existing: Response) -> ApiError:
        extra = {}
        if Response.objects.visible_to(self.request.user).filter(pk=existing.pk).exists():
            extra = {
                "existing": {
                    "id": existing.pk,
                    "url": self.request.build_absolute_uri(reverse("api:response-detail", args=[existing.pk])),
                }
            }
        return ApiError(
            status_code=409,
            code="duplicate",
            message="该答复函已登记 / This reply letter was already logged.",
            extra=extra,
        )

    @extend_schema(
        tags=["replies"],
        summary="登记提出人满意度 / record the proposer's satisfaction",
        request=serializers.SatisfactionSerializer,
        responses={200: serializers.ResponseSerializer, **error_responses(*WRITE_ERRORS)},
    )
    @action(detail=True, methods=["post"])
    def satisfaction(self, request, pk=None):
        response = self.get_object()
        payload = serializers.SatisfactionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        satisfaction_record(
            response=response,
            satisfaction=payload.validated_data["satisfaction"],
            channel=payload.validated_data["channel"],
            user=request.user,
        )
        return ApiResponse(self.get_serializer(self.get_queryset().get(pk=response.pk)).data)


class ExtractView(APIView):
    """Run the extraction pipeline on an uploaded file and return the PREDICTION.md JSON; nothing is saved."""

    parser_classes = [parsers.MultiPartParser, parsers.FormParser]

    @extend_schema(
        tags=["extraction"],
        summary="抽取答复函（不保存）/ extract a letter without saving it",
        request={"multipart/form-data": serializers.UploadSerializer},
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="PREDICTION.md: {metadata, commitments}"),
            **error_responses(400, 401, 413, 415, 422, 429),
        },
        examples=[examples.EXTRACT_SEED_000],
    )
    def post(self, request):
        from responses.extraction import ExtractionError, extract_bytes

        upload = serializers.UploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        data = read_upload(file)
        try:
            extraction = extract_bytes(data, file.name, budgets=extraction_budgets())
        except ExtractionError as e:
            raise extraction_error(e)
        return ApiResponse(extraction.to_prediction())


@extend_schema(exclude=True)
class ExtractSlashView(ExtractView):
    """The same endpoint with a trailing slash, for clients that add one."""
