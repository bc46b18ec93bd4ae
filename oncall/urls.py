from django.urls import path

from . import views

app_name = "oncall"
urlpatterns = [
    path("", views.roster, name="roster"),
    path("shifts/new/", views.shift_new, name="shift-new"),
    path("shifts/<int:pk>/", views.shift_edit, name="shift-edit"),
    path("shifts/<int:pk>/end/", views.shift_end_view, name="shift-end"),
]
