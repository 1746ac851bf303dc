from django.urls import reverse
from rest_framework import serializers

from config.api import InputSerializer
from config.site import absolute_url
from proposals.api.serializers import AgencyBriefSerializer
from proposals.models import Agency
from responses.choices import Satisfaction, SatisfactionChannel
from responses.models import Document, Response


class DocumentSerializer(serializers.ModelSerializer):
    response = serializers.SerializerMethodField()
    file = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "title",
            "original_name",
            "source",
            "content_hash",
            "size",
            "file",
            "response",
            "created_at",
        ]

    def get_file(self, obj) -> str | None:
        """The absolute URL of the scoped download of the original file, or null when none was stored."""
        if not obj.original:
            return None
        return absolute_url(reverse("api:document-file", args=[obj.pk]), self.context.get("request"))

    def get_response(self, obj) -> int | None:
        response = getattr(obj, "response", None)
        return response.pk if response is not None else None


class DocumentDetailSerializer(DocumentSerializer):
    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "text", "extraction"]


class ResponseSerializer(serializers.ModelSerializer):
    agency = AgencyBriefSerializer(read_only=True)
    commitment_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Response
        fields = [
            "id",
            "document",
            "proposal",
            "agency",
            "doc_number",
            "signed_on",
            "issued_on",
            "category",
            "disclosure",
            "is_draft",
            "contact_name",
            "contact_phones",
            "cc",
            "review_state",
            "satisfaction",
            "satisfaction_channel",
            "satisfaction_recorded_at",
            "rehandling_of",
            "commitment_count",
            "created_at",
            "updated_at",
        ]


class UploadSerializer(InputSerializer):
    file = serializers.FileField(help_text="答复函文件（.txt、.docx、.pdf、.html）/ the reply letter")


class ReplyUploadSerializer(UploadSerializer):
    # A declared field named like Field.source: DRF's metaclass moves it off the class, the stubs cannot know.
    source = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,  # type: ignore[assignment]
        help_text="来源网址或说明 / where the file came from",
    )
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(),
        required=False,
        help_text="以该单位名义登记（默认：来函单位）/ log as this agency (default: the letter's issuing agency)",
    )
    agency_confirmed = serializers.BooleanField(
        required=False,
        default=False,
        help_text="来函单位不同时确认以 agency 登记，与网页的确认框相同 / confirm logging as `agency` when the letter "
        "was issued by another agency, as the preview's checkbox does",
    )


class SatisfactionSerializer(InputSerializer):
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)
    channel = serializers.ChoiceField(choices=SatisfactionChannel.choices)
