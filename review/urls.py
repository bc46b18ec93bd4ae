from django.urls import path

from . import decision_views, report_views, views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("metrics/", views.metrics, name="metrics"),
    path("intakes/<int:pk>/", views.intake_detail, name="intake"),
    path("intakes/<int:pk>/print/", views.intake_print, name="print"),
    path("intakes/<int:pk>/export.json", views.intake_export, name="export"),
    path("intakes/<int:pk>/decide/", views.intake_decide_view, name="decide"),
    path("intakes/<int:pk>/move/", views.intake_move_view, name="move"),
    path("intakes/<int:pk>/assign/", views.intake_assign_view, name="assign"),
    path("intakes/<int:pk>/notes/", views.intake_note_view, name="note"),
    path("intakes/<int:pk>/acknowledge/", views.intake_acknowledge_view, name="acknowledge"),
    path("intakes/<int:pk>/contact/", views.intake_contact_view, name="contact"),
    path("intakes/<int:pk>/amend/", decision_views.decision_amend_view, name="amend"),
    path("intakes/<int:pk>/reopen/", decision_views.intake_reopen_view, name="reopen"),
    path("intakes/<int:pk>/outcome/<str:move>/", decision_views.outcome_record_view,
         name="outcome"),
    path("outcomes/", report_views.outcome_reports, name="outcome-reports"),
    path("outcomes/<str:report>.csv", report_views.outcome_report_csv,
         name="outcome-report-csv"),
    path("response-times/", views.response_times, name="response-times"),
    path("intakes/<int:pk>/close-alert/", views.intake_acute_risk_close_view,
         name="close-alert"),
]
