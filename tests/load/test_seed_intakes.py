"""`manage.py seed_intakes`: realistic benchmark data, only into an empty database."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from audit.models import AuditEvent
from contacts.models import ContactDetails
from intake.models import Intake, IntakeFlag
from review.models import Decision
from screening.models import Recommendation

pytestmark = pytest.mark.django_db


def test_it_seeds_intakes_in_every_state_with_what_a_submit_stores():
    call_command("seed_intakes", 600, verbosity=0)
    assert Intake.objects.count() == 600
    states = set(Intake.objects.values_list("status", flat=True))
    assert states == set(Intake.Status.values)
    screened = Intake.objects.exclude(status=Intake.Status.DRAFT)
    # Every submitted intake has the engine's recommendation, its queue copy and a deadline.
    assert Recommendation.objects.count() == screened.count()
    for intake in screened.select_related("recommendation")[:50]:
        assert intake.recommended_level == intake.recommendation.level
        assert intake.urgent == ("urgent" in intake.recommendation.flags)
        assert intake.respond_by is not None and intake.respond_by > intake.submitted_at
    assert IntakeFlag.objects.count() == sum(
        len(flags) for flags in Recommendation.objects.values_list("flags", flat=True))
    # Spread over the answer space: every level recommended, some urgent.
    assert set(screened.values_list("recommended_level", flat=True)) == {
        "inpatient", "iop", "outpatient"}
    assert screened.filter(urgent=True).exists()
    decided = Intake.objects.filter(status__in=["decided", "closed"])
    assert Decision.objects.count() == decided.count()
    assert ContactDetails.objects.count() == 600 // 5
    assert AuditEvent.objects.filter(action="submit").count() == screened.count()
    # Dates span years, not the second the seed ran.
    first, last = (Intake.objects.order_by("created_at").values_list("created_at", flat=True)
                   [i] for i in (0, 599))
    assert (last - first).days > 365 * 4


def test_it_refuses_a_database_that_is_not_empty(patient):
    with pytest.raises(CommandError, match="already has"):
        call_command("seed_intakes", 10, verbosity=0)
    assert Intake.objects.count() == 0
    call_command("seed_intakes", 10, allow_existing=True, verbosity=0)
    assert Intake.objects.count() == 10


def test_it_never_runs_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("seed_intakes", 10, verbosity=0)
    assert Intake.objects.count() == 0


def test_seeded_clinicians_have_the_password_given():
    call_command("seed_intakes", 5, staff_password="bench-pass-123", verbosity=0)
    clinician = User.objects.get(email="clinician1@bench.example.org")
    assert clinician.check_password("bench-pass-123")
    assert clinician.groups.filter(name="clinician").exists()


def test_without_a_password_no_seeded_account_can_sign_in():
    call_command("seed_intakes", 5, verbosity=0)
    assert not any(user.has_usable_password() for user in User.objects.all())


def _seeded() -> list[tuple]:
    return list(Intake.objects.order_by("id").values_list(
        "status", "answers", "recommended_level", "urgent", "decided_level"))


@pytest.mark.django_db(transaction=True)
def test_worker_processes_make_the_same_data_as_one_process():
    # Batches have their own random generators, so the number of workers changes nothing.
    # 12,000 intakes: three batches, two of them made by the workers at once.
    call_command("seed_intakes", 12_000, jobs=2, seed=7, verbosity=0)
    call_command("seed_intakes", 12_000, jobs=1, seed=7, allow_existing=True, verbosity=0)
    seeded = _seeded()
    in_workers, in_one = seeded[:12_000], seeded[12_000:]
    assert in_workers == in_one
    assert len({row[2] for row in in_workers}) == 4  # three levels and the drafts' none
    assert Recommendation.objects.count() == 2 * sum(row[0] != "draft" for row in in_workers)
