"""Who is calling the API: one integration, by its bearer token (never a browser session)."""

from dataclasses import dataclass

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling

from .models import ApiToken
from .services import api_token_for


@dataclass(frozen=True)
class Integration:
    """request.user for an API call: the integration behind the token, not a person."""

    token: ApiToken
    is_authenticated: bool = True
    is_anonymous: bool = False

    @property
    def pk(self) -> int:
        return self.token.pk


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer iop_...`. An unknown, expired or revoked token is a 401 with
    the same message for each, so a caller cannot probe which tokens exist."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Give one token after 'Bearer'.")
        try:
            presented = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("The token is not valid.") from None
        token = api_token_for(presented)
        if token is None:
            raise exceptions.AuthenticationFailed(
                "The token is not valid: unknown, expired or revoked.")
        return Integration(token=token), token

    def authenticate_header(self, request) -> str:
        return self.keyword


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "One token per integration, made by an admin in the app."}


class TokenScope(permissions.BasePermission):
    """Any usable token reads; only a read-and-write token writes."""

    message = "This token is read only: ask an admin for a read-and-write token."

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return token.can_write


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """Calls a token may make (API_RATE, e.g. "600/min"), counted per token."""

    scope = "api_token"

    def get_rate(self) -> str:
        # Read at each call, not once at import: the rate is a setting a clinic can change.
        from django.conf import settings

        return settings.API_RATE

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
