import datetime as dt

from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers

from commitments.choices import NOTE_MAX_LENGTH, ChangeKind, CommitmentStatus
from commitments.filtersets import today_shanghai
from commitments.models import ChangeRequest, Commitment, ProgressUpdate, Target
from commitments.selectors import PAGE_COLUMNS
from config.api import InputSerializer
from config.site import absolute_url
from proposals.api.serializers import AgencyBriefSerializer
from proposals.dates import date_validate


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["id", "text", "value", "unit", "actual_value", "actual_recorded_on", "actual_note"]


class ProgressUpdateSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", default=None, allow_null=True, read_only=True)
    evidence_file = serializers.SerializerMethodField()

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "commitment",
            "author",
            "note",
            "percent",
            "evidence_file",
            "evidence_url",
            "status_from",
            "status_to",
            "created_at",
        ]

    def get_evidence_file(self, obj) -> str | None:
        """The absolute URL of the scoped download (never a /media/ path), or null without a file."""
        if not obj.evidence_file:
            return None
        path = reverse("api:commitment-evidence-file", args=[obj.commitment_id, obj.pk])
        return absolute_url(path, self.context.get("request"))


class ChangeRequestSerializer(serializers.ModelSerializer):
    requested_by = serializers.CharField(source="requested_by.username", default=None, allow_null=True, read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", default=None, allow_null=True, read_only=True)

    class Meta:
        model = ChangeRequest
        fields = [
            "id",
            "commitment",
            "kind",
            "requested_deadline",
            "reason",
            "requested_by",
            "requested_at",
            "state",
            "decided_by",
            "decided_at",
            "decision_note",
        ]


class CommitmentSerializer(serializers.ModelSerializer):
    """A commitment as list rows show it; `overdue` is derived with today's date in Asia/Shanghai."""

    agency = AgencyBriefSerializer(read_only=True, allow_null=True)
    agencies = AgencyBriefSerializer(many=True, read_only=True)
    session = serializers.IntegerField(source="proposal.session_id", default=None, allow_null=True, read_only=True)
    overdue = serializers.SerializerMethodField()
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = Commitment
        fields = [
            "id",
            "text",
            "status",
            "overdue",
            "strength",
            "deadline",
            "deadline_text",
            "precision",
            "is_vague",
            "recurrence",
            "agency",
            "agencies",
            "agency_names",
            "proposal",
            "session",
            "response",
            "document",
            "section",
            "section_kind",
            "start",
            "end",
            "targets",
            "owner",
            "closed_on",
            "created_at",
            "updated_at",
        ]

    def get_overdue(self, obj) -> bool:
        today = self.context.get("today") or today_shanghai()
        return obj.status == CommitmentStatus.OPEN and obj.deadline is not None and obj.deadline < today

    def to_representation(self, c):
        return commitment_representation(commitment_row(c), self.context.get("today") or today_shanghai())


# The list is the hot path (dashboards sync it): the generic field machinery cost more than the database for a
# page of 50, so the declared fields above (which drive the schema) are rendered by hand, from one row shape
# that both the list (selectors.commitment_page, one query) and instances (commitment_row) produce. DRF's own
# field formats decimals; datetimes are formatted as its DateTimeField does (tested equal).
_DECIMAL = serializers.DecimalField(max_digits=24, decimal_places=4)


def _date(value):
    return value.isoformat() if value is not None else None


def commitment_row(c: Commitment) -> dict:
    """An instance (with agencies and targets prefetched) as the plain row selectors.commitment_page returns."""
    return {
        **{name: getattr(c, name) for name in _INSTANCE_COLUMNS},
        # No query when the key is null: the descriptor answers None without fetching.
        "agency__name": c.agency.name if c.agency is not None else None,
        "proposal__session_id": c.proposal.session_id if c.proposal is not None else None,
        "agency_list": [{"id": a.pk, "name": a.name} for a in c.agencies.all()],
        "target_list": [
            {
                "id": t.pk,
                "text": t.text,
                "value": t.value,
                "unit": t.unit,
                "actual_value": t.actual_value,
                "actual_recorded_on": _date(t.actual_recorded_on),
                "actual_note": t.actual_note,
            }
            for t in c.targets.all()
        ],
    }


# The page's own columns; the two joined ones (agency__name, proposal__session_id) are read through relations.
_INSTANCE_COLUMNS = tuple(name for name in PAGE_COLUMNS if "__" not in name)


def _datetime(value: dt.datetime, tz) -> str:
    # DRF's DateTimeField with DATETIME_FORMAT "iso-8601", minus its per-call settings and timezone lookups.
    text = value.astimezone(tz).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def commitment_representation(row: dict, today: dt.date, tz=None) -> dict:
    """A commitment row in the shape CommitmentSerializer declares; `overdue` is derived from `today`.

    `tz` is the current time zone (looked up once per page by the caller when rendering many rows).
    """
    dec, date, deadline = _DECIMAL, _date, row["deadline"]
    tz = tz or timezone.get_current_timezone()
    return {
        "id": row["id"],
        "text": row["text"],
        "status": row["status"],
        "overdue": row["status"] == CommitmentStatus.OPEN and deadline is not None and deadline < today,
        "strength": row["strength"],
        "deadline": date(deadline),
        "deadline_text": row["deadline_text"],
        "precision": row["precision"],
        "is_vague": row["is_vague"],
        "recurrence": row["recurrence"],
        "agency": {"id": row["agency_id"], "name": row["agency__name"]} if row["agency_id"] else None,
        "agencies": [{"id": a["id"], "name": a["name"]} for a in row["agency_list"] or ()],
        "agency_names": row["agency_names"],
        "proposal": row["proposal_id"],
        "session": row["proposal__session_id"],
        "response": row["response_id"],
        "document": row["document_id"],
        "section": row["section"],
        "section_kind": row["section_kind"],
        "start": row["start"],
        "end": row["end"],
        "targets": [
            {
                "id": t["id"],
                "text": t["text"],
                "value": dec.to_representation(t["value"]),
                "unit": t["unit"],
                "actual_value": None if t["actual_value"] is None else dec.to_representation(t["actual_value"]),
                "actual_recorded_on": t["actual_recorded_on"],
                "actual_note": t["actual_note"],
            }
            for t in row["target_list"] or ()
        ],
        "owner": row["owner_id"],
        "closed_on": date(row["closed_on"]),
        "created_at": _datetime(row["created_at"], tz),
        "updated_at": _datetime(row["updated_at"], tz),
    }


class CommitmentDetailSerializer(CommitmentSerializer):
    progress_updates = ProgressUpdateSerializer(many=True, read_only=True)
    change_requests = ChangeRequestSerializer(many=True, read_only=True)

    def to_representation(self, c):
        return {
            **super().to_representation(c),
            "progress_updates": ProgressUpdateSerializer(
                c.progress_updates.all(), many=True, context=self.context
            ).data,
            "change_requests": ChangeRequestSerializer(c.change_requests.all(), many=True).data,
        }

    class Meta(CommitmentSerializer.Meta):
        fields = [*CommitmentSerializer.Meta.fields, "progress_updates", "change_requests"]


class ProgressInputSerializer(InputSerializer):
    note = serializers.CharField(max_length=NOTE_MAX_LENGTH)
    percent = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=100)
    evidence_url = serializers.URLField(required=False, allow_blank=True, max_length=200)
    evidence_file = serializers.FileField(required=False, allow_null=True)


class TransitionInputSerializer(InputSerializer):
    status = serializers.ChoiceField(choices=CommitmentStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH, default="")
    evidence_url = serializers.URLField(required=False, allow_blank=True, max_length=200, default="")
    evidence_file = serializers.FileField(required=False, allow_null=True)


class ChangeRequestInputSerializer(InputSerializer):
    kind = serializers.ChoiceField(choices=ChangeKind.choices)
    reason = serializers.CharField(max_length=NOTE_MAX_LENGTH)
    requested_deadline = serializers.DateField(required=False, allow_null=True, validators=[date_validate])


class DecisionInputSerializer(InputSerializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH, default="")


class TargetActualInputSerializer(InputSerializer):
    value = serializers.DecimalField(max_digits=24, decimal_places=4)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
