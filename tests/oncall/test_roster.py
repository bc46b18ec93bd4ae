"""The on-call roster pages (admins): list, add, change, end; validation said by the field."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from oncall.models import Shift
from oncall.selectors import oncall_clinicians, roster_is_empty

pytestmark = pytest.mark.django_db


def when(hours: float) -> str:
    return timezone.localtime(timezone.now() + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def test_it_lists_who_is_on_call_now_and_the_coming_shifts(admin_client_, clinician,
                                                           other_clinician):
    Shift.objects.create(clinician=other_clinician, starts_at=timezone.now() + timedelta(days=1),
                         ends_at=timezone.now() + timedelta(days=2), backup=clinician)
    html = admin_client_.get(reverse("oncall:roster")).content.decode()
    now, coming = html.split("Coming shifts")
    assert "Casey Clinician" in now and "Drew Doctor" in coming.split("Ended in")[0]


def test_an_admin_adds_a_shift_and_it_is_audited(admin_client_, admin_user, clinician,
                                                 other_clinician):
    response = admin_client_.post(reverse("oncall:shift-new"), {
        "clinician": other_clinician.pk, "starts_at": when(-1), "ends_at": when(8),
        "backup": clinician.pk})
    assert response.status_code == 302
    shift = Shift.objects.get(clinician=other_clinician)
    assert shift.backup == clinician
    assert other_clinician in oncall_clinicians()
    event = AuditEvent.objects.get(object_type="oncall_shift")
    assert event.actor == admin_user and event.action == AuditEvent.Action.CREATE


@pytest.mark.parametrize("change, field, message", [
    ({"ends_at": when(-2)}, "ends_at", "The end must be after the start."),
    ({"backup": "self"}, "backup", "The backup must be someone other than the person on call."),
    ({"starts_at": "tomorrow"}, "starts_at", "Enter the start as a date and time."),
    ({"clinician": ""}, "clinician", "Choose who is on call."),
])
def test_a_bad_shift_is_refused_beside_the_field_keeping_what_was_typed(
        admin_client_, clinician, other_clinician, change, field, message):
    data = {"clinician": other_clinician.pk, "starts_at": when(-1), "ends_at": when(8),
            "backup": clinician.pk}
    data.update(change)
    if data["backup"] == "self":
        data["backup"] = other_clinician.pk
    response = admin_client_.post(reverse("oncall:shift-new"), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors[field] == [message]
    assert message in response.content.decode()
    assert response.context["form"].data["ends_at"] == data["ends_at"]
    assert not Shift.objects.filter(clinician=other_clinician).exists()


def test_a_patient_or_an_admin_cannot_be_on_call(admin_client_, admin_user, patient):
    for person in (patient, admin_user):
        response = admin_client_.post(reverse("oncall:shift-new"), {
            "clinician": person.pk, "starts_at": when(-1), "ends_at": when(8)})
        assert response.status_code == 400
        assert "Select a valid choice" in response.content.decode()


def test_an_admin_changes_a_shift(admin_client_, clinician, other_clinician):
    shift = Shift.objects.get(clinician=clinician)
    page = admin_client_.get(reverse("oncall:shift-edit", args=[shift.pk]))
    assert page.context["form"].initial["clinician"] == clinician.pk
    response = admin_client_.post(reverse("oncall:shift-edit", args=[shift.pk]), {
        "clinician": other_clinician.pk, "starts_at": when(-1), "ends_at": when(4)})
    assert response.status_code == 302
    shift.refresh_from_db()
    assert shift.clinician == other_clinician


def test_a_shift_that_has_ended_is_not_rewritten(admin_client_, clinician):
    shift = Shift.objects.get(clinician=clinician)
    Shift.objects.filter(pk=shift.pk).update(starts_at=timezone.now() - timedelta(days=2),
                                             ends_at=timezone.now() - timedelta(days=1))
    response = admin_client_.post(reverse("oncall:shift-edit", args=[shift.pk]), {
        "clinician": clinician.pk, "starts_at": when(-1), "ends_at": when(4)})
    assert response.status_code == 400
    assert "This shift has ended: it stays on the record as it was." in response.content.decode()
    shift.refresh_from_db()
    assert shift.ends_at < timezone.now()


def test_ending_the_last_shift_leaves_the_roster_empty(admin_client_, clinician):
    shift = Shift.objects.get(clinician=clinician)
    response = admin_client_.post(reverse("oncall:shift-end", args=[shift.pk]), follow=True)
    assert "Casey Clinician&#x27;s shift has ended." in response.content.decode()
    assert roster_is_empty()
    assert "No one is on call: urgent alerts cannot be delivered." in response.content.decode()
    again = admin_client_.post(reverse("oncall:shift-end", args=[shift.pk]), follow=True)
    assert "This shift has already ended." in again.content.decode()


def test_a_coming_shift_is_removed(admin_client_, other_clinician):
    shift = Shift.objects.create(clinician=other_clinician,
                                 starts_at=timezone.now() + timedelta(days=1),
                                 ends_at=timezone.now() + timedelta(days=2))
    admin_client_.post(reverse("oncall:shift-end", args=[shift.pk]))
    assert not Shift.objects.filter(pk=shift.pk).exists()


def test_a_disabled_account_is_not_on_call(clinician):
    clinician.is_active = False
    clinician.save(update_fields=["is_active"])
    assert oncall_clinicians() == [] and roster_is_empty()
