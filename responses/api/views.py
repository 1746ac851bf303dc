"""API for documents and replies: scoped reads, the letter's file as a scoped download, and extraction without saving."""

from django.db.models import Count
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, parsers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response as ApiResponse
from rest_framework.views import APIView

from config.api import DOWNLOAD_RENDERERS, ApiError, ConditionalGetMixin
from config.api_schema import LIST_ERRORS, READ_ERRORS, error_responses, file_responses
from responses import files, selectors
from responses.files import attachment_response
from responses.filtersets import DocumentFilterSet, ResponseFilterSet
from responses.models import Document, Response
from responses.office_files import upload_extract
from responses.services import extraction_budgets

from . import examples, serializers


def read_upload(upload) -> bytes:
    """The uploaded bytes, refusing an oversized file (the one limit, responses.files) before reading it."""
    if files.upload_too_large(upload):
        zh, en = files.upload_too_large_message(upload.size)
        raise ApiError(status_code=413, code="file_too_large", message=f"{zh} / {en}")
    return upload.read()


def extraction_error(error) -> ApiError:
    """The pipeline's own status, code and bilingual message (and which budget, for ``budget_exceeded``)."""
    extra = {"limit": error.limit} if getattr(error, "limit", None) else None
    return ApiError(
        status_code=error.http_status,
        code=error.code,
        message=f"{error.message_zh} / {error.message_en}",
        extra=extra,
    )


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

    @extend_schema(
        tags=["replies"],
        summary="下载原始文件 / download the original file",
        description="原始字节，作为附件（Content-Disposition: attachment，X-Content-Type-Options: nosniff）；"
        "仅限可查看该文档的用户，其他人 404。The original bytes as an attachment, to users who may see the document.",
        responses=file_responses("原始文件 / the original file"),
    )
    @action(detail=True, methods=["get"], url_path="file", url_name="file", renderer_classes=DOWNLOAD_RENDERERS)
    def file(self, request, pk=None):
        try:
            document_id = int(pk or "")
        except ValueError:
            raise Http404
        document = selectors.document_with_file(user=request.user, pk=document_id)
        return attachment_response(document.original, document.original_name)


@extend_schema_view(
    list=extend_schema(
        tags=["replies"], responses={200: serializers.ResponseSerializer(many=True), **error_responses(*LIST_ERRORS)}
    ),
    retrieve=extend_schema(
        tags=["replies"], responses={200: serializers.ResponseSerializer, **error_responses(*READ_ERRORS)}
    ),
)
class ResponseViewSet(ConditionalGetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reply letters within the user's scope.

    Logging a reply (POST) and recording satisfaction are `commitments.api.replies.ReplyViewSet`, routed at the same
    address: a reply becomes commitments in `commitments/reply_logging.py`, and 不满意 notifies the supervisors.
    """

    filterset_class = ResponseFilterSet
    serializer_class = serializers.ResponseSerializer

    def get_queryset(self):
        return (
            Response.objects.visible_to(self.request.user)
            .select_related("agency")
            .annotate(commitment_count=Count("commitments"))
        )


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
        from responses.extraction import ExtractionError

        upload = serializers.UploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        data = read_upload(file)
        try:
            extraction = upload_extract(data, file.name, budgets=extraction_budgets())
        except ExtractionError as e:
            raise extraction_error(e)
        return ApiResponse(extraction.to_prediction())


@extend_schema(exclude=True)
class ExtractSlashView(ExtractView):
    """The same endpoint with a trailing slash, for clients that add one."""
