"""The integrations pages: admins make and revoke tokens and webhooks in the app."""

import pytest
from django.urls import reverse

from api.models import ApiToken, Webhook, WebhookDelivery
from audit.models import AuditEvent
from tests.api.helpers import api_client

pytestmark = pytest.mark.django_db


def test_an_admin_makes_a_token_sees_it_once_and_revokes_it(admin_client_):
    response = admin_client_.post(reverse("integrations:token-new"),
                                  {"name": "EHR", "scope": "read", "days": "30"})
    assert response.status_code == 200
    token = response.context["token"]
    assert token in response.content.decode() and "no-store" in response["Cache-Control"]
    row = ApiToken.objects.get(name="EHR")
    assert row.scope == "read" and row.key_hash != token
    assert AuditEvent.objects.filter(object_type="api_token", action="create").exists()
    assert api_client(token).get("/api/v1/programs/").status_code == 200

    listing = admin_client_.get(reverse("integrations:home")).content.decode()
    assert "EHR" in listing and row.prefix in listing and token not in listing

    admin_client_.post(reverse("integrations:token-revoke", args=[row.pk]))
    row.refresh_from_db()
    assert row.revoked_at is not None
    assert api_client(token).get("/api/v1/programs/").status_code == 401


@pytest.mark.parametrize("data, field", [
    ({"name": "", "scope": "read", "days": "30"}, "name"),
    ({"name": "EHR", "scope": "admin", "days": "30"}, "scope"),
    ({"name": "EHR", "scope": "read", "days": "0"}, "days"),
    ({"name": "EHR", "scope": "read", "days": "400"}, "days"),
])
def test_a_bad_token_form_says_what_is_wrong_and_keeps_what_was_typed(admin_client_, data,
                                                                     field):
    response = admin_client_.post(reverse("integrations:token-new"), data)
    assert response.status_code == 200 and response.context["form"].errors[field]
    assert not ApiToken.objects.exists()
    assert response.context["form"].data["name"] == data["name"]


def test_an_admin_adds_a_webhook_sees_its_secret_once_and_its_deliveries(admin_client_,
                                                                        admin_user):
    response = admin_client_.post(reverse("integrations:webhook-new"), {
        "url": "https://ehr.example.org/hooks", "events": ["intake.decided"]})
    hook = Webhook.objects.get()
    assert hook.events == ["intake.decided"] and hook.secret in response.content.decode()
    WebhookDelivery.objects.create(webhook=hook, event="intake.decided", intake_id=42,
                                   payload={}, attempts=2, last_status=500,
                                   last_error="HTTP 500")
    page = admin_client_.get(reverse("integrations:webhook", args=[hook.pk])).content.decode()
    assert "HTTP 500" in page and ">42<" in page and hook.secret not in page

    admin_client_.post(reverse("integrations:webhook-active", args=[hook.pk]), {"active": "0"})
    hook.refresh_from_db()
    assert hook.active is False


def test_a_webhook_needs_a_web_address_and_an_event(admin_client_):
    response = admin_client_.post(reverse("integrations:webhook-new"), {
        "url": "ftp://ehr.example.org/", "events": []})
    errors = response.context["form"].errors
    assert "url" in errors and "events" in errors and not Webhook.objects.exists()
