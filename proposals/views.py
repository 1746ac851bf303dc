"""Web pages for sign-in, the list of items and the assignment-list import.

An item's page shows its replies and commitments, so it lives above both: `commitments/views/pages.py`.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import importing, panels, scoping
from .forms import AssignmentImportForm, ProposalFilterForm
from .selectors import import_items, import_results, proposal_list

# ------------------------------------------------------------------------------------------------ sign-in


class LoginView(auth_views.LoginView):
    """Django's login; failed attempts are limited by django-axes (accounts/login_protection.py)."""

    redirect_authenticated_user = True


# ------------------------------------------------------------------------------------------------ proposals


@login_required
def proposal_index(request):
    """Items the user may see, filtered by session, status and text, one page at a time."""
    form = ProposalFilterForm(request.GET or None, user=request.user)
    queryset = proposal_list(user=request.user).order_by("-session__year", "session_id", "number")
    if form.is_valid():
        queryset = form.filter(queryset)
    page = Paginator(queryset, settings.UI_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "proposals/proposal_list.html", {"page": page, "form": form, "nav": "proposals"})


# ------------------------------------------------------------------------------------------------ import

IMPORT_SALT = "luoshi.proposals.import"


@login_required
@require_http_methods(["GET", "POST"])
def assignment_import(request):
    """Upload an .xlsx assignment list → dry-run preview with per-row errors → import in one transaction."""
    if not scoping.is_supervisor(request.user):
        raise PermissionDenied(_("只有督办人员可以导入交办清单"))
    context = {"nav": "import"}
    if request.method == "POST" and "plan" in request.POST:
        return _import_apply(request)
    form = AssignmentImportForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                plan = importing.parse_workbook(form.cleaned_data["file"].read(), session=form.cleaned_data["session"])
            except importing.ImportFileError as exc:
                form.add_error("file", str(exc))
                status = 400
            else:
                context.update(
                    plan=plan,
                    session=form.cleaned_data["session"],
                    token=signing.dumps(
                        {"session": form.cleaned_data["session"].pk, "rows": plan.to_payload()},
                        salt=IMPORT_SALT,
                        compress=True,
                    ),
                )
        else:
            status = 400
    context["form"] = form
    return render(request, "proposals/import.html", context, status=status)


def _import_apply(request):
    try:
        payload = signing.loads(request.POST["plan"], salt=IMPORT_SALT, max_age=3600)
    except signing.BadSignature:
        return render(
            request,
            "proposals/import.html",
            {
                "nav": "import",
                "form": AssignmentImportForm(user=request.user),
                "import_error": _("导入数据已失效，请重新上传。"),
            },
            status=400,
        )
    session = get_object_or_404(importing.sessions_for(request.user), pk=payload["session"])
    plan = importing.plan_from_payload(payload["rows"])
    if not plan.ok:
        messages.error(request, _("清单中仍有错误，未导入。"))
        return render(
            request,
            "proposals/import.html",
            {"nav": "import", "plan": plan, "session": session, "form": AssignmentImportForm(user=request.user)},
            status=422,
        )
    result = importing.plan_apply(plan=plan, session=session, user=request.user)
    # The result page is a GET of the import's own record, so a reload does not post the plan again and an import
    # confirmed in another tab has a page of its own (session 16; it was one result kept in the user's session).
    return redirect("proposals:import_result", pk=result.record.pk)


@login_required
@require_http_methods(["GET"])
def assignment_import_done(request):
    """The user's newest import's result (the address of session 15's page), else the import form."""
    if not scoping.is_supervisor(request.user):
        raise PermissionDenied(_("只有督办人员可以导入交办清单"))
    record = import_results(user=request.user).filter(imported_by=request.user).first()
    if record is None:
        return redirect("proposals:import")
    return redirect("proposals:import_result", pk=record.pk)


@login_required
@require_http_methods(["GET"])
def assignment_import_result(request, pk: int):
    """One import's result: what was imported, and what later apps list about those items (the replies logged as
    不对应建议提案 that they now let link: commitments' panel, see proposals/panels.py)."""
    if not scoping.is_supervisor(request.user):
        raise PermissionDenied(_("只有督办人员可以导入交办清单"))
    record = get_object_or_404(import_results(user=request.user), pk=pk)
    items = import_items(user=request.user, record=record)
    return render(
        request,
        "proposals/import_done.html",
        {
            "nav": "import",
            "record": record,
            "session": record.session,
            "count": record.item_count,
            "created": record.created_count,
            "updated": record.item_count - record.created_count,
            "assigned": record.assignment_count,
            "panels": panels.render(request, items, page="import"),
        },
    )
