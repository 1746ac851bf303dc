"""Web UI routes (owned by the UI work): sign-in, the home page, and each app's urls.py."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from commitments import views as commitment_views
from proposals.views import RateLimitedLoginView

urlpatterns = [
    path("", commitment_views.home, name="home"),
    path("login/", RateLimitedLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("proposals/", include("proposals.urls")),
    path("replies/", include("responses.urls")),
    path("evidence/", include("evidence.urls")),
    path("", include("commitments.urls")),
    path("notifications/", include("commitments.notification_urls")),
    path("account/", include("accounts.urls")),
]
