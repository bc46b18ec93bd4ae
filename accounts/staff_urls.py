from django.urls import path

from . import staff_views as views

app_name = "staff"

urlpatterns = [
    path("", views.staff_list, name="list"),
    path("invite/", views.staff_invite_page, name="invite"),
    path("<int:pk>/", views.staff_person, name="person"),
    path("<int:pk>/role/", views.staff_role, name="role"),
    path("<int:pk>/deactivate/", views.staff_deactivate_view, name="deactivate"),
    path("<int:pk>/reactivate/", views.staff_reactivate_view, name="reactivate"),
    path("<int:pk>/reset-second-factor/", views.staff_reset_second_factor,
         name="reset-second-factor"),
]
