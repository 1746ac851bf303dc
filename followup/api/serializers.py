"""Serializers of the follow-through API: rounds with their lines, periods, ratings, the proposer's own items,
and the input of every write (validated here, then handed to followup.services)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commitments.api.serializers import ProgressUpdateSerializer, TargetSerializer
from commitments.choices import NOTE_MAX_LENGTH, CommitmentStatus
from commitments.filtersets import today_shanghai
from commitments.models import Commitment
from config.api import InputSerializer
from config.site import absolute_url
from proposals.api.serializers import AgencyBriefSerializer, ProposerLinkSerializer
from proposals.dates import date_validate
from proposals.models import Agency, Proposal, Session
from responses.models import Response

from ..choices import CollectedBy, RatingValue, ReportedState, RoundState, Verdict
from ..models import CommitmentPeriod, Rating, ReviewItem, ReviewRound


def _file_url(serializer, obj, url_name: str, args) -> str | None:
    """The absolute URL of a scoped download (never a /media/ path), or null without a file."""
    if not obj.evidence_file:
        return None
    return absolute_url(reverse(url_name, args=args), serializer.context.get("request"))


# ---------------------------------------------------------------------------------------- output


class LineCommitmentSerializer(serializers.ModelSerializer):
    """The commitment a round asks about, as the line shows it: text, deadline, status and targets."""

    agency = AgencyBriefSerializer(read_only=True, allow_null=True)
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = Commitment
        fields = ["id", "text", "status", "deadline", "deadline_text", "agency", "targets"]


class ReviewItemSerializer(serializers.ModelSerializer):
    """One commitment in a round: the agency's report (state, note, evidence) and the supervisor's verdict."""

    commitment = LineCommitmentSerializer(read_only=True)
    evidence_file = serializers.SerializerMethodField()
    reported_by = serializers.CharField(source="reported_by.username", default=None, allow_null=True, read_only=True)
    verified_by = serializers.CharField(source="verified_by.username", default=None, allow_null=True, read_only=True)

    class Meta:
        model = ReviewItem
        fields = [
            "id",
            "commitment",
            "reported_state",
            "note",
            "evidence_file",
            "evidence_url",
            "reported_by",
            "reported_at",
            "verdict",
            "verdict_note",
            "verified_by",
            "verified_at",
        ]

    def get_evidence_file(self, obj) -> str | None:
        """The absolute URL of the item's evidence download, or null without a file."""
        return _file_url(self, obj, "api:review-round-item-file", [obj.round_id, obj.pk])


class ReviewRoundSerializer(serializers.ModelSerializer):
    """A 回头看 round with its findings: items asked, reported, accepted, and accepted as done."""

    agency_name = serializers.CharField(source="agency.name", default=None, allow_null=True, read_only=True)
    session_name = serializers.CharField(source="session.name", default=None, allow_null=True, read_only=True)
    items = serializers.IntegerField(source="n_items", read_only=True)
    reported = serializers.IntegerField(source="n_reported", read_only=True)
    accepted = serializers.IntegerField(source="n_accepted", read_only=True)
    done = serializers.IntegerField(source="n_done", read_only=True)

    class Meta:
        model = ReviewRound
        fields = [
            "id",
            "title",
            "origin",
            "state",
            "response",
            "offset_months",
            "session",
            "session_name",
            "agency",
            "agency_name",
            "opened_on",
            "due_on",
            "submitted_at",
            "verified_at",
            "covered_by",
            "items",
            "reported",
            "accepted",
            "done",
        ]


class ReviewRoundDetailSerializer(ReviewRoundSerializer):
    """A round with one line per commitment it asks about."""

    lines = ReviewItemSerializer(source="items.all", many=True, read_only=True)
    other_lines = serializers.SerializerMethodField()

    class Meta(ReviewRoundSerializer.Meta):
        fields = [*ReviewRoundSerializer.Meta.fields, "lines", "other_lines"]

    def get_other_lines(self, obj) -> int:
        """Lines about commitments outside the user's scope (another agency's, in a round shared by several):
        counted in `items` and `reported`, not listed."""
        return obj.n_items - len(obj.items.all())


