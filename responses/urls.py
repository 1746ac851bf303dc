"""Reply routes; `detail` (the letter with its commitments) is added in config/ui_urls.py."""

from django.urls import path

from . import views

app_name = "responses"

urlpatterns = [
    path("", views.reply_list, name="list"),
    path("<int:pk>/satisfaction/", views.reply_satisfaction, name="satisfaction"),
    path("documents/<int:pk>/file/", views.document_file, name="document_file"),
]
