"""Tokens for the API tests: one per scope, and the refused kinds (expired, revoked)."""

from django.test import Client
from django.utils import timezone

from api.models import ApiToken
from api.services import api_token_create, api_token_revoke


def make_token(admin, *, scope: str = ApiToken.Scope.READ, name: str = "EHR") -> str:
    return api_token_create(actor=admin, name=name, scope=scope, days=30)[1]


def expired_token(admin) -> str:
    row, token = api_token_create(actor=admin, name="Old", scope=ApiToken.Scope.READ_WRITE,
                                  days=1)
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now()
                                              - timezone.timedelta(seconds=1))
    return token


def revoked_token(admin) -> str:
    row, token = api_token_create(actor=admin, name="Gone", scope=ApiToken.Scope.READ_WRITE,
                                  days=30)
    api_token_revoke(token=row, actor=admin)
    return token


def api_client(token: str | None) -> Client:
    """A client that sends `token` as a bearer token with every call (none: no header)."""
    if token is None:
        return Client()
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")
