"""REST API v1: every app's viewsets on one router under /api/v1/ (owned by the API work)."""

urlpatterns: list = []
