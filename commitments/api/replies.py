"""API for logging a reply: POST /api/v1/responses/ (a letter in, the reply and its commitments out).

The reads and the satisfaction action of the same resource are `responses.api.views.ResponseViewSet`; this subclass
adds the write because a reply becomes commitments in `commitments/reply_logging.py`, above `responses` in the
dependency order.
"""

import dataclasses

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response as ApiResponse

from config.api import ApiError
from config.api_schema import WRITE_ERRORS, error_responses
from proposals import scoping
from proposals.errors import Conflict
from proposals.models import Agency
from proposals.selectors import agency_find
from responses.api import serializers
from responses.api.views import ResponseViewSet, extraction_error, read_upload
from responses.choices import FeedbackSource
from responses.extraction import ExtractionError
from responses.models import Response
from responses.services import document_ingest, reply_agency_check, response_claim, response_find_duplicate

from ..reply_logging import reply_input_from_extraction, reply_log
from ..services import reply_rate


class ReplyViewSet(mixins.CreateModelMixin, ResponseViewSet):
    """Reply letters within the user's scope; POST a letter to log it with the commitments extraction finds."""

    @extend_schema(
        tags=["replies"],
        summary="上传答复函并登记 / log a reply from an uploaded letter",
        request={"multipart/form-data": serializers.ReplyUploadSerializer},
        responses={201: serializers.ResponseSerializer, **error_responses(*WRITE_ERRORS, 409, 413, 415, 422)},
    )
    def create(self, request, *args, **kwargs):

        user = request.user
        if not (scoping.is_clerk(user) or scoping.is_supervisor(user)):
            raise exceptions.PermissionDenied(_("只有办理人员或督办人员可以登记答复"))
        upload = serializers.ReplyUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        data = read_upload(file)
        try:
            with transaction.atomic():
                response = self._log(
                    data=data,
                    filename=file.name,
                    source=upload.validated_data.get("source", ""),
                    agency=upload.validated_data.get("agency"),
                    confirmed=upload.validated_data.get("agency_confirmed", False),
                )
        except ExtractionError as e:
            raise extraction_error(e)
        response = self.get_queryset().get(pk=response.pk)
        return ApiResponse(self.get_serializer(response).data, status=status.HTTP_201_CREATED)

    def _log(self, *, data: bytes, filename: str, source: str, agency: Agency | None, confirmed: bool) -> Response:
        user = self.request.user
        ingested = document_ingest(data=data, filename=filename, user=user, source=source)
        document = ingested.document
        try:
            # Locks the document: an identical upload running concurrently waits here, then gets the 409 below.
            response_claim(document=document)
            existing = None
        except Conflict as exc:
            existing = exc.existing
        if existing is None and document.kind != "reply":
            raise ApiError(
                status_code=422,
                code="not_a_reply",
                message=_("未识别为答复函（无文号、建议编号或标题）"),
            )
        if existing is None:
            meta = ingested.extraction.metadata
            letter_agency = agency_find(meta.agency or meta.lead_agency or "")
            # The same rule as the preview (responses.services.reply_agency_check): logged as the letter's agency, or
            # as another one the user acts for only with `agency_confirmed`.
            chosen = agency or letter_agency
            if chosen is not None:
                reply_agency_check(user=user, agency=chosen, letter_agency=letter_agency, confirmed=confirmed)
            reply = reply_input_from_extraction(ingested.extraction, user=user, feedback_source=FeedbackSource.API)
            if agency is not None:
                reply = dataclasses.replace(reply, agency_name=agency.name)
            agency = agency_find(reply.agency_name)
            if agency is not None:
                existing = response_find_duplicate(agency=agency, doc_number=reply.doc_number, document=document)
        if existing is not None:
            raise self._conflict(existing)
        response = reply_log(document=document, reply=reply, user=user)
        if not Response.objects.visible_to(user).filter(pk=response.pk).exists():
            # Rolls the whole upload back: a clerk may log only their own agencies' replies.
            raise exceptions.PermissionDenied(_("该答复不属于您的单位"))
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
            message=_("该答复函已登记"),
            extra=extra,
        )

    @extend_schema(
        tags=["replies"],
        summary="登记提出人满意度 / record the proposer's satisfaction",
        request=serializers.SatisfactionSerializer,
        responses={200: serializers.ResponseSerializer, **error_responses(*WRITE_ERRORS, 409)},
    )
    @action(detail=True, methods=["post"])
    def satisfaction(self, request, pk=None):
        response = self.get_object()
        # Staff record a rating and who collected it; a proposer (who may read the reply) rates on his own page.
        if not (scoping.is_clerk(request.user) or scoping.is_supervisor(request.user)):
            raise exceptions.PermissionDenied(_("提出人请在“我的建议提案”页面评价"))
        payload = serializers.SatisfactionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        reply_rate(
            response=response,
            satisfaction=payload.validated_data["satisfaction"],
            channel=payload.validated_data["channel"],
            user=request.user,
        )
        return ApiResponse(self.get_serializer(self.get_queryset().get(pk=response.pk)).data)
