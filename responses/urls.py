from django.urls import path

from . import views

app_name = "responses"

urlpatterns = [
    path("", views.reply_list, name="list"),
    path("<int:pk>/", views.reply_detail, name="detail"),
    path("<int:pk>/satisfaction/", views.reply_satisfaction, name="satisfaction"),
    path("documents/<int:pk>/file/", views.document_file, name="document_file"),
]
