from django.conf import settings
from django.contrib import admin
from django.urls import path
from django.views.generic import TemplateView

admin.site.site_header = "落实 Luoshi 管理后台"
admin.site.site_title = "落实 Luoshi"
admin.site.index_title = "建议提案答复承诺管理"

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
