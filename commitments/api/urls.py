"""Routes of the commitments app, registered on the one v1 router (config/api_urls.py)."""

from django.urls import path

from . import replies, views

routes = [
    # The replies resource: reads and satisfaction from responses.api, POST (log a reply) from here.
    ("responses", replies.ReplyViewSet, "response"),
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
