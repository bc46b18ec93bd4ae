import time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext_lazy
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from audit.services import audit_record

from .addresses import email_normalise
from .mail import account_mail_queue
from .models import AccountMail, User
from .roles import ADMIN, CLINICIAN, PATIENT

STAFF_ROLES = (CLINICIAN, ADMIN)


class AddressCheckTokenGenerator(PasswordResetTokenGenerator):
    """The signed link mailed at sign-up. It stops working once used (the confirmation
    time is in it), when the password changes (a new sign-up) or after
    PASSWORD_RESET_TIMEOUT."""

    key_salt = "accounts.services.AddressCheckTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.password}{user.email_confirmed_at}{timestamp}{user.email}"


address_check_tokens = AddressCheckTokenGenerator()


@transaction.atomic
def patient_sign_up(*, full_name: str, email: str, password: str, language: str = "en") -> None:
    """Start a prospective patient's account: whoever asks gets the same answer, and only
    the address's owner learns, by mail, what happened.

    A new address gets an account that cannot sign in until the link mailed to it is
    opened. An address with a confirmed account gets a "someone tried to sign up with your
    address" mail and nothing changes. An address with an unconfirmed account gets a new
    link; the name and password are the latest ones typed (whoever opens the link owns the
    mailbox, and the earlier links stop working).
    """
    email = email_normalise(email)
    user = User.objects.select_for_update().filter(email=email).first()
    if user is not None and user.email_confirmed_at is not None:
        make_password(password)  # the same work either way: no timing tells them apart
        _mail(AccountMail.Kind.SIGNUP_EXISTING, user, "registration/signup_existing_email.txt",
              gettext_lazy("Someone tried to create an account with your address"))
        return
    if user is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(email=email, password=password,
                                                full_name=full_name, language=language)
        except IntegrityError:
            return  # signed up at this very moment by another request: its link is on the way
        user.groups.add(Group.objects.get(name=PATIENT))
    else:
        user.full_name = full_name
        user.language = language
        user.set_password(password)
        user.save(update_fields=["full_name", "language", "password"])
    _mail(AccountMail.Kind.VERIFY_ADDRESS, user, "registration/confirm_address_email.txt",
          gettext_lazy("Confirm your e-mail address to finish your account"))


def user_language_set(*, user: User, language: str) -> None:
    """The language of the person's pages and mail from now on (one of settings.LANGUAGES)."""
    user.language = language
    user.save(update_fields=["language"])


