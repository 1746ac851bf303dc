from django.urls import path

from . import views

app_name = "commitments"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/export.xlsx", views.dashboard_export, name="export"),
    path("dashboard/export.csv", views.dashboard_export_csv, name="export_csv"),
    path("dashboard/agencies/", views.agency_stats, name="agency_stats"),
    path("commitments/<int:pk>/", views.commitment_detail, name="detail"),
    path("commitments/<int:pk>/progress/", views.commitment_progress, name="progress"),
    path("commitments/evidence/<int:pk>/file/", views.evidence_file, name="evidence_file"),
    path("commitments/<int:pk>/close/", views.commitment_close, name="close"),
    path("commitments/<int:pk>/request/", views.commitment_request, name="request"),
    path("commitments/<int:pk>/requests/<int:request_pk>/decide/", views.change_request_decide, name="decide"),
    path("commitments/<int:pk>/verify/", views.closure_verify, name="verify"),
    path("commitments/<int:pk>/targets/<int:target_pk>/actual/", views.target_actual, name="target_actual"),
    path("replies/upload/", views.reply_upload, name="reply_upload"),
    path("replies/new/<int:pk>/", views.reply_preview, name="reply_preview"),
    path("replies/<int:pk>/edit/", views.reply_edit, name="reply_edit"),
    path("replies/<int:pk>/link-item/", views.reply_link_item, name="reply_link_item"),
]
