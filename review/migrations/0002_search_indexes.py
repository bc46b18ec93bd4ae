import logging

from django.db import migrations, transaction

logger = logging.getLogger(__name__)

# The queue's search by part of a name or an e-mail is Django's icontains, which PostgreSQL
# runs as UPPER(col::text) LIKE UPPER('%text%'): a trigram index on that very expression
# turns a scan of every account into an index lookup. pg_trgm ships with PostgreSQL
# (contrib); creating it needs a role allowed to (docs/deploy.md). Without it the search
# still works, only slower.
CREATE = [
    "CREATE INDEX IF NOT EXISTS review_user_name_trgm ON accounts_user "
    "USING gin (UPPER(full_name::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS review_user_email_trgm ON accounts_user "
    "USING gin (UPPER(email::text) gin_trgm_ops)",
]
DROP = [
    "DROP INDEX IF EXISTS review_user_name_trgm",
    "DROP INDEX IF EXISTS review_user_email_trgm",
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as error:  # no right to create extensions: search works, unindexed
        logger.warning("pg_trgm unavailable (%s): name and e-mail search will not be indexed",
                       type(error).__name__)
        return
    for statement in CREATE:
        schema_editor.execute(statement)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("review", "0001_initial"), ("accounts", "0001_initial")]
    operations = [migrations.RunPython(create_indexes, drop_indexes)]
