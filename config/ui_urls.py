"""Web UI routes (owned by the UI work): sign-in, the home page, and each app's urls.py."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from commitments import views as commitment_views
from commitments.views import pages
from followup import views as followup_views
from proposals import urls as proposal_urls
from proposals.views import LoginView
from responses import urls as response_urls

# An item's page and a letter's page read all three apps, so their views live in commitments (the top of the
# dependency order); they join their apps' namespaces here, where every app is in view.
proposal_routes = [*proposal_urls.urlpatterns, path("<int:pk>/", pages.proposal_detail, name="detail")]
response_routes = [
    *response_urls.urlpatterns,
    path("<int:pk>/", pages.reply_detail, name="detail"),
    path("<int:pk>/satisfaction/", pages.reply_satisfaction, name="satisfaction"),
]

urlpatterns = [
    path("", commitment_views.home, name="home"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("proposals/", include((proposal_routes, proposal_urls.app_name))),
    path("replies/", include((response_routes, response_urls.app_name))),
    # The per-agency table with the proposers' own and the staff-entered 满意率 apart (followup reads ratings,
    # which commitments cannot); matched before commitments.urls, so `commitments:agency_stats` still names it.
    path("dashboard/agencies/", followup_views.agency_stats),
    path("evidence/", include("evidence.urls")),
    path("", include("commitments.urls")),
    path("", include("followup.urls")),
    path("notifications/", include("commitments.notification_urls")),
    path("account/", include("accounts.urls")),
    path("search/", include("search.urls")),
]
