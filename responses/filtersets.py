"""Filters for reply and document lists (REST API; reusable by the UI)."""

import django_filters

from proposals.filtersets import BooleanFilter, DateTimeFilter, FilterSet, IdFilter, SearchFilter

from .choices import Disclosure, DocumentKind, ReplyCategory, ReviewState, Satisfaction
from .models import Document, Response


class ResponseFilterSet(FilterSet):
    """Filters of the reply list: item, agency, session, category, disclosure, review, satisfaction, dates, text."""

    proposal = IdFilter(field_name="proposal_id", label="建议/提案")
    agency = IdFilter(field_name="agency_id", label="答复单位")
    session = IdFilter(field_name="proposal__session_id", label="会议")
    body = IdFilter(field_name="proposal__session__body_id", label="人大/政协")
    category = django_filters.MultipleChoiceFilter(choices=ReplyCategory.choices, distinct=False, label="答复类别")
    disclosure = django_filters.ChoiceFilter(choices=Disclosure.choices, label="公开属性")
    review_state = django_filters.ChoiceFilter(choices=ReviewState.choices, label="核对状态")
    satisfaction = django_filters.ChoiceFilter(choices=Satisfaction.choices, label="满意度")
    is_draft = BooleanFilter(label="送审稿")
    signed_after = django_filters.DateFilter(field_name="signed_on", lookup_expr="gte", label="签发不早于")
    signed_before = django_filters.DateFilter(field_name="signed_on", lookup_expr="lte", label="签发不晚于")
    updated_since = DateTimeFilter(field_name="updated_at", lookup_expr="gte", label="更新时间不早于")
    # The letter's full text (its document's search index; the 文号 is in the letter's header).
    q = SearchFilter(prefix="document__")
    ordering = django_filters.OrderingFilter(
        fields=(("signed_on", "signed_on"), ("updated_at", "updated_at"), ("id", "id")), label="排序"
    )

    class Meta:
        model = Response
        fields: list[str] = []

    @property
    def qs(self):
        queryset = super().qs
        order = list(queryset.query.order_by) or ["-id"]
        if not any(o.lstrip("-") in ("id", "pk") for o in order):
            order.append("-id" if order[-1].startswith("-") else "id")
        return queryset.order_by(*order)


class DocumentFilterSet(FilterSet):
    """Filters of the document list: kind, upload time and full text."""

    kind = django_filters.ChoiceFilter(choices=DocumentKind.choices, label="类别")
    created_since = DateTimeFilter(field_name="created_at", lookup_expr="gte", label="上传不早于")
    q = SearchFilter()

    class Meta:
        model = Document
        fields: list[str] = []