def _mail(kind: str, user: User, template: str, subject) -> None:
    context = {"site_url": settings.SITE_URL,
               "confirm_path": reverse("accounts:confirm-address", kwargs={
                   "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                   "token": address_check_tokens.make_token(user)}),
               "login_path": reverse("login"),
               "reset_path": reverse("accounts:password_reset")}
    # In the account's language, not the page's (SPEC §8b).
    with translation.override(user.language):
        account_mail_queue(kind=kind, to=user.email, subject=str(subject),
                           body=render_to_string(template, context))


def address_check_user(uidb64: str, token: str) -> User | None:
    """The unconfirmed account a sign-up link is for, or None when the link is not valid."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=pk, email_confirmed_at__isnull=True).first()
    if user is None or not address_check_tokens.check_token(user, token):
        return None
    return user


def address_confirm(*, user: User) -> User:
    """Mark the address confirmed: the account can sign in from now on."""
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["email_confirmed_at"])
    return user


@transaction.atomic
def user_create_with_role(*, email: str, full_name: str, password: str, role: str) -> User:
    """Create or update an account and put it in one role group. Returns the user."""
    user, _ = User.objects.get_or_create(email=email_normalise(email), defaults={"full_name": full_name})
    user.full_name = full_name
    user.is_staff = role == "admin"  # admins also manage staff accounts in Django's admin site
    user.is_superuser = role == "admin"
    user.set_password(password)
    # Made by staff (or the demo): the address is taken as given.
    user.email_confirmed_at = user.email_confirmed_at or timezone.now()
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
    no secret or was not given enrolment by a mailed link, or the account already has a confirmed device (it is never replaced from
    here: an admin resets it). Any unconfirmed device left by older code is discarded.
    """
    key = session.get(SETUP_SESSION_KEY)
    if not second_factor_enrolment_granted(session, user):
        return None
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
    del session[ENROLMENT_SESSION_KEY]
    return device


# --- links that open second-factor enrolment -----------------------------------------------
#
# A staff password alone never enrols a second factor: whoever learnt it first would own
# the account. Enrolment is opened by a link mailed to the person's address, from an
# invitation or an admin's reset, and only in the session that opened the link.

ENROLMENT_SESSION_KEY = "second_factor_enrolment_for"
INVITATION_DAYS = 7
ENROLMENT_LINK_DAYS = 3
_INVITATION_SALT = "accounts.staff-invitation"
_ENROLMENT_SALT = "accounts.second-factor-enrolment"


def _link_state(user: User) -> str:
    """What a link is bound to: it stops working once the password is set, the address
    confirmed, the account (de)activated, a device enrolled or a newer link mailed."""
    has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    value = (f"{user.pk}|{user.password}|{user.email_confirmed_at}|{user.is_active}|"
             f"{user.second_factor_opened_at}|{has_device}")
    return salted_hmac("accounts.services._link_state", value).hexdigest()[:32]


def _link_token(user: User, salt: str) -> str:
    return signing.dumps({"u": user.pk, "s": _link_state(user)}, salt=salt)


def _link_user(token: str, salt: str, days: int) -> User | None:
    try:
        data = signing.loads(token, salt=salt, max_age=timezone.timedelta(days=days))
        user = User.objects.filter(pk=int(data["u"])).first()
        state = str(data["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if user is None or not constant_time_compare(state, _link_state(user)):
        return None
    return user


def second_factor_enrolment_grant(session, user: User) -> None:
    """Let this session (only) enrol a second factor for `user`."""
    session[ENROLMENT_SESSION_KEY] = user.pk


def second_factor_enrolment_granted(session, user: User) -> bool:
    return session.get(ENROLMENT_SESSION_KEY) == user.pk


def second_factor_enrolment_user(token: str) -> User | None:
    """The active staff account a reset's enrolment link is for, or None when the link is
    not valid (used, older than ENROLMENT_LINK_DAYS, replaced by a newer one)."""
    user = _link_user(token, _ENROLMENT_SALT, ENROLMENT_LINK_DAYS)
    if user is None or not user.is_clinic_staff or user.email_confirmed_at is None:
        return None
    return user


def _second_factor_enrolment_path(user: User) -> str:
    return reverse("accounts:2fa-enrol", kwargs={"token": _link_token(user, _ENROLMENT_SALT)})


def second_factor_enrolment_open(*, user: User) -> str:
    """Open enrolment for `user` and return the path of its link (mailed by the callers; the
    demo command prints it). Links mailed before stop working."""
    user.second_factor_opened_at = timezone.now()
    user.save(update_fields=["second_factor_opened_at"])
    return _second_factor_enrolment_path(user)


@transaction.atomic
def second_factor_reset(*, user: User, actor, request=None) -> int:
    """Remove every second-factor device of `user` (a lost phone) and mail them a link to
    enrol a new one; signing in with the password alone does not. Returns how many devices
    were removed. Audited."""
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        removed += model.objects.filter(user=user).delete()[0]
    path = second_factor_enrolment_open(user=user)
    account_mail_queue(
        kind=AccountMail.Kind.SECOND_FACTOR_RESET, to=user.email,
        subject="Your two-step sign-in was reset",
        body=render_to_string("registration/second_factor_reset_email.txt", {
            "site_url": settings.SITE_URL, "enrol_path": path, "days": ENROLMENT_LINK_DAYS}))
    audit_record(actor=actor, action="change", object_type="second_factor", object_id=user.pk,
                 request=request, detail={"reset": True})
    return removed


# --- staff administration -----------------------------------------------------------------


class StaffRefusal(Exception):
    """A staff change refused; its text is what the admin reads."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def staff_role_of(user: User) -> str:
    roles = set(user.groups.values_list("name", flat=True))
    return ADMIN if ADMIN in roles else CLINICIAN if CLINICIAN in roles else ""


def _refuse_if_last_admin(user: User, actor, doing: str) -> None:
    """Someone must always be able to manage staff: the last active admin stays one."""
    admins = list(User.objects.select_for_update().filter(groups__name=ADMIN, is_active=True)
                  .values_list("pk", flat=True))
    if admins == [user.pk]:
        who = "You are" if user.pk == getattr(actor, "pk", None) else f"{user} is"
        raise StaffRefusal(f"{who} the only active admin, so cannot {doing}. Make another "
                           f"person an admin first, so someone can still manage staff.")


def _invitation_mail(user: User) -> None:
    path = reverse("accounts:invitation", kwargs={"token": _link_token(user, _INVITATION_SALT)})
    account_mail_queue(
        kind=AccountMail.Kind.STAFF_INVITATION, to=user.email,
        subject="You are invited to a staff account at the IOP intake",
        body=render_to_string("registration/staff_invitation_email.txt", {
            "site_url": settings.SITE_URL, "invitation_path": path, "days": INVITATION_DAYS}))


@transaction.atomic
def staff_invite(*, email: str, full_name: str, role: str, actor, request=None) -> User:
    """Invite a clinician or an admin: an account that cannot sign in yet, and a mailed,
    signed link (one use, INVITATION_DAYS) where they set their own password and enrol their
    second factor. Inviting an address again whose invitation is still open sends a new link
    (the older one stops working). Raises StaffRefusal for an address with an account."""
    if role not in STAFF_ROLES:
        raise StaffRefusal("Choose clinician or admin.")
    email = email_normalise(email)
    user = User.objects.select_for_update().filter(email=email).first()
    if user is not None and not (user.email_confirmed_at is None and staff_role_of(user)):
        raise StaffRefusal("This address already has an account. A staff account is changed "
                           "on its own page; a patient's account is not made staff here.")
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name=full_name)
    user.full_name = full_name
    user.is_active = True
    user.second_factor_opened_at = timezone.now()
    user.save(update_fields=["full_name", "is_active", "second_factor_opened_at"])
    user.groups.set([Group.objects.get(name=role)])
    _invitation_mail(user)
    audit_record(actor=actor, action="create", object_type="staff_invitation",
                 object_id=user.pk, request=request, detail={"role": role})
    return user


def staff_invitation_user(token: str) -> User | None:
    """The invited account a link is for, or None when the link is not valid (used, older
    than INVITATION_DAYS, replaced by a newer invitation, the account deactivated)."""
    user = _link_user(token, _INVITATION_SALT, INVITATION_DAYS)
    if (user is None or not user.is_active or user.email_confirmed_at is not None
            or not staff_role_of(user)):
        return None
    return user


@transaction.atomic
def staff_invitation_accept(*, user: User, password: str) -> User:
    """The invited person's own password: the account can sign in from now on, and the
    link is used up (its state has changed)."""
    user.set_password(password)
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["password", "email_confirmed_at"])
    audit_record(actor=user, action="change", object_type="staff_invitation",
                 object_id=user.pk, detail={"accepted": True})
    return user


@transaction.atomic
def staff_role_change(*, user: User, role: str, actor, request=None) -> User:
    if role not in STAFF_ROLES:
        raise StaffRefusal("Choose clinician or admin.")
    before = staff_role_of(user)
    if before == role:
        return user
    if before == ADMIN:
        _refuse_if_last_admin(user, actor, "stop being an admin")
    user.groups.set([Group.objects.get(name=role)])
    audit_record(actor=actor, action="change", object_type="staff_role", object_id=user.pk,
                 request=request, detail={"from": before, "to": role})
    return user


@transaction.atomic
def staff_deactivate(*, user: User, actor, request=None) -> User:
    """Take someone's access away (accounts are never deleted: the audit log names them).
    Their open sessions end at their next request (an inactive account is not signed in)."""
    if not user.is_active:
        return user
    if staff_role_of(user) == ADMIN:
        _refuse_if_last_admin(user, actor, "be deactivated")
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_record(actor=actor, action="change", object_type="staff_access", object_id=user.pk,
                 request=request, detail={"active": False})
    return user


@transaction.atomic
def staff_reactivate(*, user: User, actor, request=None) -> User:
    if user.is_active:
        return user
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(actor=actor, action="change", object_type="staff_access", object_id=user.pk,
                 request=request, detail={"active": True})
    return user


def accounts_purge_unconfirmed(*, days: int | None = None) -> int:
    """Delete sign-ups whose address was never confirmed within `days` (default
    UNCONFIRMED_ACCOUNT_DAYS), and account mail sent more than ACCOUNT_MAIL_KEEP_DAYS ago.

    An unconfirmed account never signed in (no intake, no audit row): it holds only a name
    and an address that someone typed, perhaps not its owner. Returns the accounts deleted.
    """
    from audit.models import AuditEvent

    now = timezone.now()
    cutoff = now - timezone.timedelta(days=settings.UNCONFIRMED_ACCOUNT_DAYS if days is None
                                      else days)
    stale = (User.objects.filter(email_confirmed_at__isnull=True, date_joined__lt=cutoff,
                                 is_staff=False, intakes__isnull=True)
             .exclude(Exists(AuditEvent.objects.filter(actor=OuterRef("pk")))))
    removed = 0
    for user in stale:
        user.delete()
        removed += 1
    AccountMail.objects.filter(
        sent_at__lt=now - timezone.timedelta(days=settings.ACCOUNT_MAIL_KEEP_DAYS)).delete()
    return removed
