"""Filters for commitment lists, shared by the REST API and the supervisor dashboard.

Plain django-filter FilterSets. Id filters are IdFilters (integers) on purpose: a ModelChoiceFilter would fetch
the referenced row on every request only to validate it; an unknown id simply matches nothing.
"""

import datetime as dt
import zoneinfo

import django_filters
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from proposals.choices import ProposalKind
from proposals.filtersets import BooleanFilter, DateTimeFilter, FilterSet, IdFilter, IntFilter, SearchFilter

from .choices import CommitmentStatus, Precision, Strength
from .models import Commitment

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
MAX_DUE_WITHIN_DAYS = 3660


def today_shanghai() -> dt.date:
    """Today's date where the agencies work: "overdue" changes at midnight in Asia/Shanghai, not UTC."""
    return timezone.now().astimezone(SHANGHAI).date()


def agency_match(agency_id: int) -> Q:
    """Commitments `agency_id` is responsible for, as the primary agency or one of the co-responsible agencies."""
    shared = Commitment.agencies.through.objects.filter(commitment_id=OuterRef("pk"), agency_id=agency_id)
    return Q(agency_id=agency_id) | Q(Exists(shared))


class CommitmentFilterSet(FilterSet):
    """Filters of the commitment lists (API and dashboard): status, overdue, deadline windows, scope and text."""

    status = django_filters.MultipleChoiceFilter(choices=CommitmentStatus.choices, distinct=False, label=_("状态"))
    overdue = BooleanFilter(method="filter_overdue", label=_("已逾期"))
    deadline_after = django_filters.DateFilter(field_name="deadline", lookup_expr="gte", label=_("期限不早于"))
    deadline_before = django_filters.DateFilter(field_name="deadline", lookup_expr="lte", label=_("期限不晚于"))
    due_within = IntFilter(
        method="filter_due_within", min_value=0, max_value=MAX_DUE_WITHIN_DAYS, label=_("N 天内到期")
    )
    # `agency` is the primary agency: it walks the (agency, status, deadline) index in deadline order, which
    # keeps ?overdue=true&agency=<id> fast at a million rows. Matching the M2M as well cannot use that order:
    # every commitment's lead agency is also in `agencies`, so the OR visits all of an agency's rows (200 ms
    # for the largest agency at 1M rows, measured). `agencies` is the broader, slower filter.
    agency = IdFilter(field_name="agency_id", label=_("主责单位"))
    agencies = IdFilter(method="filter_agencies", label=_("责任单位（含协办）"))
    # Commitments of news and reports that name no responsible agency: their own row of 单位统计 links here.
    unassigned = BooleanFilter(field_name="agency", lookup_expr="isnull", label=_("未指定责任单位"))
    body = IdFilter(field_name="proposal__session__body_id", label=_("人大/政协"))
    session = IdFilter(field_name="proposal__session_id", label=_("会议"))
    proposal = IdFilter(field_name="proposal_id", label=_("建议/提案"))
    response = IdFilter(field_name="response_id", label=_("答复"))
    kind = django_filters.ChoiceFilter(field_name="proposal__kind", choices=ProposalKind.choices, label=_("类别"))
    strength = django_filters.MultipleChoiceFilter(choices=Strength.choices, distinct=False, label=_("承诺强度"))
    precision = django_filters.MultipleChoiceFilter(choices=Precision.choices, distinct=False, label=_("期限精度"))
    is_key = BooleanFilter(field_name="proposal__is_key", label=_("重点建议/提案"))
    updated_since = DateTimeFilter(field_name="updated_at", lookup_expr="gte", label=_("更新时间不早于"))
    # The commitment's own text (not its item's title): only matching commitments.
    q = SearchFilter(label=_("搜索"))
    ordering = django_filters.OrderingFilter(
        fields=(("deadline", "deadline"), ("updated_at", "updated_at"), ("created_at", "created_at"), ("id", "id")),
        label=_("排序"),
    )

    class Meta:
        model = Commitment
        fields: list[str] = []

    def filter_overdue(self, queryset, name, value):
        today = today_shanghai()
        if value is None:
            return queryset
        if value:
            return queryset.overdue(today)
        return queryset.exclude(status=CommitmentStatus.OPEN, deadline__lt=today)

    def filter_due_within(self, queryset, name, value):
        if value is None:
            return queryset
        today = today_shanghai()
        return queryset.filter(
            status=CommitmentStatus.OPEN, deadline__gte=today, deadline__lte=today + dt.timedelta(days=int(value))
        )

    def filter_agencies(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(agency_match(int(value)))

    @property
    def qs(self):
        queryset = super().qs
        # A stable order for pagination: the chosen order, then the primary key as the tie-breaker.
        order = list(queryset.query.order_by) or ["deadline"]
        if not any(o.lstrip("-") in ("id", "pk") for o in order):
            order.append("-id" if order[-1].startswith("-") else "id")
        return queryset.order_by(*order[:1], *(_undated_last(o) for o in order[1:]))


def _undated_last(key):
    """A later sort key, with the commitments without a deadline after the dated ones among equal earlier keys in
    both directions of `deadline` (PostgreSQL's DESC is NULLS FIRST; session 19). A first key `-deadline` stays the
    plain name: the list pages take their two parts for it (selectors.undated_last), each an ordered index scan."""
    if isinstance(key, str) and key.lstrip("-") == "deadline":
        return F("deadline").desc(nulls_last=True) if key.startswith("-") else F("deadline").asc(nulls_last=True)
    return key
