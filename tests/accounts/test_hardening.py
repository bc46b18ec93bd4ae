"""Security review fixes: one login page, rate limits, no account deletion, hidden secrets."""

from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from audit.models import AuditEvent
from tests.accounts.helpers import deliver_account_mail
from tests.conftest import PASSWORD, signed_in


def test_the_admin_login_sends_to_the_one_login_page_keeping_next(db):
    response = Client().get("/admin/login/?next=/admin/review/program/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=%2Fadmin%2Freview%2Fprogram%2F"


def test_the_admin_login_takes_no_password(patient):
    response = Client().post("/admin/login/", {"username": "pat@example.com",
                                               "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert "_auth_user_id" not in Client().session


def test_the_admin_login_does_not_loop_for_people_the_admin_site_refuses(patient, admin_user):
    assert signed_in(patient).get("/admin/login/?next=/admin/").status_code == 403
    assert signed_in(admin_user).get("/admin/login/?next=/admin/")["Location"] == "/admin/"
    unverified = signed_in(admin_user, verified=False)
    TOTPDevice.objects.filter(user=admin_user).delete()
    assert unverified.get("/admin/login/?next=/admin/")["Location"].startswith(
        "/account/2fa/setup/?next=/admin/")


def test_it_rate_limits_password_reset_per_address(patient):
    codes = []
    for n in range(6):  # a different sender each time: the per-address limit
        client = Client(REMOTE_ADDR=f"10.0.0.{n + 1}")
        codes.append(client.post("/account/password-reset/",
                                 {"email": "Pat@example.com" if n % 2 else "pat@example.com"}
                                 ).status_code)
    assert codes[:5] == [302] * 5 and codes[5] == 429
    assert deliver_account_mail() == 5 and len(mail.outbox) == 5


def test_it_rate_limits_password_reset_per_sender(db):
    client = Client()
    codes = [client.post("/account/password-reset/", {"email": f"p{n}@example.com"}).status_code
             for n in range(6)]
    assert codes[:5] == [302] * 5 and codes[5] == 429
    assert "wait an hour" in client.post("/account/password-reset/",
                                         {"email": "x@example.com"}).content.decode()


def test_the_sign_up_limit_message_says_an_hour(db):
    for n in range(3):  # each sign-up mails the address: three an hour for one address
        Client(REMOTE_ADDR=f"10.0.2.{n}").post("/account/signup/", {
            "full_name": "X", "email": "x@example.com", "password": "short"})
    response = Client().post("/account/signup/", {"full_name": "X", "email": " X@example.com",
                                                  "password": "short"})
    assert response.status_code == 429
    assert "wait an hour" in response.content.decode()


def test_a_shelter_kiosk_signs_many_people_up(db):
    kiosk = Client(REMOTE_ADDR="203.0.113.7")
    codes = [kiosk.post("/account/signup/", {"full_name": f"Person {n}",
                                             "email": f"person{n}@example.org",
                                             "password": PASSWORD}).status_code
             for n in range(25)]
    assert codes == [200] * 25
    assert User.objects.filter(email__startswith="person").count() == 25


def test_the_login_limit_message_says_a_minute(db):
    client = Client()
    for _ in range(10):
        client.post("/login/", {"username": "a@example.com", "password": "x"})
    response = client.post("/login/", {"username": "a@example.com", "password": "x"})
    assert response.status_code == 429 and "wait a minute" in response.content.decode()


@override_settings(CLIENT_ADDRESS_HEADER="HTTP_X_REAL_IP")
def test_rate_limits_read_the_client_address_the_proxy_passes(db):
    proxy = "127.0.0.1"  # every request arrives from the proxy

    def reset_codes(client_ip):
        client = Client(REMOTE_ADDR=proxy, HTTP_X_REAL_IP=client_ip)
        return [client.post("/account/password-reset/", {"email": f"{client_ip}-{n}@example.com"}
                            ).status_code for n in range(6)]

    assert reset_codes("203.0.113.1")[-1] == 429
    assert reset_codes("203.0.113.2")[0] == 302  # another person behind the same proxy
    # A request from the proxy's host without the header is not a 500.
    assert Client(REMOTE_ADDR=proxy).post("/account/password-reset/",
                                          {"email": "x@example.com"}).status_code == 302


def test_an_admin_cannot_delete_an_account_only_deactivate_it(admin_user, patient):
    client = signed_in(admin_user)
    url = reverse("admin:accounts_user_delete", args=[patient.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    response = client.post(reverse("admin:accounts_user_changelist"),
                           {"action": "delete_selected", "_selected_action": [patient.pk],
                            "post": "yes"})
    assert User.objects.filter(pk=patient.pk).exists()
    assert response.status_code in (200, 302)


def test_admins_cannot_read_a_staff_totp_secret(admin_user, clinician):
    device = TOTPDevice.objects.create(user=clinician, name="phone", confirmed=True)
    client = signed_in(admin_user)
    html = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk])
                      ).content.decode()
    assert "phone" in html
    assert device.key not in html


def test_the_session_ends_when_the_browser_closes(patient):
    client = Client()
    client.post("/login/", {"username": "pat@example.com", "password": PASSWORD})
    cookie = client.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""


def test_an_admin_opening_or_changing_accounts_is_audited(admin_user, patient):
    client = signed_in(admin_user)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    change = reverse("admin:accounts_user_change", args=[patient.pk])
    assert client.get(change).status_code == 200
    rows = list(AuditEvent.objects.filter(actor=admin_user).order_by("id")
                .values_list("action", "object_type", "object_id"))
    assert rows == [("view", "user_list", ""), ("view", "user", str(patient.pk))]
