from django.urls import path

from . import views

app_name = "calibration"
urlpatterns = [
    path("", views.rounds, name="rounds"),
    path("open/", views.round_open, name="open"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/cases/<int:number>/", views.case_detail, name="case"),
    path("<int:pk>/cases/<int:number>/rate/", views.case_rate, name="rate"),
    path("<int:pk>/results/", views.results, name="results"),
]
