"""Where a request comes from, for rate limits and the audit log's "from where".

Behind a reverse proxy every request arrives from the proxy's address; the proxy then passes
the client's in a header it sets (CLIENT_ADDRESS_HEADER, e.g. HTTP_X_REAL_IP). A request
without that header (a health check from the proxy's host) falls back to REMOTE_ADDR rather
than failing: a missing header must not turn a sign-in into a 500.
"""

from django.conf import settings


def client_address(request) -> str:
    header = settings.CLIENT_ADDRESS_HEADER
    return ((header and request.META.get(header, "").split(",")[0].strip())
            or request.META.get("REMOTE_ADDR") or "unknown")
