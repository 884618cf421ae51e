from django.urls import path

from eed.calendar import views as calendar_views
from eed.ceremonies import link_views, views
from eed.counts import views as counts_views
from eed.dilemma import views as dilemma_views
from eed.planner import views as planner_views
from eed.proofs import verify_views
from eed.proofs import views as proofs_views

urlpatterns = [
    path("ceremonies/", views.ceremony_list, name="ceremony_list"),
    path("ceremonies/new/", views.ceremony_create, name="ceremony_create"),
    path("ceremonies/<int:pk>/", views.ceremony_detail, name="ceremony_detail"),
    path("ceremonies/<int:pk>/edit/", views.ceremony_edit, name="ceremony_edit"),
    path("ceremonies/<int:pk>/cancel/", views.ceremony_cancel, name="ceremony_cancel"),
    path("ceremonies/<int:pk>/add/", views.appointment_add, name="appointment_add"),
    path("ceremonies/<int:pk>/invite.ics", calendar_views.ceremony_ics, name="ceremony_ics"),
    path("ceremonies/<int:pk>/attendance/", proofs_views.attendance_sheet, name="attendance_sheet"),
    path("ceremonies/<int:pk>/proofs.pdf", proofs_views.ceremony_proofs, name="ceremony_proofs_pdf"),
    path("ceremonies/<int:pk>/attendance.pdf", proofs_views.ceremony_attendance_list, name="ceremony_attendance_pdf"),
    path("appointments/<int:pk>/remove/", views.appointment_remove, name="appointment_remove"),
    path("appointments/<int:pk>/correct/", proofs_views.appointment_correct, name="appointment_correct"),
    path("certificates/<int:pk>/pdf/", proofs_views.certificate_pdf, name="certificate_pdf"),
    path("certificates/<int:pk>/scan/", proofs_views.certificate_scan, name="certificate_scan"),
    path("certificates/<int:pk>/scan/upload/", proofs_views.certificate_scan_upload, name="certificate_scan_upload"),
    path("verify/", verify_views.document_verify, name="document_verify"),
    path("verify/<str:code>/", verify_views.certificate_verify, name="certificate_verify"),
    path("dilemma-sessions/", dilemma_views.dilemma_session_list, name="dilemma_session_list"),
    path("dilemma-sessions/new/", dilemma_views.dilemma_session_create_view, name="dilemma_session_create"),
    path("dilemma-sessions/<int:pk>/", dilemma_views.dilemma_session_edit, name="dilemma_session_edit"),
    path("appointments/<int:pk>/witness/", views.witness_replace, name="witness_replace"),
    path("witness-requests/", views.witness_request_list, name="witness_requests"),
    path("witness-requests/answer/", views.witness_answer_many, name="witness_answer_many"),
    path("witness-requests/<int:pk>/", views.witness_answer, name="witness_answer"),
    path("e/<str:token>/", link_views.newcomer_link, name="newcomer_link"),
    path("counts/", counts_views.annual_counts_page, name="annual_counts"),
    path("planner/", planner_views.planner, name="planner"),
    path("calendar/", calendar_views.calendar_settings, name="calendar_settings"),
    path("calendar/<str:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
]
