from rest_framework import serializers

from proposals.models import Agency, Assignment, Body, Proposal, ProposalProposer, Proposer, Session


class BodySerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Body
        fields = ["id", "name", "kind", "kind_label", "jurisdiction", "reply_months"]


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
        fields = ["id", "body", "term", "meeting", "year", "name"]


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "short_name", "aliases", "jurisdiction", "parent"]


class AgencyBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name"]


class ProposerSerializer(serializers.ModelSerializer):
    """Name and kind only: contact details of deputies stay inside the UI."""

    class Meta:
        model = Proposer
        fields = ["id", "name", "kind"]


class ProposerLinkSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="proposer.id", read_only=True)
    name = serializers.CharField(source="proposer.name", read_only=True)
    kind = serializers.CharField(source="proposer.kind", read_only=True)

    class Meta:
        model = ProposalProposer
        fields = ["id", "name", "kind", "role"]


class AssignmentSerializer(serializers.ModelSerializer):
    agency = AgencyBriefSerializer(read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "agency", "role", "assigned_on", "due_on", "answered_on"]


class ProposalSerializer(serializers.ModelSerializer):
    body = serializers.IntegerField(source="session.body_id", read_only=True)
    proposers = ProposerLinkSerializer(source="proposer_links", many=True, read_only=True)
    assignments = AssignmentSerializer(many=True, read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "session",
            "body",
            "kind",
            "number",
            "title",
            "summary",
            "proposers",
            "is_key",
            "lead_official",
            "supervising_official",
            "assigned_on",
            "reply_due_on",
            "status",
            "assignments",
            "created_at",
            "updated_at",
        ]
