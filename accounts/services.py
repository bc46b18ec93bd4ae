import time

from django.contrib.auth.models import Group
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from audit.services import audit_record

from .addresses import email_normalise
from .models import User
from .roles import PATIENT


@transaction.atomic
def patient_sign_up(*, full_name: str, email: str, password: str) -> User:
    """Create a prospective patient's account. Returns the user."""
    user = User.objects.create_user(email=email, password=password, full_name=full_name)
    user.groups.add(Group.objects.get(name=PATIENT))
    return user


@transaction.atomic
def user_create_with_role(*, email: str, full_name: str, password: str, role: str,
                          on_call: bool = False) -> User:
    """Create or update an account and put it in one role group. Returns the user."""
    user, _ = User.objects.get_or_create(email=email_normalise(email), defaults={"full_name": full_name})
    user.full_name = full_name
    user.on_call = on_call
    user.is_staff = role == "admin"  # admins also manage staff accounts in Django's admin site
    user.is_superuser = role == "admin"
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    return user


# --- second factor enrolment ------------------------------------------------------------

# The secret being enrolled lives in the signed-in session only: nobody else who knows the
# password (another session) can read it, and no device exists until a code confirms it.
SETUP_SESSION_KEY = "second_factor_setup_key"


def second_factor_setup_key(session) -> str:
    """The hex TOTP secret this session is enrolling, made the first time it is asked for."""
    key = session.get(SETUP_SESSION_KEY)
    if not key:
        key = random_hex(20)
        session[SETUP_SESSION_KEY] = key
    return key


def second_factor_unsaved_device(*, user: User, key: str) -> TOTPDevice:
    """The device being enrolled, for its QR code and key; never saved from here."""
    return TOTPDevice(user=user, key=key, name="Authenticator app", confirmed=False)


@transaction.atomic
def second_factor_confirm(*, user: User, session, token: str) -> TOTPDevice | None:
    """Turn on the second factor with the session's secret when `token` matches it.

    Returns the new confirmed device, or None when the code does not match, the session has
    no secret, or the account already has a confirmed device (it is never replaced from
    here: an admin resets it). Any unconfirmed device left by older code is discarded.
    """
    key = session.get(SETUP_SESSION_KEY)
    User.objects.select_for_update().filter(pk=user.pk).first()  # one enrolment at a time
    if not key or TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return None
    totp = TOTP(bytes.fromhex(key))
    totp.time = time.time()  # one instant for the check and the step recorded below
    try:
        matched = totp.verify(int(token), tolerance=1)
    except ValueError:
        matched = False
    if not matched:
        return None
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, key=key, name="Authenticator app",
                                       confirmed=True, last_t=totp.t(), drift=totp.drift)
    del session[SETUP_SESSION_KEY]
    return device


@transaction.atomic
def second_factor_reset(*, user: User, actor, request=None) -> int:
    """Remove every second-factor device of `user` (a lost phone): at the next sign-in they
    enrol a new one. Returns how many devices were removed. Audited."""
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        removed += model.objects.filter(user=user).delete()[0]
    audit_record(actor=actor, action="change", object_type="second_factor", object_id=user.pk,
                 request=request, detail={"reset": True})
    return removed
