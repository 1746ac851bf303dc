"""Turn a rendered unbound form (its initial values) into POST data, as a browser would submit it."""

import datetime as dt


def form_data(form, data: dict | None = None) -> dict:
    data = {} if data is None else data
    for bound in form:
        value = bound.value()
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif hasattr(value, "pk"):
            value = value.pk
        data[bound.html_name] = str(value)
    return data


def preview_post_data(context) -> dict:
    data = form_data(context["meta_form"])
    formset = context["formset"]
    management = formset.management_form
    for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
        data[management[name].html_name] = str(management[name].value())
    for form in formset.forms:
        form_data(form, data)
    return data
