from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from accounts import views as account_views

if settings.REQUIRE_2FA:
    # Django's admin site holds staff accounts: it asks for the second factor too.
    admin.site.__class__ = OTPAdminSite
admin.site.site_header = "IOP intake administration"

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", account_views.healthz, name="healthz"),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/contact/", include("contacts.urls")),
    path("account/", include("accounts.urls")),
    path("intake/", include("intake.urls")),
    path("review/", include("review.urls")),
    path("criteria/", include("screening.urls")),
    path("audit/", include("audit.urls")),
    path("oncall/", include("oncall.urls")),
    path("staff/", include("accounts.staff_urls")),
    path("integrations/", include("api.page_urls")),
    path("api/v1/", include("api.urls")),
    path("programs/", include("programs.urls")),
    path("calibration/", include("calibration.urls")),
    path("care/", include("care.urls")),
    # Before the admin site: its own login would bypass /login/'s rate limit and second factor.
    path("admin/login/", account_views.admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
]

handler403 = "iop.errors.forbidden"
handler404 = "iop.errors.not_found"
handler500 = "iop.errors.server_error"