class PeriodSerializer(serializers.ModelSerializer):
    """One period of a recurring duty; `overdue`: not met, the commitment open, the due date past (Asia/Shanghai)."""

    met = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    met_by = serializers.CharField(source="met_by.username", default=None, allow_null=True, read_only=True)
    evidence_file = serializers.SerializerMethodField()

    class Meta:
        model = CommitmentPeriod
        fields = [
            "id",
            "commitment",
            "number",
            "starts_on",
            "due_on",
            "met",
            "overdue",
            "met_at",
            "met_by",
            "note",
            "evidence_file",
            "evidence_url",
        ]

    def get_met(self, obj) -> bool:
        return obj.met_at is not None

    def get_overdue(self, obj) -> bool:
        today = self.context.get("today") or today_shanghai()
        return obj.met_at is None and obj.due_on < today and obj.commitment.status == CommitmentStatus.OPEN

    def get_evidence_file(self, obj) -> str | None:
        """The absolute URL of the period's evidence download, or null without a file."""
        return _file_url(self, obj, "api:period-file", [obj.pk])


class RatingProposerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RatingSerializer(serializers.ModelSerializer):
    """A rating of a reply: attitude and result apart; `collected_by` says who entered it (staff ratings count apart)."""

    proposer = RatingProposerSerializer(read_only=True, allow_null=True)
    entered_by_staff = serializers.SerializerMethodField()

    class Meta:
        model = Rating
        fields = [
            "id",
            "response",
            "proposer",
            "round",
            "attitude",
            "result",
            "comment",
            "collected_by",
            "entered_by_staff",
            "created_at",
        ]

    def get_entered_by_staff(self, obj) -> bool:
        return obj.collected_by != CollectedBy.PROPOSER


class MyReportSerializer(serializers.ModelSerializer):
    """What the agency reported on the commitment in a submitted or verified 回头看 round. `verified` false: a
    supervisor has not verified it yet (the page's 待督办核实); true: accepted, and so also among the commitment's
    `progress_updates`. A round sent back to open, and a round not yet submitted, show nothing."""

    round_title = serializers.CharField(source="round.title", read_only=True)
    round_state = serializers.ChoiceField(choices=RoundState.choices, source="round.state", read_only=True)
    evidence_file = serializers.SerializerMethodField()
    verified = serializers.SerializerMethodField()

    class Meta:
        model = ReviewItem
        fields = [
            "id",
            "round",
            "round_title",
            "round_state",
            "reported_state",
            "note",
            "evidence_file",
            "evidence_url",
            "reported_at",
            "verified",
            "verified_at",
        ]
        read_only_fields = fields

    def get_evidence_file(self, obj) -> str | None:
        """The absolute URL of the report's evidence download (my/items/reports/{id}/file/), or null without a file."""
        return _file_url(self, obj, "api:my-item-report-file", [obj.pk])

    def get_verified(self, obj) -> bool:
        """False until a supervisor accepts the report (待督办核实 on the page)."""
        return obj.verdict == Verdict.ACCEPTED


class MyCommitmentSerializer(LineCommitmentSerializer):
    """A commitment of the proposer's item with its progress (and evidence), for a recurring duty its periods, and
    what the agency reported on it in submitted or verified 回头看 rounds (`reports`, each `verified` or not)."""

    overdue = serializers.SerializerMethodField()
    progress_updates = ProgressUpdateSerializer(many=True, read_only=True)
    periods = PeriodSerializer(many=True, read_only=True)
    reports = serializers.SerializerMethodField()

    class Meta(LineCommitmentSerializer.Meta):
        fields = [
            *LineCommitmentSerializer.Meta.fields,
            "overdue",
            "recurrence",
            "progress_updates",
            "periods",
            "reports",
        ]

    def get_overdue(self, obj) -> bool:
        today = self.context.get("today") or today_shanghai()
        return obj.status == CommitmentStatus.OPEN and obj.deadline is not None and obj.deadline < today

    @extend_schema_field(MyReportSerializer(many=True))
    def get_reports(self, obj) -> list[dict]:
        """The agency's reports in submitted or verified rounds, newest round first (followup.selectors.round_reports,
        the query the proposer's page reads)."""
        lines = self.context.get("reports", {}).get(obj.pk, [])
        return [MyReportSerializer(line, context=self.context).data for line in lines]


