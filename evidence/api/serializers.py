from rest_framework import serializers

from responses.api.serializers import UploadSerializer

from ..models import EvidenceLink


class EvidenceLinkSerializer(serializers.ModelSerializer):
    """A suggested, accepted or rejected link from a later document's passage to an earlier commitment."""

    commitment_text = serializers.CharField(source="commitment.text", read_only=True)
    target_unit = serializers.CharField(source="target.unit", read_only=True, allow_null=True, default=None)

    class Meta:
        model = EvidenceLink
        fields = [
            "id",
            "commitment",
            "commitment_text",
            "document",
            "start",
            "end",
            "evidence_text",
            "shared",
            "score",
            "outcome",
            "target",
            "actual_value",
            "target_unit",
            "state",
            "decided_by",
            "decided_at",
            "progress_update",
            "created_at",
        ]
        read_only_fields = fields


class EvidenceIngestSerializer(UploadSerializer):
    """A later document to store and match against the open commitments in the caller's scope."""


class EvidenceIngestResultSerializer(serializers.Serializer):
    """The stored document and the suggestions it produced."""

    document = serializers.IntegerField()
    created = serializers.BooleanField()
    links = EvidenceLinkSerializer(many=True)
