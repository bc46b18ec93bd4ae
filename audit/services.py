from django.http import HttpRequest

from iop.client import client_address

from .models import AuditEvent


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    address = client_address(request)
    return None if address == "unknown" else address


def _role_of(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    for role in ("admin", "clinician", "patient"):
        if user.has_role(role):
            return role
    return ""


def audit_record(*, actor, action: str, object_type: str, object_id: object = "",
                 intake_id: int | None = None, request: HttpRequest | None = None,
                 detail: dict | None = None) -> AuditEvent:
    """Append one row to the audit log (who, what, when, from where). Returns it.

    `detail` must hold ids and codes only: the log is read by admins who need not see answers.
    """
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_role=_role_of(actor),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        intake_id=intake_id,
        ip_address=_client_ip(request),
        detail=detail or {},
    )
