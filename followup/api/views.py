"""API for follow-through: 回头看 rounds (list, detail with lines, open, report, submit, verify), periods of
recurring duties (list, mark met), ratings (list, rate) and the proposer's own items.

Views only validate input and call `followup.services`, the same functions the web pages call; permissions are
the services' (403), scope is `visible_to` (404).
"""

import django_filters
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, parsers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response as ApiResponse

from commitments.filtersets import today_shanghai
from commitments.models import Commitment
from config.api import DOWNLOAD_RENDERERS, ConditionalGetMixin, JSONParser, evidence_size_ok
from config.api_schema import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, error_responses, file_responses
from proposals import scoping
from proposals.filtersets import BooleanFilter, FilterSet, IdFilter
from proposals.models import Proposal, Proposer
from responses.files import attachment_response
from responses.models import Response

from .. import selectors, services
from ..choices import CollectedBy, RoundOrigin, RoundState
from ..models import CommitmentPeriod, Rating, ReviewItem, ReviewRound
from . import serializers

JSON_ONLY = [JSONParser]
WITH_FILES = [JSONParser, parsers.MultiPartParser, parsers.FormParser]
STATE_ERRORS = (*WRITE_ERRORS, 409)
UPLOAD_ERRORS = (*WRITE_ERRORS, 409, 413)


def _valid(serializer_class, request):
    payload = serializer_class(data=request.data)
    payload.is_valid(raise_exception=True)
    return payload.validated_data


FILE_RESPONSE = file_responses("佐证材料 / evidence file")


# ---------------------------------------------------------------------------------------- rounds


class ReviewRoundFilterSet(FilterSet):
    """The rounds list's filters (session 20: only `state` was read, by hand; a dashboard could not ask for one
    agency's or one session's rounds)."""

    state = django_filters.ChoiceFilter(choices=RoundState.choices, help_text="open / submitted / verified / skipped")
    origin = django_filters.ChoiceFilter(choices=RoundOrigin.choices, help_text="来源 / how the round was opened")
    agency = IdFilter(field_name="agency_id", help_text="回头看单位 / the round's agency")
    session = IdFilter(field_name="session_id", help_text="会议 / the round's session")
    response = IdFilter(field_name="response_id", help_text="答复 / the reply's scheduled rounds")

    class Meta:
        model = ReviewRound
        fields = ["state", "origin", "agency", "session", "response"]