class MyReplySerializer(serializers.ModelSerializer):
    """A reply to the proposer's item: the letter, his own ratings, whether he may rate now, and its commitments."""

    agency = AgencyBriefSerializer(read_only=True)
    document_file = serializers.SerializerMethodField()
    ratings = RatingSerializer(many=True, read_only=True)
    rating_round = serializers.SerializerMethodField()
    may_rate = serializers.SerializerMethodField()
    commitments = MyCommitmentSerializer(many=True, read_only=True)

    class Meta:
        model = Response
        fields = [
            "id",
            "agency",
            "doc_number",
            "signed_on",
            "document",
            "document_file",
            "satisfaction",
            "ratings",
            "rating_round",
            "may_rate",
            "commitments",
        ]

    def get_document_file(self, obj) -> str | None:
        """The absolute URL of the letter's download."""
        return absolute_url(reverse("api:document-file", args=[obj.document_id]), self.context.get("request"))

    def get_rating_round(self, obj) -> int | None:
        """The round a rating made now belongs to (null: the first rating, before any 回头看)."""
        round_ = self.context.get("rounds", {}).get(obj.pk)
        return round_.pk if round_ is not None else None

    def get_may_rate(self, obj) -> bool:
        """False once he has rated in the current round; true again after the next 回头看."""
        current = self.get_rating_round(obj)
        return not any(r.round_id == current for r in obj.ratings.all())


class MyItemSerializer(serializers.ModelSerializer):
    """One of the proposer's own items with its replies."""

    session_name = serializers.CharField(source="session.name", read_only=True)
    proposers = ProposerLinkSerializer(source="proposer_links", many=True, read_only=True)
    replies = MyReplySerializer(source="responses", many=True, read_only=True)

    class Meta:
        model = Proposal
        fields = ["id", "kind", "number", "title", "session", "session_name", "status", "proposers", "replies"]


# ---------------------------------------------------------------------------------------- input


class RoundOpenInputSerializer(InputSerializer):
    """A supervisor opens a round by hand: a session, an agency, or both, and a due date after today."""

    session = serializers.PrimaryKeyRelatedField(queryset=Session.objects.all(), required=False, allow_null=True)
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), required=False, allow_null=True)
    due_on = serializers.DateField(validators=[date_validate])
    title = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")

    def validate(self, attrs):
        if attrs.get("session") is None and attrs.get("agency") is None:
            raise serializers.ValidationError({"session": [_("请选择会议或承办单位")]})
        return attrs


class ItemReportInputSerializer(InputSerializer):
    """The agency's report on one line: state, a note (required unless done), evidence (required for done), and
    the values reached for the commitment's targets (`actuals`: {target id: value})."""

    state = serializers.ChoiceField(choices=ReportedState.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH, default="")
    evidence_url = serializers.URLField(required=False, allow_blank=True, max_length=200, default="")
    evidence_file = serializers.FileField(required=False, allow_null=True)
    actuals = serializers.DictField(
        child=serializers.DecimalField(max_digits=24, decimal_places=4),
        required=False,
        default=dict,
        help_text='目标编号 → 实际完成值 / target id → value reached, e.g. {"12": "3.5"} (multipart: actuals.12=3.5)',
    )

    def validate_actuals(self, value):
        out = {}
        for key, number in value.items():
            if not (str(key).isascii() and str(key).isdigit() and 0 < int(key) < 2**63):
                raise serializers.ValidationError(_("键须为目标编号"))
            out[int(key)] = number
        return out

    def validate(self, attrs):
        if attrs["state"] != ReportedState.DONE and not attrs["note"].strip():
            raise serializers.ValidationError({"note": [_("须说明情况（已完成以外均须说明）")]})
        return attrs


class VerdictInputSerializer(InputSerializer):
    """A supervisor's verdict on one line: accept, or return with a reason."""

    accept = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH, default="")

    def validate(self, attrs):
        if not attrs["accept"] and not attrs["note"].strip():
            raise serializers.ValidationError({"note": [_("退回须说明理由")]})
        return attrs


class RoundVerdictInputSerializer(VerdictInputSerializer):
    item = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class RoundVerifyInputSerializer(InputSerializer):
    """Verdicts on lines of a submitted round, applied all or none."""

    verdicts = RoundVerdictInputSerializer(many=True, allow_empty=False)


class PeriodMetInputSerializer(InputSerializer):
    note = serializers.CharField(max_length=NOTE_MAX_LENGTH)
    evidence_url = serializers.URLField(required=False, allow_blank=True, max_length=200, default="")
    evidence_file = serializers.FileField(required=False, allow_null=True)


class RatingInputSerializer(InputSerializer):
    """A rating of a reply. A proposer rates as himself (`proposer`: which of his, when his account speaks for
    several); staff set `collected_by` to agency or body, and the rating is marked as entered by them."""

    response = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    attitude = serializers.ChoiceField(choices=RatingValue.choices)
    result = serializers.ChoiceField(choices=RatingValue.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH, default="")
    collected_by = serializers.ChoiceField(choices=CollectedBy.choices, required=False, default=CollectedBy.PROPOSER)
    proposer = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**63 - 1)
