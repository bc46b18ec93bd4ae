"""Writes of the integrations: API tokens and webhooks, made and revoked by admins."""

import hashlib
import secrets

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record

from .models import ApiToken, Webhook

TOKEN_PREFIX = "iop_"  # noqa: S105  # nosec B105: the fixed start of every token, not a secret


class IntegrationError(Exception):
    """An admin's request refused: the message says why."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _require_admin(actor: User) -> None:
    if not actor.is_admin_role:
        raise IntegrationError("Only admins manage integrations.")


@transaction.atomic
def api_token_create(*, actor: User, name: str, scope: str, days: int,
                     request: HttpRequest | None = None) -> tuple[ApiToken, str]:
    """Make a token for one integration, valid for `days` days.

    Returns the stored row and the token itself, which is never stored and so can be shown
    only this once. Raises IntegrationError for a missing name, an unknown scope or a
    validity outside 1-365 days.
    """
    _require_admin(actor)
    name = name.strip()
    if not name:
        raise IntegrationError("Name the integration that will use the token.", "name")
    if scope not in ApiToken.Scope.values:
        raise IntegrationError("Choose read only or read and write.", "scope")
    if not 1 <= days <= 365:
        raise IntegrationError("A token is valid for 1 to 365 days.", "days")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        name=name, prefix=token[:10], key_hash=token_hash(token), scope=scope,
        expires_at=timezone.now() + timezone.timedelta(days=days), created_by=actor)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, object_type="api_token",
                 object_id=row.pk, request=request, detail={"scope": scope, "days": days})
    return row, token


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User,
                     request: HttpRequest | None = None) -> ApiToken:
    """Revoke a token at once (its next call is refused). Revoking twice changes nothing."""
    _require_admin(actor)
    row = ApiToken.objects.select_for_update().get(pk=token.pk)
    if row.revoked_at is None:
        row.revoked_at, row.revoked_by = timezone.now(), actor
        row.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(actor=actor, action=AuditEvent.Action.CHANGE, object_type="api_token",
                     object_id=row.pk, request=request, detail={"revoked": True})
    return row


def api_token_for(token: str) -> ApiToken | None:
    """The usable token row for a presented token, or None (unknown, expired or revoked)."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    row = ApiToken.objects.filter(key_hash=token_hash(token)).first()
    if row is None or not row.is_usable():
        return None
    # At most one write a minute per token: the admin page shows when it was last used.
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > timezone.timedelta(minutes=1):
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row


@transaction.atomic
def webhook_create(*, actor: User, url: str, events: list[str],
                   request: HttpRequest | None = None) -> Webhook:
    """Register a URL for intake events. Returns the hook; its secret is shown once.

    Raises IntegrationError for a URL that is not http(s) or no known event.
    """
    _require_admin(actor)
    url = url.strip()
    if not url.startswith(("https://", "http://")):
        raise IntegrationError("Give the full address, starting with https://.", "url")
    events = [event for event in Webhook.Event.values if event in events]
    if not events:
        raise IntegrationError("Choose at least one event.", "events")
    hook = Webhook.objects.create(url=url, events=events, secret=secrets.token_urlsafe(32),
                                  created_by=actor)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, object_type="webhook",
                 object_id=hook.pk, request=request, detail={"events": events})
    return hook


@transaction.atomic
def webhook_set_active(*, hook: Webhook, active: bool, actor: User,
                       request: HttpRequest | None = None) -> Webhook:
    """Switch a hook off (no new deliveries) or on again. Returns it."""
    _require_admin(actor)
    hook.active = active
    hook.save(update_fields=["active"])
    audit_record(actor=actor, action=AuditEvent.Action.CHANGE, object_type="webhook",
                 object_id=hook.pk, request=request, detail={"active": active})
    return hook
