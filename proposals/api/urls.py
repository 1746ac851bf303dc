"""Routes of the proposals app, registered on the one v1 router (config/api_urls.py)."""

from . import views

routes = [
    ("bodies", views.BodyViewSet, "body"),
    ("sessions", views.SessionViewSet, "session"),
    ("agencies", views.AgencyViewSet, "agency"),
    ("proposers", views.ProposerViewSet, "proposer"),
    ("proposals", views.ProposalViewSet, "proposal"),
]
