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


class SearchAnswerSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="hits ranked (at most 200 of each kind)")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    terms = serializers.ListField(child=serializers.CharField(), help_text="the normalised terms searched")
    capped = serializers.ListField(child=serializers.CharField(), help_text="kinds with more matches than ranked")
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="hits ranked per kind")
    results = SearchHitSerializer(many=True)
