"""One form of an e-mail address everywhere, and a lockout after repeated failures
(django-axes), lifted by time or by an admin (issue 13)."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client, override_settings

from accounts.models import User
from audit.models import AuditEvent
from tests.conftest import PASSWORD, signed_in

SPELLINGS = ["pat@example.com\r\n", " pat@example.com", "pat@example.com\t", "PAT@Example.com",
             "\u00a0pat@example.com\n"]


@pytest.mark.parametrize("typed", SPELLINGS, ids=repr)
def test_any_spelling_of_the_address_signs_in_to_the_one_account(patient, typed):
    client = Client()
    assert client.post("/login/", {"username": typed, "password": PASSWORD}).status_code == 302
    assert client.session["_auth_user_id"] == str(patient.pk)


@override_settings(AXES_FAILURE_LIMIT=100)  # the rate limit alone, not the lockout
def test_whitespace_buys_no_fresh_allowance(db):
    client = Client()
    codes = [client.post("/login/", {"username": SPELLINGS[n % len(SPELLINGS)],
                                     "password": "x"}, REMOTE_ADDR=f"10.0.1.{n}").status_code
             for n in range(11)]
    assert codes[-1] == 429, codes  # ten per minute for the address, however it is spelled


def test_accounts_are_stored_in_the_one_form(db):
    user = User.objects.create_user(email=" New.Person@Example.ORG\r\n", password=PASSWORD,
                                    full_name="New Person")
    assert user.email == "new.person@example.org"
    user.email = "Other@Example.org "
    user.save()
    assert User.objects.get(pk=user.pk).email == "other@example.org"


def _fail(client, username, times, **extra):
    return [client.post("/login/", {"username": username, "password": "wrong"}, **extra)
            for _ in range(times)]


@override_settings(AXES_FAILURE_LIMIT=3)
def test_an_account_is_locked_after_repeated_failures_with_a_plain_page(patient):
    responses = _fail(Client(), "pat@example.com", 3)
    assert [r.status_code for r in responses] == [200, 200, 429]
    page = responses[-1].content.decode()
    assert "Sign-in paused" in page and "15 minutes" in page and "Traceback" not in page
    # Locked for the right password too, from another address and any spelling.
    response = Client(REMOTE_ADDR="10.9.9.9").post("/login/", {"username": "PAT@example.com\n",
                                                              "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in Client().session
    # What axes keeps is the one form of the address.
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"pat@example.com"}


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_lockout_ends_after_the_cool_off(patient):
    _fail(Client(), "pat@example.com", 3)
    AccessAttempt.objects.update(attempt_time=datetime.datetime.now(datetime.UTC)
                                 - datetime.timedelta(minutes=16))
    response = Client().post("/login/", {"username": "pat@example.com", "password": PASSWORD})
    assert response.status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_an_admin_unlocks_an_account(patient, admin_user):
    _fail(Client(), "pat@example.com", 3)
    admin = signed_in(admin_user)
    assert admin.get("/admin/axes/accessattempt/").status_code == 200
    # The list names the address typed: opening it is audited.
    assert AuditEvent.objects.filter(actor=admin_user, object_type="access_attempt_list").exists()
    call_command("axes_reset_username", "pat@example.com")
    response = Client().post("/login/", {"username": "pat@example.com", "password": PASSWORD})
    assert response.status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3, CLIENT_ADDRESS_HEADER="HTTP_X_REAL_IP")
def test_a_forged_client_address_header_is_not_a_500(patient):
    responses = _fail(Client(HTTP_X_REAL_IP="not-an-address<script>"), "pat@example.com", 3)
    assert [r.status_code for r in responses] == [200, 200, 429]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_addresses_stored_before_in_another_form_are_normalised(db):
    import importlib

    from django.apps import apps

    from accounts.services import user_create_with_role

    migration = importlib.import_module("accounts.migrations.0006_normalise_stored_emails")
    legacy = user_create_with_role(email="legacy@example.org", password=PASSWORD,
                                   full_name="Lee Legacy", role="patient")
    User.objects.filter(pk=legacy.pk).update(email=" Legacy@Example.ORG")  # as the admin kept it
    migration.normalise(apps, None)
    assert User.objects.get(pk=legacy.pk).email == "legacy@example.org"
    assert Client().post("/login/", {"username": "LEGACY@example.org", "password": PASSWORD}
                         ).status_code == 302


def test_a_superuser_made_at_the_command_line_signs_in(db):
    User.objects.create_superuser(email="root@example.org", password=PASSWORD, full_name="Root")
    assert Client().post("/login/", {"username": "root@example.org", "password": PASSWORD}
                         ).status_code == 302
