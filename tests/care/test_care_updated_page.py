"""The mail "there is an update about your care" after a re-screen decision links to the
intake's page: that page must show the change, or the person reads their old level."""

from django.urls import reverse

from care.invitations import rescreen_sweep
from tests.care import test_rescreen
from tests.care.test_rescreen import WELL_PHQ9, _rescreen
from tests.conftest import signed_in

program, started = test_rescreen.program, test_rescreen.started  # the same fixtures


def test_the_page_the_care_updated_mail_opens_shows_the_new_care_level(started, patient,
                                                                       clinician):
    rescreen_sweep()
    rescreen = _rescreen(signed_in(patient), started, phq9=WELL_PHQ9)
    assert signed_in(clinician).post(reverse("care:decide", args=[rescreen.pk]), {
        "outcome": "override", "level": "outpatient", "reason_code": "clinical_judgement",
        "reason_text": "Doing well."}).status_code == 302
    client = signed_in(patient)
    html = client.get(reverse("intake:status", args=[started.pk])).content.decode()
    assert "care-level-now" in html and "standard outpatient" in html
    patient.language = "es"
    patient.save()
    client = signed_in(patient)
    client.cookies["django_language"] = "es"
    html = client.get(reverse("intake:status", args=[started.pk]),
                      HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "care-level-now" in html and "Después de su último control" in html


def test_no_change_is_announced_while_the_care_level_is_the_decisions(started, patient):
    html = signed_in(patient).get(reverse("intake:status", args=[started.pk])).content.decode()
    assert "care-level-now" not in html
