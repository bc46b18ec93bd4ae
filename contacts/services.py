"""Writes of contact details, and the record of each time staff look at them."""

from django.db import transaction
from django.http import HttpRequest

from audit.models import AuditEvent
from audit.services import audit_record

from .models import ContactDetails


@transaction.atomic
def contact_details_save(*, patient, data: dict, request: HttpRequest | None = None,
                         intake_id: int | None = None) -> ContactDetails:
    """Create or replace the person's contact details with `data` (ContactDetailsForm's
    contact_details()). Returns the row.

    The audit row names which fields changed, never their values: admins read the log.
    """
    details = ContactDetails.objects.select_for_update().filter(patient=patient).first()
    created = details is None
    if details is None:
        details = ContactDetails(patient=patient)
    changed = [name for name, value in data.items() if getattr(details, name, None) != value]
    for name, value in data.items():
        setattr(details, name, value)
    details.save()
    if created or changed:
        audit_record(actor=patient, action=AuditEvent.Action.CREATE if created
                     else AuditEvent.Action.CHANGE, object_type="contact_details",
                     object_id=details.pk, intake_id=intake_id, request=request,
                     detail={"fields": sorted(changed)})
    return details


def contact_details_open(*, intake, viewer, request: HttpRequest | None = None
                         ) -> ContactDetails | None:
    """The contact details of the intake's person, for a staff member about to see them.
    Each call that returns them is written to the audit log (who saw whose numbers, on which
    intake). Returns None when the person has not given any yet: nothing to record."""
    try:  # joined by the staff access helper: no query of its own
        details = intake.patient.contact_details
    except ContactDetails.DoesNotExist:
        details = None
    if details is not None:
        audit_record(actor=viewer, action=AuditEvent.Action.VIEW,
                     object_type="contact_details", object_id=details.pk,
                     intake_id=intake.pk, request=request)
    return details
