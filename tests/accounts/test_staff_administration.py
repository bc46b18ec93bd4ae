"""Staff administration in the app: invitations, roles, deactivation, second-factor resets.

The mail goes through the account-mail outbox and Django's locmem backend; links are read
from the mail the person would get.
"""

import base64
import re
import time

import pytest
from django.contrib.auth.models import Group
from django.core import mail, signing
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AccountMail, User
from accounts.services import (
    _INVITATION_SALT,
    _link_state,
    staff_invite,
)
from audit.models import AuditEvent
from tests.accounts.helpers import deliver_account_mail
from tests.conftest import PASSWORD, signed_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-new-staff-password-41"


def _link_in_last_mail(kind: str) -> str:
    deliver_account_mail()
    assert AccountMail.objects.filter(kind=kind).exists()
    message = mail.outbox[-1]
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def _secret(html: str) -> str:
    return re.search(r"Key: <code>([A-Z2-7=]+)</code>", html).group(1)


def _code(secret: str) -> str:
    return f"{totp(base64.b32decode(secret)):06d}"


def _invite(admin_client, email="sam@example.org", role="clinician"):
    return admin_client.post("/staff/invite/", {"full_name": "Sam Staff", "email": email,
                                                "role": role})


def test_an_invited_clinician_sets_a_password_enrols_and_signs_in_with_the_second_factor(
        admin_client_, admin_user):
    response = _invite(admin_client_, email="Sam@Example.org")
    sam = User.objects.get(email="sam@example.org")
    assert response["Location"] == f"/staff/{sam.pk}/"
    assert sam.is_clinician and not sam.has_usable_password() and sam.email_confirmed_at is None
    assert AuditEvent.objects.filter(actor=admin_user, object_type="staff_invitation",
                                     object_id=str(sam.pk), detail={"role": "clinician"}).exists()
    link = _link_in_last_mail(AccountMail.Kind.STAFF_INVITATION)
    assert mail.outbox[-1].to == ["sam@example.org"]

    # Until the invitation is used the account has no password to sign in with.
    before = Client()
    before.post("/login/", {"username": "sam@example.org", "password": PASSWORD})
    assert before.get("/review/")["Location"].startswith("/login/")

    invited = Client()
    assert "Welcome, Sam Staff" in invited.get(link).content.decode()
    refused = invited.post(link, {"new_password1": "short", "new_password2": "short"})
    assert refused.status_code == 400 and "too short" in refused.content.decode()
    response = invited.post(link, {"new_password1": NEW_PASSWORD,
                                   "new_password2": NEW_PASSWORD})
    assert response["Location"].startswith("/account/2fa/setup/")
    secret = _secret(invited.get("/account/2fa/setup/").content.decode())
    invited.post("/account/2fa/setup/", {"token": _code(secret), "next": "/review/"})
    assert invited.get("/review/").status_code == 200

    # The link works once.
    assert "does not work" in Client().get(link).content.decode()
    # A later sign-in asks for the code from the enrolled app, and lets Sam in after it.
    later = Client()
    later.post("/login/", {"username": "sam@example.org", "password": NEW_PASSWORD})
    assert later.get("/review/")["Location"].startswith("/account/2fa/verify/")
    # The code of the next 30-second step: the one just used is never accepted twice.
    next_code = f"{totp(base64.b32decode(secret), drift=1):06d}"
    later.post("/account/2fa/verify/", {"token": next_code, "next": "/review/"})
    assert later.get("/review/").status_code == 200
    sam.refresh_from_db()
    assert sam.last_login is not None
    assert "Never" not in admin_client_.get(f"/staff/{sam.pk}/").content.decode()


def test_a_staff_password_alone_never_enrols_a_second_factor(clinician):
    """Whoever learns a new colleague's password first must not own their second factor."""
    client = signed_in(clinician, verified=False)
    assert client.get("/review/")["Location"].startswith("/account/2fa/setup/")
    page = client.get("/account/2fa/setup/")
    assert page.status_code == 403
    assert "a password alone is not enough" in page.content.decode()
    client.post("/account/2fa/setup/", {"token": "123456"})
    assert not TOTPDevice.objects.filter(user=clinician).exists()


def test_an_expired_or_replaced_invitation_does_not_work(admin_client_, admin_user):
    _invite(admin_client_)
    first = _link_in_last_mail(AccountMail.Kind.STAFF_INVITATION)
    sam = User.objects.get(email="sam@example.org")

    class EightDaysAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 8 * 24 * 3600)

    old = EightDaysAgo(salt=_INVITATION_SALT).sign_object({"u": sam.pk, "s": _link_state(sam)})
    assert "does not work" in Client().get(f"/account/invitation/{old}/").content.decode()

    _invite(admin_client_)  # again: a new link, and the first one stops working
    second = _link_in_last_mail(AccountMail.Kind.STAFF_INVITATION)
    assert second != first
    assert "does not work" in Client().get(first).content.decode()
    assert "Welcome" in Client().get(second).content.decode()
    assert User.objects.filter(email="sam@example.org").count() == 1


def test_an_address_with_an_account_is_not_invited(admin_client_, patient, clinician):
    for email in (patient.email, clinician.email):
        response = _invite(admin_client_, email=email)
        assert response.status_code == 400
        assert "This address already has an account" in response.content.decode()
    assert not AccountMail.objects.filter(kind=AccountMail.Kind.STAFF_INVITATION).exists()
    assert patient.groups.get().name == "patient"


