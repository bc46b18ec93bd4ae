"""Accounts: e-mail login, logout, sign-up, password reset, roles as groups, demo accounts."""

import re

from django.core import mail
from django.core.management import call_command

from accounts.models import User
from tests.accounts.helpers import deliver_account_mail
from tests.conftest import PASSWORD


def test_it_signs_a_patient_in_with_email_and_password(anon_client, patient):
    response = anon_client.post("/login/", {"username": "pat@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert anon_client.get("/", follow=True).redirect_chain[-1][0] == "/intake/"


def test_it_refuses_a_wrong_password_with_a_message(anon_client, patient):
    response = anon_client.post("/login/", {"username": "pat@example.com", "password": "nope"})
    assert response.status_code == 200
    assert "correct e-mail address and password" in response.content.decode()


def test_it_signs_out_on_post(patient_client):
    response = patient_client.post("/logout/")
    assert response.status_code == 302
    assert patient_client.get("/intake/").status_code == 302


def test_it_signs_up_a_patient_in_the_patient_group(anon_client, db):
    response = anon_client.post("/account/signup/", {
        "full_name": "New Person", "email": "New@Example.com", "password": PASSWORD})
    assert response.status_code == 200 and "Check your e-mail" in response.content.decode()
    user = User.objects.get(email="new@example.com")
    assert user.is_patient and not user.is_clinic_staff


def test_it_keeps_what_was_typed_when_sign_up_fails(anon_client, db):
    response = anon_client.post("/account/signup/", {
        "full_name": "Pat Again", "email": "pat@example.com", "password": "short"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Pat Again"' in html and 'value="pat@example.com"' in html
    assert "too short" in html


def test_it_resets_a_forgotten_password_by_email(anon_client, patient):
    anon_client.post("/account/password-reset/", {"email": "pat@example.com"})
    assert mail.outbox == []  # not sent inside the request: through the outbox
    assert deliver_account_mail() == 1
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/account/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = anon_client.get(link, follow=True).redirect_chain[-1][0]
    response = anon_client.post(form_url, {"new_password1": "a-brand-new-passphrase",
                                           "new_password2": "a-brand-new-passphrase"})
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.check_password("a-brand-new-passphrase")


def test_it_sends_no_reset_mail_for_an_unknown_address(anon_client, db):
    response = anon_client.post("/account/password-reset/", {"email": "who@example.com"})
    assert response.status_code == 302
    assert deliver_account_mail() == 0
    assert mail.outbox == []


def test_it_creates_one_demo_account_of_each_role(db, capsys):
    call_command("demo")
    out = capsys.readouterr().out
    for email in ("patient@example.com", "clinician@example.com", "admin@example.com"):
        assert email in out
    assert User.objects.get(email="patient@example.com").is_patient
    assert User.objects.get(email="clinician@example.com").is_clinician
    assert User.objects.get(email="admin@example.com").is_admin_role
    call_command("demo")  # a second run changes nothing
    assert User.objects.count() == 3


def test_programs_are_kept_on_their_own_pages_not_in_the_admin_site(admin_user, db):
    """Issue 14: programs have weekly sessions, ages, languages and places, kept on /programs/
    (audited); the Django admin, which would bypass that, no longer lists them."""
    import pytest
    from django.urls import NoReverseMatch, reverse

    from tests.conftest import signed_in

    with pytest.raises(NoReverseMatch):
        reverse("admin:review_program_add")
    client = signed_in(admin_user)
    assert client.get(reverse("programs:list")).status_code == 200
    assert client.get(reverse("programs:new")).status_code == 200
