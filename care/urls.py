from django.urls import path

from . import views

app_name = "care"
urlpatterns = [
    path("invitations/<int:pk>/start/", views.rescreen_start, name="start"),
    path("intakes/<int:pk>/history/", views.care_history, name="history"),
    path("rescreens/<int:pk>/decide/", views.suggestion_decide, name="decide"),
]
