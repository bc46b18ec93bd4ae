"""The audit log partitioned by month on PostgreSQL (audit migration 0003): each row in its
month's partition, a month nobody prepared in the default one, and still append-only."""

from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from audit.models import AuditEvent
from audit.partitions import audit_partition_of, audit_partitions_ensure
from audit.services import audit_record
from audit.tasks import create_audit_partitions

pytestmark = pytest.mark.django_db


def partitions() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT inhrelid::regclass::text FROM pg_inherits "
                       "WHERE inhparent = 'audit_auditevent'::regclass ORDER BY 1")
        return [row[0] for row in cursor.fetchall()]


def insert_at(moment: str) -> int:
    """A row written at `moment` (the model stamps `at` itself, so in SQL)."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO audit_auditevent (at, actor_role, action, object_type, "
                       "object_id, detail) VALUES (%s, '', 'view', 'intake', '1', '{}') "
                       "RETURNING id", [moment])
        return cursor.fetchone()[0]


def test_a_row_lands_in_its_months_partition(clinician):
    assert connection.vendor == "postgresql"
    event = audit_record(actor=clinician, action="view", object_type="intake", intake_id=7)
    now = timezone.now()
    assert audit_partition_of(event.pk) == f"audit_auditevent_y{now:%Y}m{now:%m}"
    # The first and the last instant of a month (UTC), in partitions made ahead for them.
    assert audit_partitions_ensure(today=date(2031, 2, 1), months_ahead=1) == {
        "2031-02": "created", "2031-03": "created"}
    assert audit_partition_of(insert_at("2031-03-01T00:00:00Z")) == "audit_auditevent_y2031m03"
    assert audit_partition_of(insert_at("2031-02-28T23:59:59.999999Z")) == \
        "audit_auditevent_y2031m02"
    assert audit_partition_of(insert_at("2031-04-01T00:00:00Z")) == "audit_auditevent_default"


def test_the_months_ahead_and_a_default_exist_from_the_migration():
    now = timezone.now().date().replace(day=1)
    names = partitions()
    assert "audit_auditevent_default" in names
    assert f"audit_auditevent_y{now:%Y}m{now:%m}" in names
    assert len([name for name in names if name >= f"audit_auditevent_y{now:%Y}m{now:%m}"
                and name != "audit_auditevent_default"]) >= 4  # this month and three ahead


def test_a_month_without_its_partition_goes_to_the_default_partition():
    event_id = insert_at("2099-01-15T12:00:00Z")
    assert audit_partition_of(event_id) == "audit_auditevent_default"
    assert AuditEvent.objects.get(pk=event_id).at.year == 2099
    # That month can no longer get a partition of its own (its row is in the default one);
    # the maker says so and goes on with the next months.
    assert audit_partitions_ensure(today=date(2099, 1, 20), months_ahead=1) == {
        "2099-01": "in default", "2099-02": "created"}
    assert audit_partition_of(event_id) == "audit_auditevent_default"
    assert audit_partition_of(insert_at("2099-02-01T00:00:00Z")) == "audit_auditevent_y2099m02"


def test_the_partition_maker_is_idempotent():
    before = partitions()
    made = audit_partitions_ensure(today=date(2098, 11, 5))
    assert made == {"2098-11": "created", "2098-12": "created", "2099-01": "created",
                    "2099-02": "created"}
    after = partitions()
    assert len(after) == len(before) + 4 and "audit_auditevent_y2098m12" in after
    assert audit_partitions_ensure(today=date(2098, 11, 5)) == dict.fromkeys(made, "exists")
    assert partitions() == after


def test_the_beat_task_makes_this_month_and_the_next_three():
    now = timezone.now().date()
    result = create_audit_partitions()
    assert len(result) == 4 and f"{now:%Y-%m}" in result
    assert set(result.values()) == {"exists"}  # the migration made them already


@pytest.mark.parametrize("sql", ["UPDATE {table} SET action = 'decide' WHERE id = %s",
                                 "DELETE FROM {table} WHERE id = %s"])
@pytest.mark.parametrize("where", ["parent", "partition", "default"])
def test_each_partition_still_refuses_a_change_or_a_removal(clinician, sql, where):
    if where == "default":
        event_id = insert_at("2099-06-01T00:00:00Z")
    else:
        event_id = audit_record(actor=clinician, action="view", object_type="intake").pk
    table = "audit_auditevent" if where == "parent" else audit_partition_of(event_id)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute(sql.format(table=table), [event_id])
    assert AuditEvent.objects.get(pk=event_id).action == "view"


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_row_and_its_id(clinician):
    """Back to one plain table and forward again: the rows, their ids, the trigger."""
    ids = [insert_at(moment) for moment in ("2024-05-10T08:00:00Z", "2026-01-31T23:00:00Z")]
    ids.append(audit_record(actor=clinician, action="view", object_type="intake").pk)
    executor = MigrationExecutor(connection)
    executor.migrate([("audit", "0002_append_only_trigger")])
    try:
        assert partitions() == []
        assert {audit_partition_of(pk) for pk in ids} == {"audit_auditevent"}
        ids.append(insert_at("2025-07-04T00:00:00Z"))
    finally:
        executor = MigrationExecutor(connection)
        # Forward to the app's latest (other migrations may follow this one).
        executor.migrate(executor.loader.graph.leaf_nodes("audit"))
    assert audit_partition_of(ids[0]) == "audit_auditevent_y2024m05"
    assert audit_partition_of(ids[1]) == "audit_auditevent_y2026m01"
    assert audit_partition_of(ids[3]) == "audit_auditevent_y2025m07"
    assert sorted(AuditEvent.objects.values_list("pk", flat=True)) == sorted(ids)
    assert AuditEvent.objects.get(pk=ids[2]).actor == clinician
    newer = audit_record(actor=clinician, action="view", object_type="intake")
    assert newer.pk > max(ids)  # the id sequence goes on after the copied rows
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [newer.pk])
