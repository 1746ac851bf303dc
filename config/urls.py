from django.contrib import admin
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy as _

from commitments.admin import check_scope_view

admin.site.site_header = _("落实 Luoshi 管理后台")
admin.site.site_title = _("落实 Luoshi")
admin.site.index_title = _("建议提案答复承诺管理")

urlpatterns: list[URLPattern | URLResolver] = [
    # The site has no icon (its pages say so: <link rel="icon" href="data:,">); the admin's pages do not, so the
    # browser asks for /favicon.ico on each and logged a 404 in the console (session 15). Nothing, without an error.
    path("favicon.ico", lambda request: HttpResponse(status=204), name="favicon"),
    # What escapes supervision or reminders (commitments/integrity.py), linked from the admin index.
    path("admin/check-scope/", admin.site.admin_view(check_scope_view), name="admin-check-scope"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # REST API v1 and its schema (config/api_urls.py: one router for every app's viewsets).
    path("", include("config.api_urls")),
    # Web UI: each app's urls.py.
    path("", include("config.ui_urls")),
]
# No static(MEDIA_URL, …) route in any mode: uploaded letters and evidence are served only by the scoped
# downloads (responses.views.document_file, commitments.views.evidence_file and their API twins).
