"""Rows written straight into a model's table, for seeding a benchmark database fast.

`seed_intakes` makes millions of rows. Through `bulk_create` each row is a model instance
(about 30 µs) and each value goes through the field's preparation and psycopg's array
dumper (Django's UNNEST insert): most of the seed's time was that, not the data. Here a row
is a tuple in the table's column order, with the model's own defaults for what the seed
does not give, and PostgreSQL takes the rows with COPY. On SQLite (the demo) the same rows
go through `bulk_create`, slowly but the same.

Only for seeding: no signals, no `save()`, no `auto_now`; the caller gives every date.
"""

from collections.abc import Iterable

import orjson
from django.db import connection, models


class Table:
    """A model's table as columns, each with the model's default, for building rows."""

    def __init__(self, model: type[models.Model], *, with_id: bool = False):
        fields = [field for field in model._meta.concrete_fields
                  if with_id or not field.primary_key]
        self.model = model
        self.name = model._meta.db_table
        self.attnames = [field.attname for field in fields]
        self._known = frozenset(self.attnames)
        self.columns = [field.column for field in fields]
        # Callable defaults (dict, list, timezone.now) are called once and shared by every
        # row that leaves the column out: rows are only written, never changed.
        self.defaults = [(field.attname, field.get_default()) for field in fields]
        self.json_positions = [i for i, field in enumerate(fields)
                               if isinstance(field, models.JSONField)]

    def row(self, **values) -> tuple:
        unknown = values.keys() - self._known
        if unknown:
            raise TypeError(f"{self.name} has no column {sorted(unknown)}")
        return tuple([values.get(name, default) for name, default in self.defaults])


def ids_reserve(model: type[models.Model], count: int) -> list[int]:
    """`count` primary keys nobody else will be given, for rows whose children need them.

    PostgreSQL: that many values of the table's own sequence (distinct even with others
    inserting meanwhile). SQLite: the next ones after the largest id (the demo has one writer).
    """
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                           "FROM generate_series(1, %s)", [table, column, count])
            return [row[0] for row in cursor.fetchall()]
        # Names from the model, quoted: no input reaches this SQL.
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT coalesce(max({quote(column)}), 0) FROM {quote(table)}")  # noqa: S608  # nosec B608
        (largest,) = cursor.fetchone()
    return list(range(largest + 1, largest + 1 + count))


def rows_write(table: Table, rows: Iterable[tuple]) -> None:
    """Write `rows` (from `table.row`) into the table, inside the caller's transaction."""
    rows = list(rows)
    if not rows:
        return
    if connection.vendor != "postgresql":
        table.model.objects.bulk_create(
            [table.model(**dict(zip(table.attnames, row, strict=True))) for row in rows])
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in table.columns)
    json_positions = table.json_positions
    with connection.cursor() as cursor, \
            cursor.cursor.copy(f"COPY {quote(table.name)} ({columns}) FROM STDIN") as copy:
        for row in rows:
            if json_positions:
                row = list(row)
                for i in json_positions:
                    row[i] = orjson.dumps(row[i]).decode()
            copy.write_row(row)
