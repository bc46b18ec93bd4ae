"""Reads of contact details."""

from .models import ContactDetails


def contact_details_of(patient) -> ContactDetails | None:
    """The person's contact details, or None when they have not given them yet."""
    return ContactDetails.objects.filter(patient=patient).first()


def patient_age(patient) -> int | None:
    """The age given on the person's latest intake (through the reverse relation: the
    contacts app reads no intake module), or None before they answered it."""
    for answers in patient.intakes.order_by("-created_at").values_list("answers", flat=True):
        age = (answers or {}).get("age")
        if isinstance(age, int):
            return age
    return None
