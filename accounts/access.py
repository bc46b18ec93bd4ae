"""The one place that decides who may open a page.

Every view that shows or changes clinic data starts with one of these decorators:
anonymous people are sent to sign in, a signed-in person without the role gets 403, and
staff who have not passed the second factor (when REQUIRE_2FA is on) are sent to it.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from .roles import ADMIN, CLINICIAN, PATIENT


def needs_second_factor(user) -> bool:
    """True when this signed-in staff member must still pass TOTP in this session."""
    return (
        settings.REQUIRE_2FA
        and getattr(user, "is_clinic_staff", False)
        and not user.is_verified()
    )


def second_factor_url(user, next_url: str) -> str:
    from django_otp import devices_for_user

    has_device = any(True for _ in devices_for_user(user, confirmed=True))
    name = "accounts:2fa-verify" if has_device else "accounts:2fa-setup"
    return f"{reverse(name)}?next={next_url}"


def role_required(*roles: str):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not any(user.has_role(role) for role in roles):
                raise PermissionDenied
            if needs_second_factor(user):
                return redirect(second_factor_url(user, request.get_full_path()))
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = roles  # read by the access tests
        return wrapped

    return decorator


patient_required = role_required(PATIENT)
clinician_required = role_required(CLINICIAN)
admin_required = role_required(ADMIN)
staff_required = role_required(CLINICIAN, ADMIN)
