"""Web views of the commitments app, split by sub-domain (DESIGN.md: a module that outgrows one file)."""

from .dashboard import agency_stats, dashboard, dashboard_export, dashboard_export_csv, home
from .detail import (
    change_request_decide,
    closure_verify,
    commitment_close,
    commitment_detail,
    commitment_progress,
    commitment_request,
    evidence_file,
    target_actual,
)
from .reply import reply_edit, reply_link_item, reply_preview, reply_upload

__all__ = [
    "home",
    "dashboard",
    "dashboard_export",
    "dashboard_export_csv",
    "agency_stats",
    "commitment_detail",
    "commitment_progress",
    "commitment_close",
    "commitment_request",
    "change_request_decide",
    "closure_verify",
    "target_actual",
    "evidence_file",
    "reply_upload",
    "reply_preview",
    "reply_edit",
    "reply_link_item",
]
