from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from .addresses import email_normalise
from .roles import ADMIN, CLINICIAN, PATIENT


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=email_normalise(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username):
        # Sign-in looks the address up in the form it is stored in.
        return self.get(email=email_normalise(username))

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        # Made at the command line by whoever runs the server: the address is taken as given.
        extra.setdefault("email_confirmed_at", timezone.now())
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: a patient, a clinician or an admin (roles are groups)."""

    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    # is_staff only opens Django's admin site; clinic roles are the groups below.
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Set when the person opened the link mailed at sign-up (or when staff made the account):
    # until then the account cannot sign in, so a sign-up never tells who already has one.
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    # When an invitation or an admin's reset last opened second-factor enrolment for this
    # account. It is part of the signed links they mail: a newer one stops the older links.
    second_factor_opened_at = models.DateTimeField(null=True, blank=True)
    # The language of the patient's pages and e-mails (SPEC §8b), chosen at sign-up and
    # changed from any page; one of settings.LANGUAGES. Staff pages are in English.
    language = models.CharField(max_length=10, default="en")

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        indexes = [models.Index(Lower("full_name"), name="user_full_name_lower")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        # Every way in (sign-up, the admin site, commands) stores the one form of the address.
        self.email = email_normalise(self.email)
        super().save(*args, **kwargs)

    def _roles(self) -> frozenset[str]:
        if not hasattr(self, "_role_cache"):
            self._role_cache = frozenset(self.groups.values_list("name", flat=True))
        return self._role_cache

    def has_role(self, role: str) -> bool:
        return self.is_active and role in self._roles()

    @property
    def is_patient(self) -> bool:
        return self.has_role(PATIENT)

    @property
    def is_clinician(self) -> bool:
        return self.has_role(CLINICIAN)

    @property
    def is_admin_role(self) -> bool:
        return self.has_role(ADMIN)

    @property
    def is_clinic_staff(self) -> bool:
        return self.is_clinician or self.is_admin_role


class AccountMail(models.Model):
    """An outbox row for mail about an account (password reset, address check, notices).

    Written in the request, sent by a Celery worker: a slow or silent mail server must never
    hold a page, and a broker outage only delays the mail (a periodic sweep sends what is
    still pending). The body holds a link and is emptied once sent: a reset link is a key.
    """

    class Kind(models.TextChoices):
        PASSWORD_RESET = "password_reset", "Password reset link"
        VERIFY_ADDRESS = "verify_address", "Address check at sign-up"
        SIGNUP_EXISTING = "signup_existing", "Sign-up tried with an existing address"
        STAFF_INVITATION = "staff_invitation", "Invitation to a staff account"
        SECOND_FACTOR_RESET = "second_factor_reset", "Two-step sign-in reset by an admin"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    to_address = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "created_at"], name="account_mail_pending")]

    def __str__(self) -> str:
        return f"{self.kind} mail {self.pk}"
