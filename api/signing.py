"""Signing an outgoing webhook body: HMAC-SHA256 over the timestamp and the body.

Reusable by any webhook of the app. The receiver recomputes the signature with its copy of
the secret, compares in constant time, and refuses a timestamp older than a few minutes
(a replayed delivery).
"""

import hashlib
import hmac

SIGNATURE_HEADER = "X-IOP-Signature"
TIMESTAMP_HEADER = "X-IOP-Timestamp"


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for `body` sent at `timestamp` (Unix seconds):
    "v1=" and the hex HMAC-SHA256 of "<timestamp>.<body>" under `secret`."""
    message = str(timestamp).encode() + b"." + body
    return "v1=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(*, secret: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The timestamp and signature headers for one delivery."""
    return {TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: signature(secret=secret, timestamp=timestamp, body=body)}


def signature_valid(*, secret: str, timestamp: str, body: bytes, received: str,
                    now: int, tolerance_seconds: int = 300) -> bool:
    """True when `received` signs `body` at `timestamp` and the timestamp is recent."""
    try:
        stamp = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs(now - stamp) > tolerance_seconds:
        return False
    return hmac.compare_digest(signature(secret=secret, timestamp=stamp, body=body), received)
