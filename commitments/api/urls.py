"""Routes of the commitments app, registered on the one v1 router (config/api_urls.py)."""

from django.urls import path

from . import views

routes = [
    ("commitments", views.CommitmentViewSet, "commitment"),
    ("change-requests", views.ChangeRequestViewSet, "change-request"),
]

urlpatterns = [
    path("calendar/<str:token>.ics", views.CalendarFeedView.as_view(), name="calendar-feed"),
    path(
        "calendar/agency/<int:agency_id>/<str:token>.ics",
        views.AgencyCalendarFeedView.as_view(),
        name="calendar-agency-feed",
    ),
]
