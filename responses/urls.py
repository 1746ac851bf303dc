"""Reply routes; `detail` (the letter with its commitments) and `satisfaction` are added in config/ui_urls.py."""

from django.urls import path

from . import views

app_name = "responses"

urlpatterns = [
    path("", views.reply_list, name="list"),
    path("documents/<int:pk>/file/", views.document_file, name="document_file"),
]
