"""API for commitments: scoped reads with filters, explicit actions that call the services, and calendar feeds."""

import datetime as dt
import logging

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, parsers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.services import calendar_token_resolve
from commitments import page_sql, selectors
from commitments.choices import CommitmentStatus
from commitments.filtersets import CommitmentFilterSet, agency_match, today_shanghai
from commitments.models import Commitment
from commitments.services import (
    change_request_create,
    commitment_transition,
    extension_decide,
    progress_record,
    target_record_actual,
)
from config.api import (
    DOWNLOAD_RENDERERS,
    AnonymousRateThrottle,
    ConditionalGetMixin,
    FilterBackend,
    JSONParser,
    evidence_size_ok,
)
from config.api_schema import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, error_responses, file_responses
from config.site import absolute_url
from proposals.dates import date_in_range
from proposals.models import Agency
from responses.files import attachment_response

from . import examples, ical, serializers

log = logging.getLogger(__name__)

WRITE_PARSERS = [JSONParser, parsers.MultiPartParser, parsers.FormParser]


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@extend_schema_view(
    list=extend_schema(
        tags=["commitments"],
        responses={200: serializers.CommitmentSerializer(many=True), **error_responses(*LIST_ERRORS)},
    ),
    retrieve=extend_schema(
        tags=["commitments"],
        responses={200: serializers.CommitmentDetailSerializer, **error_responses(*READ_ERRORS)},
        examples=[examples.COMMITMENT_PARK],
    ),
)
class CommitmentViewSet(ConditionalGetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Commitments within the user's scope; progress, closing and change requests are explicit POST actions."""

    filterset_class = CommitmentFilterSet
    filter_backends = [FilterBackend]  # the default; list() calls it itself
    parser_classes = WRITE_PARSERS

    def get_queryset(self):
        user = self.request.user
        if self.action == "retrieve":
            return selectors.commitment_detail_queryset(user=user)
        if self.action == "list":
            agency = _int(self.request.query_params.get("agency"))
            return selectors.commitment_list(user=user, lead_agency_id=agency, for_page=True)
        # Actions load the row alone; the services do their own checks and writes.
        return Commitment.objects.visible_to(user).select_related("proposal__session")

    def list(self, request, *args, **kwargs):
        # The hot path: the page, its total, agencies and targets in one query. A list longer than the query
        # counts takes its total from the tallies where they hold its filters (as the dashboard's), else from a
        # COUNT. The filters are validated first (the same 400s on either path); then PostgreSQL writes the
        # page's JSON (commitments/page_sql.py) where it can express the scope and filters, else the page is
        # the filterset's queryset, read as plain rows and rendered here.
        filterset = FilterBackend().valid_filterset(request, Commitment.objects.all(), self)
        today, tz = today_shanghai(), timezone.get_current_timezone()
        cleaned = filterset.form.cleaned_data
        lead_agency_id = _int(request.query_params.get("agency"))

        def tallied() -> int | None:
            return selectors.list_count(user=request.user, today=today, cleaned=cleaned)

        page = None
        if settings.API_LIST_SQL_JSON:
            page = page_sql.page_query(
                user=request.user, cleaned=cleaned, lead_agency_id=lead_agency_id, today=today, tz=tz
            )
        if page is not None:
            results = self.paginator.paginate_rows(
                request,
                count=lambda: tallied() or page.count(),
                fetch=lambda offset, limit: page.fetch(
                    offset, limit, bound=selectors.PAGE_COUNT_BOUND, count_beyond=tallied
                ),
            )
            return self.get_paginated_response(results)

        filterset.queryset = self.get_queryset()  # not built before: the SQL path does not need it
        queryset = filterset.qs
        rows = self.paginator.paginate_rows(
            request,
            count=lambda: tallied() or queryset.count(),
            fetch=lambda offset, limit: selectors.commitment_page(
                queryset, offset=offset, limit=limit, count_beyond=tallied
            ),
        )
        return self.get_paginated_response([serializers.commitment_representation(r, today, tz) for r in rows])

    def get_serializer_class(self):
        return serializers.CommitmentDetailSerializer if self.action == "retrieve" else serializers.CommitmentSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": today_shanghai()}

    def _detail(self, pk, code=status.HTTP_200_OK) -> Response:
        commitment = selectors.commitment_detail_queryset(user=self.request.user).get(pk=pk)
        data = serializers.CommitmentDetailSerializer(commitment, context=self.get_serializer_context()).data
        return Response(data, status=code)

    @extend_schema(
        tags=["commitments"],
        summary="填报进展 / record progress",
        request={
            "application/json": serializers.ProgressInputSerializer,
            "multipart/form-data": serializers.ProgressInputSerializer,
        },
        responses={201: serializers.ProgressUpdateSerializer, **error_responses(*WRITE_ERRORS, 409, 413)},
        examples=[examples.PROGRESS_INPUT],
    )
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        commitment = self.get_object()
        payload = serializers.ProgressInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        d = payload.validated_data
        evidence_size_ok(d.get("evidence_file"))
        update = progress_record(
            commitment=commitment,
            user=request.user,
            note=d["note"],
            percent=d.get("percent"),
            evidence_file=d.get("evidence_file"),
            evidence_url=d.get("evidence_url", ""),
        )
        return Response(
            serializers.ProgressUpdateSerializer(update, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        tags=["commitments"],
        summary="下载佐证材料 / download an evidence file",
        description="进展的佐证文件，作为附件；仅限可查看该承诺的用户，其他人 404。"
        "A progress update's evidence file as an attachment, to users who may see the commitment.",
        responses=file_responses("佐证材料 / evidence file"),
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"progress/(?P<update_id>[0-9]+)/file",
        url_name="evidence-file",
        renderer_classes=DOWNLOAD_RENDERERS,
    )
    def evidence_file(self, request, pk=None, update_id=None):
        if not (pk or "").isdigit():
            raise NotFound
        update = selectors.evidence_with_file(user=request.user, pk=int(update_id or 0), commitment_id=int(pk or 0))
        return attachment_response(update.evidence_file)

    @extend_schema(
        tags=["commitments"],
        summary="办结、撤回或重新打开 / close or reopen",
        description="fulfilled 须附佐证（evidence_url 或 evidence_file）；partly_fulfilled、missed、withdrawn 须说明理由；"
        "重新打开（open）仅限督办人员。",
        request={
            "application/json": serializers.TransitionInputSerializer,
            "multipart/form-data": serializers.TransitionInputSerializer,
        },
        responses={200: serializers.CommitmentDetailSerializer, **error_responses(*WRITE_ERRORS, 409, 413)},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        commitment = self.get_object()
        payload = serializers.TransitionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        d = payload.validated_data
        evidence_size_ok(d.get("evidence_file"))
        commitment_transition(
            commitment=commitment,
            status=d["status"],
            user=request.user,
            reason=d["reason"],
            evidence_file=d.get("evidence_file"),
            evidence_url=d["evidence_url"],
        )
        return self._detail(commitment.pk)

    @extend_schema(
        tags=["commitments"],
        summary="申请延期或撤回 / request an extension or withdrawal",
        request=serializers.ChangeRequestInputSerializer,
        responses={201: serializers.ChangeRequestSerializer, **error_responses(*WRITE_ERRORS, 409)},
        examples=[examples.EXTENSION_INPUT],
    )
    @action(detail=True, methods=["post"], url_path="change-requests")
    def change_requests(self, request, pk=None):
        commitment = self.get_object()
        payload = serializers.ChangeRequestInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        d = payload.validated_data
        change = change_request_create(
            commitment=commitment,
            user=request.user,
            kind=d["kind"],
            reason=d["reason"],
            requested_deadline=d.get("requested_deadline"),
        )
        return Response(serializers.ChangeRequestSerializer(change).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=["commitments"],
        summary="登记目标实际完成值 / record a target's actual value",
        request=serializers.TargetActualInputSerializer,
        responses={200: serializers.TargetSerializer, **error_responses(*WRITE_ERRORS)},
    )
    @action(detail=True, methods=["post"], url_path=r"targets/(?P<target_id>\d+)/actual")
    def target_actual(self, request, pk=None, target_id=None):
        commitment = self.get_object()
        target = get_object_or_404(commitment.targets.select_related("commitment"), pk=target_id)
        payload = serializers.TargetActualInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        target = target_record_actual(
            target=target, user=request.user, value=payload.validated_data["value"], note=payload.validated_data["note"]
        )
        return Response(serializers.TargetSerializer(target).data)


@extend_schema_view(
    list=extend_schema(
        tags=["commitments"],
        responses={200: serializers.ChangeRequestSerializer(many=True), **error_responses(*LIST_ERRORS)},
    ),
    retrieve=extend_schema(
        tags=["commitments"], responses={200: serializers.ChangeRequestSerializer, **error_responses(*READ_ERRORS)}
    ),
)
class ChangeRequestViewSet(
    ConditionalGetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Extension and withdrawal requests on visible commitments; supervisors decide them."""

    serializer_class = serializers.ChangeRequestSerializer
    filterset_fields = ["state", "kind", "commitment"]

    def get_queryset(self):
        return selectors.change_request_list(user=self.request.user)

    @extend_schema(
        tags=["commitments"],
        summary="批准或驳回 / approve or refuse (supervisors)",
        request=serializers.DecisionInputSerializer,
        responses={200: serializers.ChangeRequestSerializer, **error_responses(*WRITE_ERRORS, 409)},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        change = self.get_object()
        payload = serializers.DecisionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        change = extension_decide(
            change_request=change,
            user=request.user,
            approve=payload.validated_data["approve"],
            note=payload.validated_data["note"],
        )
        change = self.get_queryset().get(pk=change.pk)
        return Response(self.get_serializer(change).data)


# ---------------------------------------------------------------------------------------- calendar feeds

FEED_PAST_DAYS = 365
FEED_MAX_EVENTS = 5000


def _events(queryset, today: dt.date, request=None):
    # Each event links to the commitment's page in the web UI on the real site (SITE_URL, else this request's host).
    for c in queryset:
        if not date_in_range(c.deadline):
            # Written around the services (9999-12-31 has no day after it): one such row must not break the feed.
            log.warning("calendar feed: skipped commitment %s, its deadline %s is out of range", c.pk, c.deadline)
            continue
        late = c.deadline < today
        prefix = "【已逾期】" if late else "【承诺到期】"
        where = c.agency.name if c.agency_id else ""
        description = "\n".join(
            filter(
                None,
                [
                    c.text,
                    f"责任单位：{where}" if where else "",
                    f"期限原文：{c.deadline_text}" if c.deadline_text else "",
                    f"建议/提案：第{c.proposal.number}号 {c.proposal.title}" if c.proposal_id else "",
                ],
            )
        )
        yield ical.Event(
            uid=f"commitment-{c.pk}@luoshi",
            day=c.deadline,
            summary=prefix + c.text[:60],
            description=description,
            url=absolute_url(reverse("commitments:detail", args=[c.pk]), request),
            stamp=c.updated_at,
            categories=(where,) if where else (),
        )


class CalendarFeedBase(APIView):
    """Shared by the feeds: the token in the URL is the credential; errors are JSON, success is text/calendar."""

    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes = [AnonymousRateThrottle]
    renderer_classes = [JSONRenderer]

    def perform_content_negotiation(self, request, force=False):
        # Calendar apps send Accept: text/calendar; the body is built by hand, so never refuse with 406.
        return (JSONRenderer(), "application/json")

    def _token(self, key: str):
        token = calendar_token_resolve(key)
        if token is None:
            raise NotFound(_("日历订阅地址无效或已吊销"))
        return token

    def _feed(self, *, token, name: str, agency_id: int | None = None) -> HttpResponse:
        today = today_shanghai()
        queryset = (
            Commitment.objects.visible_to(token.user)
            .filter(
                status=CommitmentStatus.OPEN,
                deadline__isnull=False,
                deadline__gte=today - dt.timedelta(days=FEED_PAST_DAYS),
            )
            .select_related("agency")
            .only("id", "text", "deadline", "deadline_text", "updated_at", "agency__name", "proposal_id")
            .order_by("deadline", "id")
        )
        if agency_id is not None:
            queryset = queryset.filter(agency_match(agency_id))
        body = ical.calendar(
            name=name,
            events=_events(_with_proposals(queryset[:FEED_MAX_EVENTS]), today, self.request),
            now=timezone.now(),
        )
        response = HttpResponse(body.encode(), content_type="text/calendar; charset=utf-8")
        response["Cache-Control"] = "private, max-age=900"
        return response


def _with_proposals(queryset):
    from proposals.models import Proposal

    rows = list(queryset)
    ids = {c.proposal_id for c in rows if c.proposal_id}
    proposals = Proposal.objects.only("id", "number", "title").in_bulk(ids)
    for c in rows:
        if c.proposal_id:
            c.proposal = proposals[c.proposal_id]
    return rows


ICS = {
    (200, "text/calendar"): OpenApiResponse(OpenApiTypes.STR, description="iCalendar (RFC 5545)"),
    **error_responses(404, 429),
}


class CalendarFeedView(CalendarFeedBase):
    """A user's open deadlines (within their scope) as an iCalendar feed; the URL is secret and revocable."""

    @extend_schema(tags=["calendar"], summary="我的承诺期限日历 / my deadlines (.ics)", auth=[], responses=ICS)
    def get(self, request, token: str):
        return self._feed(token=self._token(token), name="落实 · 承诺期限")


class AgencyCalendarFeedView(CalendarFeedBase):
    """One agency's open deadlines, limited to what the token's user may see."""

    @extend_schema(
        tags=["calendar"],
        summary="单位承诺期限日历 / an agency's deadlines (.ics)",
        auth=[],
        parameters=[OpenApiParameter("agency_id", int, OpenApiParameter.PATH)],
        responses=ICS,
    )
    def get(self, request, agency_id: int, token: str):
        calendar_token = self._token(token)
        agency = Agency.objects.filter(pk=agency_id).only("name").first()
        if agency is None:
            raise NotFound(_("单位不存在"))
        return self._feed(token=calendar_token, name=f"落实 · {agency.name} 承诺期限", agency_id=agency.pk)
