from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("intakes/<int:pk>/", views.intake_detail, name="intake"),
]
