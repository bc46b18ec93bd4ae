"""What every write of the review does first and last: lock the intake's row, check the
actor, and write the audit log (ids and codes only, never what was typed)."""

from django.http import HttpRequest

from accounts.models import User
from audit.services import audit_record
from intake.models import Intake

from .state import ReviewError


def locked(intake: Intake) -> Intake:
    """The intake's row, locked for this transaction, with its current state: two clinicians
    acting on the same intake at the same moment are serialised, and the second one sees the
    state the first one left."""
    return Intake.objects.select_for_update().get(pk=intake.pk)


def require_clinician(actor: User) -> None:
    if not actor.is_clinician:
        raise ReviewError("Only clinicians review intakes.")


def audit_intake(*, actor, action: str, intake: Intake, request: HttpRequest | None,
                 detail: dict | None = None) -> None:
    audit_record(actor=actor, action=action, object_type="intake", object_id=intake.pk,
                 intake_id=intake.pk, request=request, detail=detail)
