"""The search answer's hit: kind, id, rank, title, highlighted snippet and its two links."""

from rest_framework import serializers


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["document", "commitment", "proposal", "agency"])
    id = serializers.IntegerField()
    rank = serializers.FloatField()
    title = serializers.CharField()
    snippet = serializers.CharField(help_text="HTML: the text escaped, the matched words in <mark>")
    url = serializers.URLField(help_text="the page in the web UI")
    api_url = serializers.URLField(help_text="the resource in this API")


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=True, allow_blank=True, trim_whitespace=False)
    kind = serializers.MultipleChoiceField(choices=["document", "commitment", "proposal", "agency"], required=False)
