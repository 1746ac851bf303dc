"""Filters for proposal lists (REST API; reusable by the UI), and the filter types every FilterSet shares."""

import copy
import datetime as dt

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField

from search.query import search_filter
from search.text import QueryError, parse_query

from .choices import ProposalKind, ProposalStatus
from .models import Assignment, Proposal


class IntFilter(django_filters.NumberFilter):
    """An integer filter (NumberFilter takes decimals: 1.5 would be truncated silently)."""

    field_class = forms.IntegerField


class IdFilter(IntFilter):
    """A primary-key filter: a positive integer that fits a bigint."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class StrictBooleanField(forms.Field):
    """true/false (also 1/0, yes/no, on/off, any case); empty is "not filtered"; anything else is a 400.

    django-filter's BooleanFilter reads its value through NullBooleanSelect, which turns every unknown value
    into "not filtered": ?overdue=maybe silently answered with every row.
    """

    widget = forms.TextInput
    TRUE = frozenset({"true", "1", "yes", "on"})
    FALSE = frozenset({"false", "0", "no", "off"})
    default_error_messages = {"invalid": _("须为 true 或 false")}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class BooleanFilter(django_filters.BooleanFilter):
    """A boolean filter that refuses values other than true/false (see StrictBooleanField)."""

    field_class = StrictBooleanField


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 datetime, converted to UTC before it reaches the database.

    PostgreSQL refuses offsets beyond ±15:59 (`+23:59` parses in Python but fails in the query), and an
    offset can push an instant outside the years 1–9999 that Python can represent: both are bad input (400).
    """

    default_error_messages = {
        "out_of_range": _("时间超出可表示的范围（UTC 1–9999 年）"),
    }

    def to_python(self, value):
        result = super().to_python(value)
        if result is None:
            return None
        try:
            return result.astimezone(dt.UTC)
        except (OverflowError, ValueError):
            raise ValidationError(self.error_messages["out_of_range"], code="out_of_range") from None


class DateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 datetime filter that never lets an unstorable value reach the query (see UtcDateTimeField)."""

    field_class = UtcDateTimeField


class SearchQueryField(forms.CharField):
    """A search term as search.text.parse_query accepts it (blank allowed: no filter)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("strip", False)
        super().__init__(*args, **kwargs)

    def validate(self, value):
        super().validate(value)
        if value and value.strip():
            try:
                parse_query(value)
            except QueryError as exc:
                raise ValidationError(str(exc), code="invalid") from None


class SearchFilter(django_filters.CharFilter):
    """`?q=` of every list, answered by the one search index (search.query; plan in docs/search.md).

    `prefix` points at the searched row from the listed one ("document__" on the reply list).
    """

    field_class = SearchQueryField

    def __init__(self, *args, prefix: str = "", **kwargs):
        self.prefix = prefix
        kwargs.setdefault("label", "搜索")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return search_filter(qs, value, prefix=self.prefix)


class _LightFields(dict):
    """A form's base_fields whose deep copy copies each field one level down, not its whole object graph.

    Form() deep-copies base_fields on every instantiation: for a filter form that means copying every
    choice list and every lazily translated label on every API request (0.7 ms for 18 fields, measured; 0.2 ms this way), to
    guard against per-request changes to them that filter forms never make. A field copy still gets its own
    widget, widget attrs, error messages and validators, which are what forms do change per instance (a
    bound field's rendering, a view adding an attribute); choice lists are shared and never mutated. Fields
    with sub-fields or sub-widgets keep the full deep copy.
    """

    def __deepcopy__(self, memo):
        return {name: _light_copy(field, memo) for name, field in self.items()}


def _light_copy(field: forms.Field, memo) -> forms.Field:
    if isinstance(field, forms.MultiValueField) or isinstance(field.widget, forms.MultiWidget):
        return copy.deepcopy(field, memo)
    result = _copy_instance(field)
    result.widget = widget = _copy_instance(field.widget)
    widget.attrs = field.widget.attrs.copy()
    result.error_messages = field.error_messages.copy()
    result.validators = field.validators[:]
    return result


def _copy_instance(obj):
    # copy.copy() through __reduce_ex__ costs ~8 µs an object; a new instance with a copy of __dict__ is the
    # same shallow copy for these plain classes.
    result = object.__new__(type(obj))
    result.__dict__.update(obj.__dict__)
    return result


class _SharedFields(dict):
    """Base fields that a form which is only validated, never rendered, uses as they are (see FilterSet)."""

    def __deepcopy__(self, memo):
        return dict(self)