def test_a_bad_invitation_form_names_what_is_wrong_and_keeps_what_was_typed(admin_client_):
    response = admin_client_.post("/staff/invite/", {"full_name": "Sam Staff",
                                                     "email": "not-an-address", "role": "boss"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter an e-mail address" in page
    assert "Select a valid choice" in page or "Choose clinician or admin" in page
    assert 'value="Sam Staff"' in page


def test_an_admin_changes_a_role_audited(admin_client_, admin_user, clinician):
    response = admin_client_.post(f"/staff/{clinician.pk}/role/", {"role": "admin"})
    assert response["Location"] == f"/staff/{clinician.pk}/"
    assert User.objects.get(pk=clinician.pk).is_admin_role
    assert not User.objects.get(pk=clinician.pk).is_clinician
    assert AuditEvent.objects.filter(actor=admin_user, object_type="staff_role",
                                     object_id=str(clinician.pk),
                                     detail={"from": "clinician", "to": "admin"}).exists()


def test_the_last_admin_cannot_demote_or_deactivate_themselves(admin_client_, admin_user,
                                                              clinician):
    response = admin_client_.post(f"/staff/{admin_user.pk}/role/", {"role": "clinician"})
    assert response.status_code == 400
    assert "You are the only active admin" in response.content.decode()
    response = admin_client_.post(f"/staff/{admin_user.pk}/deactivate/", follow=True)
    assert "You are the only active admin" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active and admin_user.is_admin_role
    assert not AuditEvent.objects.filter(object_type__in=("staff_role", "staff_access")).exists()

    # With a second admin, either may step down.
    clinician.groups.set([Group.objects.get(name="admin")])
    admin_client_.post(f"/staff/{admin_user.pk}/role/", {"role": "clinician"})
    assert User.objects.get(pk=admin_user.pk).is_clinician


def test_a_deactivated_clinician_is_signed_out_and_cannot_sign_in(admin_client_, clinician):
    their_session = signed_in(clinician)
    assert their_session.get("/review/").status_code == 200
    response = admin_client_.post(f"/staff/{clinician.pk}/deactivate/", follow=True)
    assert "is deactivated" in response.content.decode()
    assert User.objects.filter(pk=clinician.pk, is_active=False).exists()  # never deleted
    assert their_session.get("/review/")["Location"].startswith("/login/")
    fresh = Client()
    fresh.post("/login/", {"username": clinician.email, "password": PASSWORD})
    assert fresh.get("/review/")["Location"].startswith("/login/")

    admin_client_.post(f"/staff/{clinician.pk}/reactivate/")
    assert User.objects.get(pk=clinician.pk).is_active


def test_a_reset_second_factor_is_enrolled_again_only_from_the_mailed_link(
        admin_client_, admin_user, clinician):
    TOTPDevice.objects.create(user=clinician, name="lost phone", confirmed=True)
    response = admin_client_.post(f"/staff/{clinician.pk}/reset-second-factor/", follow=True)
    assert "They were e-mailed a link" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=clinician).exists()
    assert AuditEvent.objects.filter(actor=admin_user, object_type="second_factor",
                                     object_id=str(clinician.pk)).exists()
    link = _link_in_last_mail(AccountMail.Kind.SECOND_FACTOR_RESET)
    assert mail.outbox[-1].to == [clinician.email]

    client = Client()
    client.post("/login/", {"username": clinician.email, "password": PASSWORD})
    assert client.get("/account/2fa/setup/").status_code == 403  # the password is not enough
    # Someone else signed in cannot use the link.
    assert "does not work" in signed_in(admin_user).post(link).content.decode()
    assert "Continue" in client.get(link).content.decode()
    assert client.post(link)["Location"].startswith("/account/2fa/setup/")
    secret = _secret(client.get("/account/2fa/setup/").content.decode())
    client.post("/account/2fa/setup/", {"token": _code(secret)})
    assert client.get("/review/").status_code == 200
    assert "does not work" in client.get(link).content.decode()  # once only


def test_the_staff_pages_show_staff_only_and_are_audited(admin_client_, admin_user, patient,
                                                        clinician):
    page = admin_client_.get("/staff/").content.decode()
    assert clinician.email in page and admin_user.email in page
    assert patient.email not in page
    assert admin_client_.get(f"/staff/{patient.pk}/").status_code == 404
    assert admin_client_.post(f"/staff/{patient.pk}/role/", {"role": "admin"}).status_code == 404
    assert not User.objects.get(pk=patient.pk).is_admin_role
    assert AuditEvent.objects.filter(actor=admin_user, object_type="staff_list").exists()
    admin_client_.get(f"/staff/{clinician.pk}/")
    assert AuditEvent.objects.filter(actor=admin_user, object_type="user", action="view",
                                     object_id=str(clinician.pk)).exists()


def test_an_invitation_for_a_deactivated_person_does_not_work(admin_user):
    sam = staff_invite(email="sam@example.org", full_name="Sam", role="admin", actor=admin_user)
    link = _link_in_last_mail(AccountMail.Kind.STAFF_INVITATION)
    sam.is_active = False
    sam.save()
    assert "does not work" in Client().get(link).content.decode()


def test_the_staff_page_leads_to_the_roster_and_the_programs_and_back(admin_client_):
    """An admin runs staff, the on-call roster and the programs from one place."""
    staff = admin_client_.get("/staff/").content.decode()
    assert 'href="/oncall/"' in staff and 'href="/programs/"' in staff
    assert 'aria-current="page" href="/staff/"' in staff
    for url in ("/oncall/", "/programs/"):
        page = admin_client_.get(url).content.decode()
        assert 'href="/staff/"' in page and f'aria-current="page" href="{url}"' in page
