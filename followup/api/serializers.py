from rest_framework import serializers

from ..models import ReviewItem, ReviewRound


class ReviewItemSerializer(serializers.ModelSerializer):
    """One commitment in a round: the agency's report and the supervisor's verdict."""

    class Meta:
        model = ReviewItem
        fields = [
            "id",
            "commitment",
            "reported_state",
            "note",
            "evidence_url",
            "reported_at",
            "verdict",
            "verdict_note",
            "verified_at",
        ]


class ReviewRoundSerializer(serializers.ModelSerializer):
    """A 回头看 round with its findings: items asked, reported, accepted, and accepted as done."""

    agency_name = serializers.CharField(source="agency.name", default=None, read_only=True)
    session_name = serializers.CharField(source="session.name", default=None, read_only=True)
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
            "items",
            "reported",
            "accepted",
            "done",
        ]
