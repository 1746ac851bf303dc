"""The results page of the header's search box: the same hits as /api/v1/search/, one page at a time."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import OperationalError
from django.shortcuts import render
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from .links import ui_path
from .selectors import KINDS, search
from .text import QueryError

KIND_LABELS = {"document": _("答复/文档"), "commitment": _("承诺"), "proposal": _("建议提案"), "agency": _("承办单位")}


@login_required
def search_page(request):
    """Search results for `q` (and `kind`), ranked, paginated; bad input is shown as a message, status 400."""
    q = request.GET.get("q", "")
    kind = request.GET.get("kind", "")
    kinds = [kind] if kind in KINDS else []
    size = settings.UI_PAGE_SIZE
    try:
        number = max(1, min(int(request.GET.get("page") or 1), 10_000))
    except ValueError:
        number = 1
    context = {"q": q, "kind": kind, "kinds": KIND_LABELS, "nav": "search", "page_number": number}
    status = 200
    if q.strip():
        try:
            result = search(user=request.user, q=q, kinds=kinds, offset=(number - 1) * size, limit=size)
        except QueryError as exc:
            context["error"], status = str(exc), 400
        except OperationalError:
            context["error"] = gettext_now("搜索超时，请使用更具体的搜索词")
            status = 400
        else:
            context.update(
                result=result,
                hits=[(hit, KIND_LABELS[hit.kind], ui_path(hit.kind, hit.obj)) for hit in result.hits],
                has_next=result.total > number * size,
                has_previous=number > 1,
            )
    return render(request, "search/results.html", context, status=status)
