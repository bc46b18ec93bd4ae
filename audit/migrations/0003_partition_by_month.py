"""The audit log partitioned by month on PostgreSQL (docs/scaling.md, "The audit log").

A clinic network writes millions of audit rows a year and reads them by recent dates: one
table per month keeps each month's indexes small, and an old month can later be detached
and archived whole, without a DELETE (which the append-only trigger refuses anyway).

PostgreSQL wants the partition key in the primary key: the table's key is (id, at), while
Django keeps `id` as the model's primary key (the sequence keeps it unique). Every row goes
to its month's partition; a month nobody created a partition for goes to the default one,
so an insert never fails. `audit_partition_ensure(month)` creates a month's partition
(idempotent); the beat task audit.tasks.create_audit_partitions runs it for the coming
months. Existing rows are copied into their months. SQLite (the demo) is left as it was.

On a big table, run this migration with DB_STATEMENT_TIMEOUT_MS raised: it copies every row.
"""

from django.db import migrations

TABLE = "audit_auditevent"
OLD = "audit_auditevent_unpartitioned"
SEQUENCE = "audit_auditevent_id_seq"
MONTHS_AHEAD = 3

# One partition per calendar month in UTC, named audit_auditevent_yYYYYmMM. A month whose
# rows already sit in the default partition is not created (PostgreSQL would refuse, and
# moving them would take a DELETE): those rows stay, readable, in the default partition.
ENSURE_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_partition_ensure(month date) RETURNS text AS $$
DECLARE
  first_day date := date_trunc('month', month)::date;
  lower_bound timestamptz := first_day::timestamp AT TIME ZONE 'UTC';
  upper_bound timestamptz := (first_day + interval '1 month')::timestamp AT TIME ZONE 'UTC';
  partition text := format('audit_auditevent_y%sm%s', to_char(first_day, 'YYYY'),
                           to_char(first_day, 'MM'));
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('audit_partition_ensure'));
  IF to_regclass(partition) IS NOT NULL THEN
    RETURN 'exists';
  END IF;
  IF EXISTS (SELECT 1 FROM audit_auditevent_default
             WHERE at >= lower_bound AND at < upper_bound) THEN
    RETURN 'in default';
  END IF;
  EXECUTE format('CREATE TABLE %I PARTITION OF audit_auditevent FOR VALUES FROM (%L) TO (%L)',
                 partition, lower_bound, upper_bound);
  RETURN 'created';
END;
$$ LANGUAGE plpgsql;
"""

TRIGGER = f"""
CREATE TRIGGER audit_event_no_update_delete
  BEFORE UPDATE OR DELETE ON {TABLE}
  FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""


def _fetch(cursor, sql, params=()):
    cursor.execute(sql, params)
    return cursor.fetchall()


def _move_table(schema_editor, *, partitioned: bool) -> None:
    """Rebuild audit_auditevent as a partitioned (or again a plain) table with its rows,
    its indexes (same names), its foreign key, its sequence and the append-only trigger."""
    with schema_editor.connection.cursor() as cursor:
        indexes = _fetch(cursor, "SELECT indexname, indexdef FROM pg_indexes "
                                 "WHERE schemaname = current_schema() AND tablename = %s "
                                 "AND indexname <> %s", [TABLE, f"{TABLE}_pkey"])
        foreign_keys = _fetch(cursor, "SELECT conname, pg_get_constraintdef(oid) "
                                      "FROM pg_constraint WHERE conrelid = %s::regclass "
                                      "AND contype = 'f'", [TABLE])
        (next_id,) = _fetch(cursor, f"SELECT coalesce(max(id), 0) + 1 FROM {TABLE}")[0]  # noqa: S608  # nosec B608
        months = [row[0] for row in _fetch(
            cursor, f"SELECT DISTINCT date_trunc('month', at AT TIME ZONE 'UTC')::date "  # noqa: S608  # nosec B608
                    f"FROM {TABLE}")] if partitioned else []

    def run(sql: str, params=None) -> None:
        # No params: the function's body has format()'s %I and %L, not placeholders.
        schema_editor.execute(sql, params)

    run(f"ALTER TABLE {TABLE} RENAME TO {OLD}")
    run(f"ALTER INDEX {TABLE}_pkey RENAME TO {OLD}_pkey")
    for name, _ in indexes:
        run(f'DROP INDEX "{name}"')
    if partitioned:
        run(f"ALTER TABLE {OLD} ALTER COLUMN id DROP IDENTITY IF EXISTS")
    else:
        run(f"ALTER TABLE {OLD} ALTER COLUMN id DROP DEFAULT")
        run(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")
        run("DROP FUNCTION IF EXISTS audit_partition_ensure(date)")

    if partitioned:
        run(f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS INCLUDING STORAGE, "
            f"CONSTRAINT {TABLE}_pkey PRIMARY KEY (id, at)) PARTITION BY RANGE (at)")
        run(f"CREATE SEQUENCE {SEQUENCE} OWNED BY {TABLE}.id START WITH {int(next_id)}")
        run(f"ALTER TABLE {TABLE} ALTER COLUMN id SET DEFAULT nextval('{SEQUENCE}')")
        run(f"CREATE TABLE {TABLE}_default PARTITION OF {TABLE} DEFAULT")
        run(ENSURE_FUNCTION)
        # The months that have rows, then this month and the next ones.
        run("SELECT audit_partition_ensure(month::date) FROM (SELECT unnest(%s::date[]) "
            "AS month UNION SELECT generate_series(date_trunc('month', now() AT TIME ZONE "
            "'UTC'), date_trunc('month', now() AT TIME ZONE 'UTC') + %s * interval "
            "'1 month', interval '1 month')) AS months", [months, MONTHS_AHEAD])
    else:
        run(f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING STORAGE, "
            f"CONSTRAINT {TABLE}_pkey PRIMARY KEY (id))")
        run(f"ALTER TABLE {TABLE} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY "
            f"(START WITH {int(next_id)})")

    run(f"INSERT INTO {TABLE} SELECT * FROM {OLD}")  # noqa: S608  # nosec B608
    run(f"DROP TABLE {OLD} CASCADE")  # its partitions and its copy of the trigger with it
    for _, definition in indexes:
        # A partitioned table's index reads "ON ONLY"; created "ON" it spans the partitions.
        run(definition.replace(" ON ONLY ", " ON "))
    for name, definition in foreign_keys:
        run(f'ALTER TABLE {TABLE} ADD CONSTRAINT "{name}" {definition}')
    run(TRIGGER)


def partition(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _move_table(schema_editor, partitioned=True)


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _move_table(schema_editor, partitioned=False)


class Migration(migrations.Migration):
    # DDL and the copy in one transaction: either the log is partitioned with every row, or
    # nothing changed.
    atomic = True
    dependencies = [("audit", "0002_append_only_trigger")]
    operations = [migrations.RunPython(partition, unpartition)]
