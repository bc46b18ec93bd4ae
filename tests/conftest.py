"""Shared personas: a patient, another patient, a clinician, an admin, and signed-in clients.

Staff clients have passed the TOTP second factor, as REQUIRE_2FA is on in the test run.
"""

import importlib

import pytest
from django.apps import apps
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import ENROLMENT_SESSION_KEY, user_create_with_role

PASSWORD = "correct-horse-battery-staple"


def _replica_as_test_mirror() -> None:
    """The suite reads through a "replica" alias as production may (iop/db_router.py): a
    second connection to the same test database (TEST MIRROR), so the routing is exercised.

    DATABASES is the dict Django's connections read; an alias added before any connection to
    it is opened is set up like the others. Every test may use it: a test in a transaction
    reads the primary anyway (replica_alias), a transactional one reads committed rows
    through the second connection, as a real replica does."""
    from django.conf import settings
    from django.test import TransactionTestCase

    if "replica" not in settings.DATABASES:
        primary = settings.DATABASES["default"]
        settings.DATABASES["replica"] = {
            **primary, "OPTIONS": dict(primary.get("OPTIONS", {})),
            "TEST": {**primary["TEST"], "MIRROR": "default", "NAME": None}}
    TransactionTestCase.databases = {"default", "replica"}


_replica_as_test_mirror()


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """The .mo files are built, not committed (as `make test` does): compile them here too so
    a bare `pytest` reads the Spanish, and drop any catalogue Django loaded before."""
    from django.core.management import call_command
    from django.utils.translation import trans_real

    call_command("compilemessages", ignore_patterns=[".venv/*", "staticfiles/*",
                                                     "test-artifacts/*"], verbosity=0)
    trans_real._translations.clear()
    trans_real._default = None


def _user(role: str, email: str, name: str, **extra):
    return user_create_with_role(email=email, full_name=name, password=PASSWORD, role=role,
                                 **extra)


@pytest.fixture
def patient(db):
    return _user("patient", "pat@example.com", "Pat Patient")


@pytest.fixture
def other_patient(db):
    return _user("patient", "olive@example.com", "Olive Other")


def put_on_call(user, *, backup=None, hours: float = 12):
    """Put `user` on the on-call roster from an hour ago for `hours` more."""
    from datetime import timedelta

    from django.utils import timezone

    from oncall.models import Shift

    now = timezone.now()
    return Shift.objects.create(clinician=user, backup=backup, starts_at=now - timedelta(hours=1),
                                ends_at=now + timedelta(hours=hours))


@pytest.fixture
def clinician(db):
    """A clinician on call now (the roster's one shift)."""
    user = _user("clinician", "casey@example.com", "Casey Clinician")
    put_on_call(user)
    return user


@pytest.fixture
def other_clinician(db):
    return _user("clinician", "drew@example.com", "Drew Doctor")


@pytest.fixture
def admin_user(db):
    return _user("admin", "alex@example.com", "Alex Admin")


def signed_in(user, *, verified: bool = True, enrolling: bool = False) -> Client:
    """A test client signed in as `user`; staff have passed the second factor if `verified`,
    or may enrol one (as after opening an invitation or a reset's link) if `enrolling`."""
    client = Client()
    client.force_login(user)
    if enrolling:
        session = client.session
        session[ENROLMENT_SESSION_KEY] = user.pk
        session.save()
    if verified and user.is_clinic_staff:
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test",
                                                     defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def patient_client(patient):
    return signed_in(patient)


@pytest.fixture
def other_patient_client(other_patient):
    return signed_in(other_patient)


@pytest.fixture
def clinician_client(clinician):
    return signed_in(clinician)


@pytest.fixture
def admin_client_(admin_user):
    return signed_in(admin_user)


@pytest.fixture
def anon_client():
    return Client()


@pytest.fixture(autouse=True)
def _nothing_kept_from_another_test():
    """review/kept.py keeps a few values in the process for minutes; each test reads its own
    database's."""
    from review.kept import forget

    forget()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The real hasher costs about 0.4 s a user made or signed in, most of the suite's time;
    no test depends on its strength (Django's testing docs advise the same)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _replica_closed_after_each_test():
    """The replica alias is a second session on the test database: closed after a test used
    it, or it would hold the database open when the run drops it."""
    from django.db import connections

    yield
    if "replica" in connections:
        connections["replica"].close()


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: a request in Spanish leaves its language
    active on the thread (LocaleMiddleware activates, nothing deactivates), and a later
    test's English words would come out Spanish by the order the tests ran in."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def seed_reference_data() -> None:
    """Put back what the data migrations load (role groups, the default criteria).

    Transactional tests (live server, real worker) flush every table when they end, and the
    next one must still find the roles and a published criteria version: default-1 retired
    and default-2 published, as the migrations leave a fresh database.
    """
    importlib.import_module("accounts.migrations.0002_role_groups").create_roles(apps, None)
    importlib.import_module("screening.migrations.0002_default_criteria").load_default(apps, None)
    importlib.import_module("screening.migrations.0006_default_criteria_2").publish_default_2(
        apps, None)


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server"))
    if transactional:
        request.getfixturevalue("transactional_db")
        seed_reference_data()
