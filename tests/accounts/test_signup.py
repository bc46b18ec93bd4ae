"""Sign-up never tells who has an account (for this clinic, that someone sought care): the
same page either way, the address confirmed by a signed link before the account signs in,
and the owner of an existing account told by mail instead (issue 13)."""

import re

from django.core import mail
from django.test import Client

from accounts.models import AccountMail, User
from tests.accounts.helpers import deliver_account_mail
from tests.conftest import PASSWORD


def _sign_up(email: str, name: str = "Sam Seeker", password: str = PASSWORD):
    return Client().post("/account/signup/", {"full_name": name, "email": email,
                                              "password": password})


def _link(message) -> str:
    return re.search(r"http://127\.0\.0\.1:8000(/account/confirm/\S+/)", message.body).group(1)


def _page(response) -> str:
    html = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(patient):
    taken = _sign_up("pat@example.com")
    free = _sign_up("free@example.com")
    assert taken.status_code == free.status_code == 200
    assert _page(taken).replace("pat@example.com", "X") == _page(free).replace(
        "free@example.com", "X")
    assert "already" not in _page(taken)


def test_the_owner_of_an_existing_account_is_told_by_mail_and_nothing_changes(patient):
    _sign_up("PAT@example.com ", name="Someone Else", password="another-passphrase-1")
    patient.refresh_from_db()
    assert patient.full_name == "Pat Patient" and patient.check_password(PASSWORD)
    deliver_account_mail()
    [message] = mail.outbox
    assert message.to == ["pat@example.com"]
    assert "Someone tried to create an account" in message.subject
    assert "/account/confirm/" not in message.body and "Someone Else" not in message.body


def test_a_new_account_signs_in_only_after_the_mailed_link(db):
    _sign_up("sam@example.org")
    user = User.objects.get(email="sam@example.org")
    assert user.email_confirmed_at is None
    refused = Client().post("/login/", {"username": "sam@example.org", "password": PASSWORD})
    assert refused.status_code == 200 and "Confirm your e-mail address first" in _page(refused)

    deliver_account_mail()
    [message] = mail.outbox
    assert message.to == ["sam@example.org"] and "Sam Seeker" not in message.body
    link = _link(message)
    client = Client()
    assert "Confirm my address" in client.get(link).content.decode()  # a GET uses nothing up
    assert User.objects.get(pk=user.pk).email_confirmed_at is None
    assert client.post(link)["Location"] == "/login/"
    assert client.post("/login/", {"username": "sam@example.org", "password": PASSWORD}
                       ).status_code == 302
    # The link works once.
    assert "does not work" in Client().post(link).content.decode()


def test_signing_up_again_before_confirming_sends_a_new_link_and_ends_the_old(db):
    _sign_up("sam@example.org", password="first-passphrase-12")
    _sign_up("sam@example.org", password="second-passphrase-34")
    deliver_account_mail()
    first, second = mail.outbox
    assert "does not work" in Client().post(_link(first)).content.decode()
    assert Client().post(_link(second)).status_code == 302
    user = User.objects.get(email="sam@example.org")
    assert user.check_password("second-passphrase-34") and user.email_confirmed_at


def test_a_forged_or_broken_link_is_a_plain_page(db):
    for link in ("/account/confirm/xx/yy/", "/account/confirm/MQ/abc-def/",
                 "/account/confirm/%00/%ff/"):
        response = Client(raise_request_exception=False).get(link)
        assert response.status_code in (200, 400), (link, response.status_code)
        assert "does not work" in _page(response) or "could not be read" in _page(response)


def test_the_password_may_not_be_the_name(db):
    response = _sign_up("robin@example.org", name="Robin Riverastone",
                        password="riverastone")
    assert "too similar" in _page(response)
    assert not AccountMail.objects.exists()


def test_a_reset_link_confirms_an_account_whose_sign_up_link_was_lost(db):
    _sign_up("sam@example.org")
    Client().post("/account/password-reset/", {"email": "sam@example.org"})
    deliver_account_mail()
    reset = next(m for m in mail.outbox if "/account/reset/" in m.body)
    link = re.search(r"http://testserver(/account/reset/\S+)", reset.body).group(1)
    client = Client()
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": "a-brand-new-passphrase",
                           "new_password2": "a-brand-new-passphrase"})
    assert User.objects.get(email="sam@example.org").email_confirmed_at is not None
    assert Client().post("/login/", {"username": "sam@example.org",
                                     "password": "a-brand-new-passphrase"}).status_code == 302


def test_sign_ups_never_confirmed_are_deleted_after_a_week(patient):
    from django.utils import timezone

    from accounts.tasks import purge_unconfirmed_accounts

    _sign_up("old@example.org")
    _sign_up("new@example.org")
    User.objects.filter(email="old@example.org").update(
        date_joined=timezone.now() - timezone.timedelta(days=8))
    User.objects.filter(pk=patient.pk).update(  # confirmed long ago: kept
        date_joined=timezone.now() - timezone.timedelta(days=800))
    deliver_account_mail()
    AccountMail.objects.filter(to_address="old@example.org").update(
        sent_at=timezone.now() - timezone.timedelta(days=31))
    assert purge_unconfirmed_accounts() == 1
    assert set(User.objects.values_list("email", flat=True)) == {"pat@example.com",
                                                                 "new@example.org"}
    assert list(AccountMail.objects.values_list("to_address", flat=True)) == ["new@example.org"]
