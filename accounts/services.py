import time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
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
from .roles import PATIENT


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
