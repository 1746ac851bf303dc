"""Routes of the in-app notifications (included under /notifications/ by config/ui_urls.py)."""

from django.urls import path

from . import notifications_views as views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.notification_read, name="read_all"),
    path("<int:pk>/read/", views.notification_read, name="read"),
]