class _ValidatedForm(forms.Form):
    """A form that is only bound, validated and read (the API's filters): it shares its class's fields and cleans
    each field straight from the data, without the BoundField objects that rendering needs.

    Cleaning reads a field and its widget and never changes them (Form._clean_fields does the same through a
    BoundField: `field.clean(widget.value_from_datadict(...))`); fields that are disabled, have their own
    `_clean_bound_field` (file fields) or a `clean_<name>` hook on the form take Django's own route.
    """

    def _clean_fields(self):
        plain = forms.Field._clean_bound_field
        for name, field in self.fields.items():
            if field.disabled or type(field)._clean_bound_field is not plain or hasattr(self, f"clean_{name}"):
                bound = self[name]
                try:
                    self.cleaned_data[name] = field._clean_bound_field(bound)
                    if hasattr(self, f"clean_{name}"):
                        self.cleaned_data[name] = getattr(self, f"clean_{name}")()
                except ValidationError as e:
                    self.add_error(name, e)
                continue
            try:
                value = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
                self.cleaned_data[name] = field.clean(value)
            except ValidationError as e:
                self.add_error(name, e)


class FilterSet(django_filters.FilterSet):
    """A FilterSet that copies its filters shallowly and only when used, and builds its form class once per class.

    django-filter deep-copies every filter (lazy-translated choices included) and builds a new form class on
    each request: about half of a list request's Python time before anything reaches the database. Filters
    are not changed after construction, so a copy bound to this FilterSet is enough, made when `filters` is
    first read (a list that only validates its parameters never reads it); the form class is built once and
    its fields are copied one level deep per form (_LightFields). Not for filters whose form field depends on
    the request (a ModelChoiceFilter with a callable queryset): those are refused.

    `validated_form=True` (the API, config.api.FilterBackend.valid_filterset): the form is only validated and
    read, never rendered, so it shares the class's fields instead of copying them (_ValidatedForm).
    """

    validated_form = False

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, validated_form: bool = False):
        # django-filter's BaseFilterSet.__init__, without its copy.deepcopy(base_filters) (see `filters`).
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.validated_form = validated_form

    @property
    def filters(self) -> dict:
        filters = self.__dict__.get("_filters")
        if filters is None:
            filters = {}
            for name, base in self.base_filters.items():
                filter_ = copy.copy(base)
                filter_.model, filter_.parent = self.queryset.model, self
                if filter_.method is not None:
                    filter_.method = filter_.method  # rebinds the FilterMethod to this copy, not to the base filter
                filters[name] = filter_
            self._filters = filters
        return filters

    @filters.setter
    def filters(self, value: dict) -> None:
        self._filters = value

    def get_form_class(self):
        cls = type(self)
        form_class = cls.__dict__.get("_shared_form_class")
        if form_class is None:
            for name, filter_ in self.filters.items():
                if isinstance(filter_, django_filters.filters.QuerySetRequestMixin):
                    raise TypeError(f"{cls.__name__}.{name}: a request-dependent filter cannot share its form")
            form_class = super().get_form_class()
            validated = type(f"Validated{form_class.__name__}", (_ValidatedForm, form_class), {})
            validated.base_fields = _SharedFields(form_class.base_fields)
            form_class.base_fields = _LightFields(form_class.base_fields)
            cls._shared_form_class, cls._validated_form_class = form_class, validated
        return cls.__dict__["_validated_form_class"] if self.validated_form else form_class


class ProposalFilterSet(FilterSet):
    """Filters of the proposal list: session, body, kind, status, key items, assigned agency, dates and text."""

    session = IdFilter(field_name="session_id", label="会议")
    body = IdFilter(field_name="session__body_id", label="人大/政协")
    year = IntFilter(field_name="session__year", min_value=1900, max_value=2200, label="年份")
    kind = django_filters.ChoiceFilter(choices=ProposalKind.choices, label="类别")
    status = django_filters.MultipleChoiceFilter(choices=ProposalStatus.choices, distinct=False, label="状态")
    is_key = BooleanFilter(label="重点建议/提案")
    number = django_filters.CharFilter(label="编号")
    agency = IdFilter(method="filter_agency", label="承办单位")
    reply_due_after = django_filters.DateFilter(field_name="reply_due_on", lookup_expr="gte", label="答复期限不早于")
    reply_due_before = django_filters.DateFilter(field_name="reply_due_on", lookup_expr="lte", label="答复期限不晚于")
    updated_since = DateTimeFilter(field_name="updated_at", lookup_expr="gte", label="更新时间不早于")
    q = SearchFilter()
    ordering = django_filters.OrderingFilter(
        fields=(("number", "number"), ("reply_due_on", "reply_due_on"), ("updated_at", "updated_at"), ("id", "id")),
        label="排序",
    )

    class Meta:
        model = Proposal
        fields: list[str] = []

    def filter_agency(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(Exists(Assignment.objects.filter(proposal=OuterRef("pk"), agency_id=int(value))))

    @property
    def qs(self):
        queryset = super().qs
        order = list(queryset.query.order_by) or ["-id"]
        if not any(o.lstrip("-") in ("id", "pk") for o in order):
            order.append("id")
        return queryset.order_by(*order)
