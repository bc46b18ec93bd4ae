from django.db import migrations

# On PostgreSQL the database itself refuses to rewrite a published or retired criteria
# version (its document or name), or to move it back to draft: every stored recommendation
# must stay reproducible from the version that made it, even against a raw query.
# (%% is a literal % for RAISE: schema_editor.execute formats the SQL with parameters.)
CREATE = """
CREATE OR REPLACE FUNCTION criteria_version_frozen() RETURNS trigger AS $$
BEGIN
  IF OLD.status <> 'draft' AND (NEW.document::jsonb IS DISTINCT FROM OLD.document::jsonb
                                OR NEW.version IS DISTINCT FROM OLD.version) THEN
    RAISE EXCEPTION 'criteria version %% is %% and never changes', OLD.version, OLD.status;
  END IF;
  IF (OLD.status = 'published' AND NEW.status NOT IN ('published', 'retired'))
     OR (OLD.status = 'retired' AND NEW.status <> 'retired') THEN
    RAISE EXCEPTION 'criteria version %% cannot go from %% to %%', OLD.version, OLD.status,
      NEW.status;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER criteria_version_frozen_update
  BEFORE UPDATE ON screening_criteriaversion
  FOR EACH ROW EXECUTE FUNCTION criteria_version_frozen();
"""
DROP = """
DROP TRIGGER IF EXISTS criteria_version_frozen_update ON screening_criteriaversion;
DROP FUNCTION IF EXISTS criteria_version_frozen();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("screening", "0003_replay_run")]
    operations = [migrations.RunPython(create_trigger, drop_trigger)]
