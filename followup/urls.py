from django.urls import path

from . import views

app_name = "followup"

urlpatterns = [
    path("followup/", views.board, name="board"),
    path("followup/export.xlsx", views.board_export, name="export"),
    path("followup/export.csv", views.board_export_csv, name="export_csv"),
    path("followup/rounds/open/", views.round_open, name="round_open"),
    path("followup/rounds/<int:pk>/", views.round_detail, name="round"),
    path("followup/rounds/<int:pk>/submit/", views.round_submit, name="round_submit"),
    path("followup/items/<int:pk>/report/", views.item_report, name="item_report"),
    path("followup/items/<int:pk>/verify/", views.item_verify, name="item_verify"),
    path("followup/periods/<int:pk>/met/", views.period_met, name="period_met"),
    path("followup/periods/<int:pk>/file/", views.period_evidence, name="period_evidence"),
    path("followup/items/<int:pk>/file/", views.item_evidence, name="item_evidence"),
    path("my/", views.mine, name="mine"),
    path("my/replies/<int:pk>/rate/", views.rate, name="rate"),
]
