"""What the staff administration pages read."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User
from .roles import ADMIN, CLINICIAN


@dataclass(frozen=True)
class StaffMember:
    user: User
    role: str
    active: bool
    invitation_open: bool  # invited, password not set yet
    has_second_factor: bool
    last_sign_in: datetime | None


def _staff():
    return (User.objects.filter(groups__name__in=(CLINICIAN, ADMIN)).distinct()
            .annotate(has_device=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"),
                                                                  confirmed=True)))
            .prefetch_related("groups"))


def _member(user) -> StaffMember:
    roles = {group.name for group in user.groups.all()}
    return StaffMember(user=user, role=ADMIN if ADMIN in roles else CLINICIAN,
                       active=user.is_active, invitation_open=user.email_confirmed_at is None,
                       has_second_factor=user.has_device, last_sign_in=user.last_login)


def staff_for_page() -> list[StaffMember]:
    """Every clinician and admin, active ones first, by name."""
    return [_member(user) for user in _staff().order_by("-is_active", "full_name", "pk")]


def staff_member(pk: int) -> StaffMember | None:
    """One clinician or admin; None for anyone else (a patient is never managed here)."""
    user = _staff().filter(pk=pk).first()
    return None if user is None else _member(user)
