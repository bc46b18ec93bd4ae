"""Where a request comes from, for rate limits and the audit log's "from where".

Behind a reverse proxy every request arrives from the proxy's address; the proxy then passes
the client's in a header it sets (CLIENT_ADDRESS_HEADER, e.g. HTTP_X_REAL_IP). A request
without that header (a health check from the proxy's host) falls back to REMOTE_ADDR rather
than failing: a missing header must not turn a sign-in into a 500.
"""

import ipaddress

from django.conf import settings


def _ip_or_empty(value: str) -> str:
    # The header is typed by whoever sends the request when the proxy does not overwrite
    # it: anything but an address would be a 500 where it is stored (audit log, lockouts).
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return ""


def client_address(request) -> str:
    header = settings.CLIENT_ADDRESS_HEADER
    forwarded = _ip_or_empty(request.META.get(header, "").split(",")[0]) if header else ""
    return forwarded or _ip_or_empty(request.META.get("REMOTE_ADDR") or "") or "unknown"


def client_ip_or_none(request) -> str | None:
    """The client's address, or None when there is none (django-axes stores it as an IP)."""
    address = client_address(request)
    return None if address == "unknown" else address
