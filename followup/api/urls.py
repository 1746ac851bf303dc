"""Routes of the followup app, registered on the one v1 router (config/api_urls.py)."""

from . import views

routes = [
    ("review-rounds", views.ReviewRoundViewSet, "review-round"),
    ("periods", views.PeriodViewSet, "period"),
    ("ratings", views.RatingViewSet, "rating"),
    ("my/items", views.MyItemViewSet, "my-item"),
]

urlpatterns: list = []
