from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("tokens/", views.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("calendar/", views.calendar_create, name="calendar_create"),
    path("calendar/<int:pk>/revoke/", views.calendar_revoke, name="calendar_revoke"),
]
