"""Reads of intakes for the patient who owns them."""

from django.http import Http404

from .models import Intake


def intake_get_for_patient(user, pk: int) -> Intake:
    """The patient's own intake; Http404 for anyone else's (never 403: no hint it exists)."""
    intake = (Intake.objects.select_related("recommendation", "decision", "decision__program")
              .filter(pk=pk, patient=user).first())
    if intake is None:
        raise Http404("No such intake.")
    intake.patient = user  # the row was found by it: no second read of the person and roles
    return intake


def intakes_of_patient(user):
    return Intake.objects.filter(patient=user).order_by("-created_at")
