"""review/kept.py: values read at most once a while per process, forgotten on a save here."""

from django.contrib.auth.models import Group

from review import kept as kept_module
from review.kept import forget, kept


def test_it_reads_once_until_the_time_is_up(monkeypatch):
    reads = []
    clock = [1000.0]
    monkeypatch.setattr(kept_module.time, "monotonic", lambda: clock[0])

    def read():
        reads.append(1)
        return "value"

    assert kept("key", 60, read) == kept("key", 60, read) == "value"
    assert len(reads) == 1
    clock[0] += 61
    assert kept("key", 60, read) == "value" and len(reads) == 2


def test_nothing_is_not_kept():
    reads = []
    assert kept("missing", 60, lambda: reads.append(1)) is None
    assert kept("missing", 60, lambda: reads.append(1)) is None
    assert len(reads) == 2


def test_a_group_saved_in_this_process_is_read_again(db):
    assert kept("clinician_group_id", 600, lambda: 1) == 1
    Group.objects.create(name="night nurses")
    assert kept("clinician_group_id", 600, lambda: 2) == 2
    forget()
    assert kept("clinician_group_id", 600, lambda: 3) == 3


def test_a_criteria_version_saved_in_this_process_is_read_again(clinician_client, db):
    from screening.models import CriteriaVersion

    clinician_client.get("/review/")
    assert kept_module._kept.get("criteria_published_document") is not None
    version = CriteriaVersion.objects.get(status=CriteriaVersion.Status.PUBLISHED)
    version.save()
    assert "criteria_published_document" not in kept_module._kept