@extend_schema_view(
    list=extend_schema(
        tags=["followup"],
        summary="回头看列表 / rounds in scope",
        responses={200: serializers.ReviewRoundSerializer(many=True), **error_responses(*LIST_ERRORS)},
    ),
    retrieve=extend_schema(
        tags=["followup"],
        summary="回头看详情 / a round with its lines",
        description="每条承诺一行：承办单位的填报（情况、说明、佐证）与督办人员的核实结论。"
        "One line per commitment: the agency's report and the supervisor's verdict.",
        responses={200: serializers.ReviewRoundDetailSerializer, **error_responses(*READ_ERRORS)},
    ),
)
class ReviewRoundViewSet(
    ConditionalGetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """回头看 rounds in the user's scope with their findings (promised vs done), soonest due first.

    Supervisors see their bodies' sessions' rounds and agency-only rounds; clerks their agencies' rounds and
    session-wide rounds that ask about their agency's commitments; proposers none (404).
    """

    serializer_class = serializers.ReviewRoundSerializer
    filterset_class = ReviewRoundFilterSet
    parser_classes = JSON_ONLY

    def get_queryset(self):
        if self.action == "list":
            return selectors.round_list(user=self.request.user)
        return selectors.round_detail(user=self.request.user)

    def get_serializer_class(self):
        return serializers.ReviewRoundSerializer if self.action == "list" else serializers.ReviewRoundDetailSerializer

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> ApiResponse:
        round_ = selectors.round_detail(user=self.request.user).get(pk=pk)
        data = serializers.ReviewRoundDetailSerializer(round_, context=self.get_serializer_context()).data
        return ApiResponse(data, status=code)

    def _line(self, item_id: int) -> ApiResponse:
        item = selectors.round_line(pk=item_id)
        return ApiResponse(serializers.ReviewItemSerializer(item, context=self.get_serializer_context()).data)

    def _item(self, item_id):
        round_ = self.get_object()
        if not str(item_id or "").isdigit() or int(item_id) >= 2**63:
            raise NotFound
        # A line about a commitment outside the user's scope (another agency's, in a shared round) is a 404 too.
        lines = selectors.round_lines(user=self.request.user).filter(round=round_)
        return get_object_or_404(lines.select_related("round", "commitment"), pk=int(item_id))

    @extend_schema(
        tags=["followup"],
        summary="开启回头看 / open a round (supervisors)",
        description="督办人员为一次会议、一个承办单位或二者开启回头看；条目为范围内他可督办的进行中承诺。"
        "A supervisor opens a round for a session, an agency or both; its lines are the open commitments in that "
        "scope that he may act on and that no round not yet verified asks already. Not a supervisor, or another "
        "body's session: 403. Nothing open in scope: 400. Every open commitment in scope already on an open or "
        "submitted round: 409, naming it.",
        request=serializers.RoundOpenInputSerializer,
        responses={201: serializers.ReviewRoundDetailSerializer, **error_responses(*WRITE_ERRORS, 409)},
    )
    def create(self, request):
        if not scoping.is_supervisor(request.user):
            raise PermissionDenied(_("只有督办人员可以开启回头看"))
        d = _valid(serializers.RoundOpenInputSerializer, request)
        round_ = services.review_round_open(
            user=request.user,
            session=d.get("session"),
            agency=d.get("agency"),
            due_on=d["due_on"],
            title=d["title"],
            today=today_shanghai(),
        )
        return self._detail(round_.pk, status.HTTP_201_CREATED)

    @extend_schema(
        tags=["followup"],
        summary="填报一条 / report one line (agency clerks)",
        description="已完成须附佐证（evidence_file 或 evidence_url）；其他情况须说明。actuals 登记目标实际完成值。"
        "仅限待填报的回头看；已提交：409。Done needs evidence; any other state a note. `actuals` records the "
        "values reached for the commitment's targets. Only while the round is open (else 409).",
        request={
            "application/json": serializers.ItemReportInputSerializer,
            "multipart/form-data": serializers.ItemReportInputSerializer,
        },
        responses={200: serializers.ReviewItemSerializer, **error_responses(*UPLOAD_ERRORS)},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"items/(?P<item_id>[0-9]+)/report",
        url_name="item-report",
        parser_classes=WITH_FILES,
    )
    def item_report(self, request, pk=None, item_id=None):
        item = self._item(item_id)
        d = _valid(serializers.ItemReportInputSerializer, request)
        evidence_size_ok(d.get("evidence_file"))
        services.review_item_report(
            item=item,
            user=request.user,
            state=d["state"],
            note=d["note"],
            evidence_file=d.get("evidence_file"),
            evidence_url=d["evidence_url"],
            actuals=d["actuals"],
        )
        return self._line(item.pk)

    @extend_schema(
        tags=["followup"],
        summary="提交 / submit a fully reported round (agency clerks)",
        description="每条都已填报后提交核实；有未填报（或被退回未重报）的：400；已提交：409。"
        "Once every line is reported (returned lines re-reported); lines left: 400; already submitted: 409.",
        request=None,
        responses={200: serializers.ReviewRoundDetailSerializer, **error_responses(*STATE_ERRORS)},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        round_ = self.get_object()
        services.review_round_submit(round_=round_, user=request.user)
        return self._detail(round_.pk)

    @extend_schema(
        tags=["followup"],
        summary="核实 / verify a submitted round (supervisors)",
        description="对已提交回头看的若干条给出结论，全部成功或全部不写入。通过的“已完成”办结承诺（按填报日计），其余记为进展；"
        "退回须说明理由，本轮回到待填报。全部通过后本轮为已核实，提出人可再次评价。"
        "Verdicts on lines of a submitted round, all or none. An accepted done closes the commitment as fulfilled "
        "(dated the day it was reported), other accepted states become progress; a return needs a reason and puts "
        "the round back to open. When every line is accepted the round is verified. Not submitted, or a line "
        "already accepted: 409.",
        request=serializers.RoundVerifyInputSerializer,
        responses={200: serializers.ReviewRoundDetailSerializer, **error_responses(*STATE_ERRORS)},
    )
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        round_ = self.get_object()
        d = _valid(serializers.RoundVerifyInputSerializer, request)
        verdicts = [(v["item"], v["accept"], v["note"]) for v in d["verdicts"]]
        services.review_round_verify(round_=round_, user=request.user, verdicts=verdicts)
        return self._detail(round_.pk)

    @extend_schema(
        tags=["followup"],
        summary="核实一条 / verify one line (supervisors)",
        description="同 verify，仅一条。The same as `verify`, for one line.",
        request=serializers.VerdictInputSerializer,
        responses={200: serializers.ReviewItemSerializer, **error_responses(*STATE_ERRORS)},
    )
    @action(detail=True, methods=["post"], url_path=r"items/(?P<item_id>[0-9]+)/verify", url_name="item-verify")
    def item_verify(self, request, pk=None, item_id=None):
        item = self._item(item_id)
        d = _valid(serializers.VerdictInputSerializer, request)
        services.review_item_verify(item=item, user=request.user, accept=d["accept"], note=d["note"])
        return self._line(item.pk)

    @extend_schema(
        tags=["followup"],
        summary="下载条目佐证 / download a line's evidence file",
        responses=FILE_RESPONSE,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"items/(?P<item_id>[0-9]+)/file",
        url_name="item-file",
        renderer_classes=DOWNLOAD_RENDERERS,
    )
    def item_file(self, request, pk=None, item_id=None):
        item = self._item(item_id)
        if not item.evidence_file:
            raise NotFound
        return attachment_response(item.evidence_file)


# ---------------------------------------------------------------------------------------- periods


class PeriodFilterSet(FilterSet):
    commitment = IdFilter(field_name="commitment_id", help_text="承诺编号 / a commitment's periods")
    met = BooleanFilter(field_name="met_at", lookup_expr="isnull", exclude=True, help_text="已登记完成 / reported met")

    class Meta:
        model = CommitmentPeriod
        fields = ["commitment", "met"]


@extend_schema_view(
    list=extend_schema(
        tags=["followup"],
        summary="周期任务期次 / periods of recurring duties",
        description="可见承诺的期次，按承诺与期次排序；`?commitment=ID` 为一项承诺的全部期次。"
        "Periods of the commitments you may see, by commitment and number; `?commitment=ID` for one duty.",
        responses={200: serializers.PeriodSerializer(many=True), **error_responses(*LIST_ERRORS)},
    ),
    retrieve=extend_schema(
        tags=["followup"], responses={200: serializers.PeriodSerializer, **error_responses(*READ_ERRORS)}
    ),
)
class PeriodViewSet(ConditionalGetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One row per period of a recurring duty (每月/每季度/每半年/每年): due date, met or not, evidence."""

    serializer_class = serializers.PeriodSerializer
    filterset_class = PeriodFilterSet
    parser_classes = WITH_FILES

    def get_queryset(self):
        return selectors.period_list(user=self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": today_shanghai()}

    @extend_schema(
        tags=["followup"],
        summary="登记本期完成 / report a period met (agency clerks)",
        description="须说明本期完成情况，佐证可选；每期一次（再次：409）。提出人：403。"
        "A note is required, evidence optional; once per period (again: 409). Proposers: 403.",
        request={
            "application/json": serializers.PeriodMetInputSerializer,
            "multipart/form-data": serializers.PeriodMetInputSerializer,
        },
        responses={200: serializers.PeriodSerializer, **error_responses(*UPLOAD_ERRORS)},
    )
    @action(detail=True, methods=["post"])
    def met(self, request, pk=None):
        period = self.get_object()
        d = _valid(serializers.PeriodMetInputSerializer, request)
        evidence_size_ok(d.get("evidence_file"))
        period = services.period_mark_met(
            period=period,
            user=request.user,
            note=d["note"],
            evidence_file=d.get("evidence_file"),
            evidence_url=d["evidence_url"],
        )
        return ApiResponse(self.get_serializer(self.get_queryset().get(pk=period.pk)).data)

    @extend_schema(
        tags=["followup"], summary="下载本期佐证 / download a period's evidence file", responses=FILE_RESPONSE
    )
    @action(detail=True, methods=["get"], url_name="file", renderer_classes=DOWNLOAD_RENDERERS)
    def file(self, request, pk=None):
        period = self.get_object()
        if not period.evidence_file:
            raise NotFound
        return attachment_response(period.evidence_file)


# ---------------------------------------------------------------------------------------- ratings


class RatingFilterSet(FilterSet):
    response = IdFilter(field_name="response_id", help_text="答复编号 / ratings of one reply")

    class Meta:
        model = Rating
        fields = ["response", "collected_by"]


@extend_schema_view(
    list=extend_schema(
        tags=["followup"],
        summary="满意度评价 / ratings",
        description="可见答复的全部评价（提出人：本人建议提案的答复），新的在前；`entered_by_staff` 标明代录。"
        "Every rating of the replies you may see, newest first; `entered_by_staff` marks those entered by staff.",
        responses={200: serializers.RatingSerializer(many=True), **error_responses(*LIST_ERRORS)},
    ),
    retrieve=extend_schema(
        tags=["followup"], responses={200: serializers.RatingSerializer, **error_responses(*READ_ERRORS)}
    ),
)
class RatingViewSet(ConditionalGetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Ratings of replies, attitude (态度) and result (结果) apart, with who entered them."""

    serializer_class = serializers.RatingSerializer
    filterset_class = RatingFilterSet
    parser_classes = JSON_ONLY

    def get_queryset(self):
        return selectors.rating_list(user=self.request.user)

    @extend_schema(
        tags=["followup"],
        summary="评价答复 / rate a reply",
        description="提出人评价本人建议提案的答复：态度与结果分开；首次一次，此后每轮回头看后可再评一次（同一轮再评：409）。"
        "承办单位或人大/政协人员代录时 collected_by = agency / body，单独计算。结果不满意：该件转为重新办理。"
        "A proposer rates a reply to his own item, attitude and result apart: once at first and again after each "
        "回头看 (twice in one round: 409). Staff enter a rating on his behalf with `collected_by` agency or body; "
        "it is marked and counted apart. Result `unsatisfied` reopens the item (re-handling). A reply you may "
        "not see: 404; one you may see but not rate: 403.",
        request=serializers.RatingInputSerializer,
        responses={201: serializers.RatingSerializer, **error_responses(*STATE_ERRORS)},
    )
    def create(self, request):
        d = _valid(serializers.RatingInputSerializer, request)
        response = get_object_or_404(
            Response.objects.visible_to(request.user).select_related("proposal__session"), pk=d["response"]
        )
        proposer = None
        if d.get("proposer") is not None:
            if d["collected_by"] != CollectedBy.PROPOSER:
                raise ValidationError({"proposer": [_("代录评价不指定提出人")]})
            proposer = Proposer.objects.filter(pk=d["proposer"]).first()
            if proposer is None:
                raise ValidationError({"proposer": [_("提出人不存在")]})
        rating = services.rating_record(
            response=response,
            user=request.user,
            attitude=d["attitude"],
            result=d["result"],
            comment=d["comment"],
            collected_by=d["collected_by"],
            proposer=proposer,
        )
        rating = Rating.objects.select_related("proposer").get(pk=rating.pk)
        return ApiResponse(self.get_serializer(rating).data, status=status.HTTP_201_CREATED)


# ---------------------------------------------------------------------------------------- the proposer's own items


@extend_schema_view(
    list=extend_schema(
        tags=["followup"],
        summary="我的建议提案 / my items (proposers)",
        description="提出人账户本人的建议提案：答复、每项承诺及其进展（含佐证）、周期期次、承办单位在已提交或已核实"
        "回头看中的填报（`reports`，`verified` 为 false 即待督办核实）、本人评价与当前能否评价。其他账户：403。"
        "The proposer's own items with their replies, every commitment with its progress (and evidence), periods "
        "and the agency's reports in submitted or verified 回头看 rounds (`reports`; `verified: false` is the page's "
        "待督办核实, not yet verified by a supervisor), his ratings and whether he may rate now. Other accounts: 403.",
        responses={200: serializers.MyItemSerializer(many=True), **error_responses(400, 401, 403, 404, 429)},
    ),
)
class MyItemViewSet(ConditionalGetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The API of the proposer's page (/my/): his own items, never another's."""

    serializer_class = serializers.MyItemSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator's anonymous request
            return Proposal.objects.none()
        if not scoping.is_proposer(self.request.user):
            raise PermissionDenied(_("仅限提出人账户"))
        return selectors.proposer_items(user=self.request.user)

    def get_serializer(self, *args, **kwargs):
        if args and self.action == "list":
            replies = [reply for item in args[0] for reply in item.responses.all()]
            rounds = selectors.rating_rounds(response_ids=[r.pk for r in replies])
            kwargs["context"] = {
                **self.get_serializer_context(),
                "today": today_shanghai(),
                "rounds": rounds,
                # The agency's reports in submitted or verified rounds, each `verified` or not: the query /my/ reads
                # for its 待督办核实 lines (s19ui2); none without such a round, as on the page.
                "reports": selectors.reply_reports(replies=replies, rounds=rounds, with_verified=True),
            }
        return super().get_serializer(*args, **kwargs)

    @extend_schema(
        tags=["followup"],
        summary="下载回头看填报佐证 / download a report's evidence file (proposers)",
        description="本人建议提案某项承诺在已提交或已核实回头看中的填报（`reports`）所附佐证材料。其他账户：403；"
        "不在列表中的填报：404。The evidence file of a report listed under one of the proposer's own commitments "
        "(`reports`). Other accounts: 403; a report not listed: 404.",
        responses={**FILE_RESPONSE, **error_responses(403)},
    )
    @action(
        detail=False,
        methods=["get"],
        url_path=r"reports/(?P<report_id>[0-9]+)/file",
        url_name="report-file",
        renderer_classes=DOWNLOAD_RENDERERS,
    )
    def report_file(self, request, report_id=None):
        if not scoping.is_proposer(request.user):
            raise PermissionDenied(_("仅限提出人账户"))
        if not str(report_id or "").isdigit() or int(report_id) >= 2**63:
            raise NotFound
        # His own items' commitments (as listed), within what he may see (as the page's followup:item_evidence).
        mine = Commitment.objects.visible_to(request.user).filter(
            proposal__proposer_links__proposer_id__in=scoping.proposer_ids(request.user)
        )
        line = get_object_or_404(
            ReviewItem.objects.exclude(evidence_file="").filter(commitment_id__in=mine.values("pk")), pk=int(report_id)
        )
        listed = selectors.round_reports(commitment_ids=[line.commitment_id], with_verified=True)
        if not any(r.pk == line.pk for r in listed.get(line.commitment_id, [])):
            raise NotFound
        return attachment_response(line.evidence_file)
