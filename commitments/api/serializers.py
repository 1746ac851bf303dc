from rest_framework import serializers

from commitments.choices import ChangeKind, CommitmentStatus
from commitments.filtersets import today_shanghai
from commitments.models import ChangeRequest, Commitment, ProgressUpdate, Target
from proposals.api.serializers import AgencyBriefSerializer


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["id", "text", "value", "unit", "actual_value", "actual_recorded_on", "actual_note"]


class ProgressUpdateSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", default=None, read_only=True)
    evidence_file = serializers.SerializerMethodField()

    class Meta:
        model = ProgressUpdate
        fields = ["id", "commitment", "author", "note", "percent", "evidence_file", "evidence_url", "status_from",
                  "status_to", "created_at"]

    def get_evidence_file(self, obj) -> str | None:
        return obj.evidence_file.name or None


class ChangeRequestSerializer(serializers.ModelSerializer):
    requested_by = serializers.CharField(source="requested_by.username", default=None, read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", default=None, read_only=True)

    class Meta:
        model = ChangeRequest
        fields = ["id", "commitment", "kind", "requested_deadline", "reason", "requested_by", "requested_at", "state",
                  "decided_by", "decided_at", "decision_note"]


class CommitmentSerializer(serializers.ModelSerializer):
    """A commitment as list rows show it; `overdue` is derived with today's date in Asia/Shanghai."""

    agency = AgencyBriefSerializer(read_only=True)
    agencies = AgencyBriefSerializer(many=True, read_only=True)
    session = serializers.IntegerField(source="proposal.session_id", default=None, read_only=True)
    overdue = serializers.SerializerMethodField()
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = Commitment
        fields = [
            "id", "text", "status", "overdue", "strength", "deadline", "deadline_text", "precision", "is_vague",
            "recurrence", "agency", "agencies", "agency_names", "proposal", "session", "response", "document",
            "section", "section_kind", "start", "end", "targets", "owner", "closed_on", "created_at", "updated_at",
        ]

    def get_overdue(self, obj) -> bool:
        today = self.context.get("today") or today_shanghai()
        return obj.status == CommitmentStatus.OPEN and obj.deadline is not None and obj.deadline < today


class CommitmentDetailSerializer(CommitmentSerializer):
    progress_updates = ProgressUpdateSerializer(many=True, read_only=True)
    change_requests = ChangeRequestSerializer(many=True, read_only=True)

    class Meta(CommitmentSerializer.Meta):
        fields = [*CommitmentSerializer.Meta.fields, "progress_updates", "change_requests"]


class ProgressInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000)
    percent = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=100)
    evidence_url = serializers.URLField(required=False, allow_blank=True, max_length=200)
    evidence_file = serializers.FileField(required=False, allow_null=True)


class TransitionInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CommitmentStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    evidence_url = serializers.URLField(required=False, allow_blank=True, max_length=200, default="")
    evidence_file = serializers.FileField(required=False, allow_null=True)


class ChangeRequestInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ChangeKind.choices)
    reason = serializers.CharField(max_length=5000)
    requested_deadline = serializers.DateField(required=False, allow_null=True)


class DecisionInputSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


class TargetActualInputSerializer(serializers.Serializer):
    value = serializers.DecimalField(max_digits=24, decimal_places=4)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
