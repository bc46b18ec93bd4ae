from django.urls import path

from . import views

app_name = "intake"
urlpatterns = [
    path("", views.intake_home, name="home"),
    path("start/", views.intake_start, name="start"),
    path("<int:pk>/", views.intake_status, name="status"),
    path("<int:pk>/step/<slug:slug>/", views.intake_step, name="step"),
    path("<int:pk>/review/", views.intake_review, name="review"),
    path("<int:pk>/sign/", views.intake_sign, name="sign"),
    path("<int:pk>/submit/", views.intake_submit, name="submit"),
    path("<int:pk>/answers/", views.intake_answers, name="answers"),
]
